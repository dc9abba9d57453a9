"""Pilot tests: annotating from the keyboard, as a fact-checker does."""

from __future__ import annotations

from textual.widgets import Input, OptionList, TextArea

from annotations.store import open_store
from tests.tui.helpers import SAMPLES, open_by_title, settle
from tui.app import GlossApp
from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, NoteDialog, PromptDialog


async def _open_seed(pilot) -> GlossApp:  # type: ignore[no-untyped-def]
    app = pilot.app
    await settle(pilot)
    open_by_title(app, "Hezbollah could be getting")
    await settle(pilot)
    app.main.reader.focus()
    await pilot.pause()
    return app


async def test_select_sentence_highlight_tag_note_verdict_delete_undo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        reader = app.main.reader
        await pilot.press("s")  # select the current (first) sentence
        sel = reader.selection_raw()
        assert sel is not None and sel[0] == 0
        await pilot.press("h")
        await pilot.pause()
        store = app.store
        doc = app.main.document
        anns = store.list(doc.key)
        assert len(anns) == 1
        ann = anns[0]
        assert ann.quote == doc.raw[ann.raw_start : ann.raw_end]
        assert ann.quote.startswith("Just moments ago")
        assert ann.author == "tester"
        assert len(app.main.sidebar.shown) == 1

        # Cursor inside the highlight: tag it.
        reader.move_to(3)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"claim, gaza")
        await pilot.press("enter")
        await pilot.pause()
        assert store.list(doc.key)[0].tags == ["claim", "gaza"]

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        app.screen.query_one(TextArea).insert("line one\nline two")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.list(doc.key)[0].note == "line one\nline two"

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        options = app.screen.query_one(OptionList)
        await pilot.press("down", "down", "down")
        chosen = app.screen.choices[options.highlighted]
        await pilot.press("enter")
        await pilot.pause()
        assert store.list(doc.key)[0].verdict == chosen

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert store.list(doc.key) == []
        assert app.main.sidebar.shown == []

        await pilot.press("u")
        await pilot.pause()
        restored = store.list(doc.key)
        assert len(restored) == 1 and restored[0].verdict == chosen


async def test_selection_maps_through_repairs_to_exact_raw(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        reader = app.main.reader
        doc = app.main.document
        # Select every word of the display text one by one with v + w.
        await pilot.press("v")
        for _ in range(30):
            await pilot.press("w")
        rs, re_ = reader.selection_raw()
        await pilot.press("h")
        await pilot.pause()
        ann = app.store.list(doc.key)[0]
        assert (ann.raw_start, ann.raw_end) == (rs, re_)
        assert ann.quote == doc.raw[rs:re_]


async def test_tag_completion_and_sidebar_jump(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        await pilot.press("s", "t")
        await pilot.pause()
        await pilot.press(*"hezbollah-claims", "enter")
        await pilot.pause()
        app.main.reader.move_to(len(app.main.reader.text) // 2)
        await pilot.press("s", "t")
        await pilot.pause()
        await pilot.press(*"hez")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion
        assert app.screen.query_one(Input).value == "hezbollah-claims"
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.tag_counts() == {"hezbollah-claims": 2}
        # Go to the sidebar list and jump to the second annotation.
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        second = app.main.sidebar.shown[1]
        assert app.focused is app.main.reader
        assert app.main.reader.selection_raw() == (second.raw_start, second.raw_end)


async def test_other_process_write_appears(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        assert app.main.sidebar.shown == []
        other, _ = open_store(SAMPLES.resolve(), tmp_path / "store")
        from annotations.anchor import doc_hash, selector
        from annotations.annotation import Annotation

        doc = app.main.document
        quote, prefix, suffix = selector(doc.raw, 10, 40)
        other.add(Annotation(doc_key=doc.key, raw_start=10, raw_end=40, quote=quote,
                             prefix=prefix, suffix=suffix, doc_hash=doc_hash(doc.raw),
                             author="colleague"))
        app.main.poll_store()  # the app polls every second; call the poll directly
        await pilot.pause()
        assert [a.author for a in app.main.sidebar.shown] == ["colleague"]


async def test_corrupt_store_file_is_reported_and_never_overwritten(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store_dir = tmp_path / "store"
    app = GlossApp(SAMPLES, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        await pilot.press("s", "h")
        await pilot.pause()
        path = app.store.path(app.main.document.key)
    path.write_bytes(b'{"annotations": {"1": {"doc_key": tru')  # a torn, invalid file
    before = path.read_bytes()
    app = GlossApp(SAMPLES, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_seed(pilot)
        note = str(app.main.sidebar.query_one("#store-note").render())
        assert path.name in note
        app.main.reader.move_to(200)
        await pilot.press("s", "h")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(path.name in m for m in messages)
        assert app.main.sidebar.shown == []
    assert path.read_bytes() == before
