"""Pilot: corpus search → open a hit → next hit; board filter → bulk verdict (and undo)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from annotations.annotation import Annotation
from annotations.corpus import Corpus
from annotations.search.build import open_index, sync
from annotations.store import AnnotationStore
from tests.conftest import write_corpus
from tests.core.test_search_index import FILES, tagged
from tests.tui.helpers import open_board, open_search, settle
from tui.app import GlossApp
from tui.screens.dialogs import ChoiceDialog, PromptDialog
from tui.screens.search import SearchScreen

MORE = dict(FILES)
MORE["en_DW/e.txt"] = tagged("vidE", "Rockets again", "20240420",
                             "Rockets hit the north.\nLater, more rockets.\nThen rockets at dusk.")


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    root = write_corpus(tmp_path / "corpus", MORE)
    store = tmp_path / "store"
    store.mkdir()
    corpus = Corpus(root)
    list(corpus.scan())
    index = open_index(store)
    sync(corpus.root, corpus.infos, index)  # the app's child process then finds it current
    index.close()
    return root, store


async def _bulk_verdict(pilot, store: AnnotationStore, verdict: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+T on the board: choose ``verdict`` for the marked rows (or the row)."""
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChoiceDialog)
    pilot.app.screen.query_one(OptionList).highlighted = list(store.verdicts).index(verdict)
    await pilot.press("enter")
    await settle(pilot)


async def test_search_open_hit_then_next_hit(tmp_path: Path) -> None:
    root, store = _corpus(tmp_path)
    app = GlossApp(root, store_dir=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_search(pilot)
        await pilot.press(*"rockets channel:DW")
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#kwic", DataTable)
        assert table.row_count == 4  # three in e.txt, one in c.txt (channel DW only)
        assert {h.channel for h in screen.shown} == {"DW"}
        assert screen.shown[0].key == "vidE"  # newest first
        assert "4 hits in 2 documents" in str(screen.query_one("#search-status").render())
        await pilot.press("ctrl+o")  # sort: channel
        await pilot.press("ctrl+o", "ctrl+o", "ctrl+o")  # … document, left, right
        assert screen.sort == "right"
        first = screen.shown[0]
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        assert app.main.document is not None and app.main.document.key == first.key
        raw = app.main.document.raw
        assert app.main.reader.selection_raw() == (first.start, first.end)
        assert raw[first.start:first.end].lower() == "rockets"
        spans = [(s, e) for s, e in _all(raw, "rockets")]
        await pilot.press("n")
        sel = app.main.reader.selection_raw()
        assert sel is not None and sel in spans and sel != (first.start, first.end)
        await pilot.press("N")
        assert app.main.reader.selection_raw() == (first.start, first.end)


def _all(raw: str, word: str) -> list[tuple[int, int]]:
    low = raw.lower()
    out, i = [], low.find(word)
    while i >= 0:
        out.append((i, i + len(word)))
        i = low.find(word, i + 1)
    return out


async def test_bad_query_is_shown_not_raised(tmp_path: Path) -> None:
    root, store = _corpus(tmp_path)
    app = GlossApp(root, store_dir=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await pilot.press(*'"unclosed', "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#search-status").render())
        assert "Bad query" in status and "closing" in status


async def test_board_filter_then_bulk_verdict_and_undo(tmp_path: Path) -> None:
    root, store_dir = _corpus(tmp_path)
    store = AnnotationStore(store_dir, fsync=False)
    for i, (doc, quote, verdict) in enumerate([("vidA", "Iron Dome", "false"),
                                               ("vidB", "truce talks", "false"),
                                               ("vidC", "Rockets", "true")]):
        store.add(Annotation(doc_key=doc, raw_start=0, raw_end=len(quote), quote=quote,
                             verdict=verdict, id=f"a{i}", tags=["claim"]))
    app = GlossApp(root, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_board(pilot)
        table = screen.query_one("#board-table", DataTable)
        assert table.row_count == 3
        screen.query_one("#board-filter", Input).focus()
        await pilot.press(*"verdict:false")
        await settle(pilot)
        assert table.row_count == 2
        assert "2 shown" in str(screen.query_one("#board-counts").render())
        await pilot.press("enter")  # to the table
        await pilot.press("space", "space")  # mark both rows
        assert len(screen.marked) == 2
        await _bulk_verdict(pilot, store, "misleading")
        assert {a.verdict for a in store.iter_all() if a.id in ("a0", "a1")} == {"misleading"}
        assert store.get("vidC", "a2").verdict == "true"  # type: ignore[union-attr]
        # the board picks the change up: the verdict:false filter now shows nothing
        await settle(pilot)  # the bulk action asks for a poll: the board re-reads the file
        assert table.row_count == 0
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        await pilot.press(*"checked", "enter")
        await settle(pilot)
        assert all("checked" in a.tags for a in store.iter_all() if a.id in ("a0", "a1"))
        await pilot.press("ctrl+z")  # undo the tag
        await settle(pilot)
        await pilot.press("ctrl+z")  # undo the verdict
        await settle(pilot)
        got = {a.id: (a.verdict, a.tags) for a in store.iter_all()}
        assert got == {"a0": ("false", ["claim"]), "a1": ("false", ["claim"]),
                       "a2": ("true", ["claim"])}


async def test_typing_on_the_board_table_filters_and_never_acts(tmp_path: Path) -> None:
    """Typing ``verdict:false`` with the table focused (no ``/`` first) filters: the ``v``
    no longer opens the verdict dialog, so Enter cannot change a row's verdict; a bulk
    tag typed ``#WCK`` is stored ``WCK``; messages count in the singular for one row."""
    root, store_dir = _corpus(tmp_path)
    store = AnnotationStore(store_dir, fsync=False)
    for i, (doc, quote, verdict) in enumerate([("vidA", "Iron Dome", "false"),
                                               ("vidC", "Rockets", "true")]):
        store.add(Annotation(doc_key=doc, raw_start=0, raw_end=len(quote), quote=quote,
                             verdict=verdict, id=f"a{i}"))
    app = GlossApp(root, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_board(pilot)
        table = screen.query_one("#board-table", DataTable)
        assert screen.focused is table
        await pilot.press(*"verdict:false", "enter")
        await settle(pilot)
        assert screen.query_one("#board-filter", Input).value == "verdict:false"
        assert app.screen is screen and table.row_count == 1
        assert {a.id: a.verdict for a in store.iter_all()} == {"a0": "false", "a1": "true"}
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.title_text == "Add a tag (1 annotation)"
        await pilot.press(*"#WCK", "enter")
        await settle(pilot)
        assert store.get("vidA", "a0").tags == ["WCK"]  # type: ignore[union-attr]


async def test_document_list_sorts_and_filters_by_fields_and_tags(tmp_path: Path) -> None:
    root, store_dir = _corpus(tmp_path)
    store = AnnotationStore(store_dir, fsync=False)
    store.add(Annotation(doc_key="vidC", raw_start=0, raw_end=7, quote="Rockets",
                         verdict="false", tags=["Nasrallah-claims"]))
    app = GlossApp(root, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.main.table
        titles = lambda: [table.rows[i].title for i in table.visible_rows]  # noqa: E731
        table.focus()
        await pilot.press("S")  # folder → date (newest first)
        assert titles()[:2] == ["Rockets again", "Talks resume"]  # undated last
        status = str(app.main.query_one("#list-status").render())
        assert "by date" in status
        box = app.main.query_one("#filter", Input)
        box.value = "channel:dw has:annotations"
        await pilot.pause()
        assert titles() == ["Older report"]
        box.value = "nasrallah-claims"  # a tag of the document's annotation
        await pilot.pause()
        assert titles() == ["Older report"]
        box.value = "verdict:false date:2023"
        await pilot.pause()
        assert titles() == ["Older report"]


async def test_search_hits_in_a_captioned_transcript_show_the_time(tmp_path: Path) -> None:
    """A .txt merged with its .vtt twin (one document, cue times on the transcript's raw
    offsets): the KWIC Time column shows the hit's video time, as the reader would."""
    import shutil

    root = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "core" / "twins", root)
    store = tmp_path / "store"
    store.mkdir()
    corpus = Corpus(root)
    list(corpus.scan())
    index = open_index(store)
    sync(corpus.root, corpus.infos, index)
    index.close()
    app = GlossApp(root, store_dir=store)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = await open_search(pilot)
        await pilot.press(*"mayor", "enter")
        await settle(pilot)
        [hit] = screen.shown
        assert hit.time == 9.0
        table = screen.query_one("#kwic", DataTable)
        assert str(table.get_row_at(0)[2]) == "0:09"


async def test_board_bulk_and_undo_workers_post_their_result(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The bulk and undo workers post ``BulkDone`` to the board (never ``call_from_thread``
    into it); the board says what was written, and an undo is not itself undoable: a
    second Ctrl+Z has nothing left (and leaves the store as it was)."""
    from textual.worker import NoActiveWorker, get_current_worker

    root, store_dir = _corpus(tmp_path)
    store = AnnotationStore(store_dir, fsync=False)
    store.add(Annotation(doc_key="vidA", raw_start=0, raw_end=9, quote="Iron Dome",
                         verdict="false", id="a0"))
    app = GlossApp(root, store_dir=store_dir)
    called_from: list[str] = []
    real = app.call_from_thread

    def spy(callback, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            called_from.append(get_current_worker().name)
        except NoActiveWorker:
            pass
        return real(callback, *args, **kwargs)

    said: list[str] = []
    notify = app.notify

    def heard(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(message)  # not app._notifications: those expire with the clock
        return notify(message, *args, **kwargs)

    monkeypatch.setattr(app, "call_from_thread", spy)
    monkeypatch.setattr(app, "notify", heard)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_board(pilot)
        await _bulk_verdict(pilot, store, "misleading")
        assert store.get("vidA", "a0").verdict == "misleading"  # type: ignore[union-attr]
        assert len(screen.history) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert store.get("vidA", "a0").verdict == "false"  # type: ignore[union-attr]
        assert screen.history == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert said[-3:] == ["verdict misleading: 1 changed",
                             "undo verdict misleading: 1 changed",
                             "Nothing to undo on the board."], said
        assert store.get("vidA", "a0").verdict == "false"  # type: ignore[union-attr]
    assert not {"bulk action", "undo bulk action"} & set(called_from), called_from
