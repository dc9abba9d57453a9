"""The defects a new user hit (issue 11), each reproduced through the keyboard.

Each test drives the app as a user does and asserts on what is on screen
(or on disk); the helper ``rs`` gives the reading screen.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from annotations.anchor import annotate_span
from annotations.store import open_store
from tests.tui.helpers import ROOT, SAMPLES, open_by_title, screen_lines, settle
from tui.app import GlossApp
from tui.screens.dialogs import ConfirmDialog, NoteDialog, PromptDialog
from tui.screens.export import ExportDialog

SEED = "Hezbollah could be getting"


def rs(app):  # type: ignore[no-untyped-def]
    return getattr(app, "main", app)


async def _open(pilot, title: str = SEED):  # type: ignore[no-untyped-def]
    await settle(pilot)
    open_by_title(pilot.app, title)
    await settle(pilot)
    rs(pilot.app).reader.focus()
    await pilot.pause()


def _seed_annotations(store_dir: Path, n: int = 2, **fields) -> None:  # type: ignore[no-untyped-def]
    from annotations.corpus import Corpus

    corpus = Corpus(SAMPLES)
    info = next(i for b in corpus.scan_batches() for i in b if SEED in i.title)
    doc = corpus.load(info)
    store, _ = open_store(corpus.root, store_dir)
    for k in range(n):
        start = doc.raw.index("Gaza") if k == 0 else doc.raw.index("Hezbollah")
        store.add(annotate_span(doc, start, start + 8, author="tester", **fields))


# 1 -- the find bar ----------------------------------------------------------------------
async def test_find_enter_stays_on_first_match_and_esc_closes_the_bar() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        reader = rs(app).reader
        await pilot.press("slash", *"israel", "enter")
        await pilot.pause()
        assert reader.match_index == 0  # Enter does not skip match 1
        assert app.focused is reader
        await pilot.press("escape")  # clears the search …
        await pilot.pause()
        assert not reader.matches
        find = app.screen.query_one("#find")
        assert not find.display  # … and the bar goes with it
        for _ in range(6):  # Tab never lands in a hidden find bar
            await pilot.press("tab")
            assert app.focused is not find
        reader.focus()
        width = reader.size.width
        await pilot.press("escape")  # nothing left to clear: stays in the reader
        await pilot.pause()
        assert app.focused is reader and reader.size.width == width
        await pilot.press("n")  # n with no search does nothing, no error
        await pilot.press("slash", *"israel", "enter", "n")
        await pilot.pause()
        assert reader.match_index == 1  # n works after Enter


async def test_find_does_not_carry_into_other_documents() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("slash", *"israel")
        await pilot.pause()
        await _open(pilot, "Riverton")
        assert not rs(app).reader.matches
        assert not app.screen.query_one("#find").display


# 2 -- resizing ---------------------------------------------------------------------------
async def test_resize_keeps_the_reader_readable() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        reader = rs(app).reader
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert reader.size.width >= 40
        await pilot.press("ctrl+o")  # to the list: it must not squeeze the reader away
        await pilot.pause()
        assert reader.size.width >= 30
        await pilot.resize_terminal(70, 20)
        await settle(pilot)
        reader.focus()
        await pilot.pause()
        assert reader.size.width >= 30


# 3 -- x after a jump from the annotation list ---------------------------------------------
async def test_delete_after_jump_from_annotation_list(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("A", "down", "enter")
        await pilot.pause()
        assert app.focused is rs(app).reader and rs(app).reader.selection_raw()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)


# 4 -- the sidebar filter -------------------------------------------------------------------
async def test_sidebar_filter_esc_leaves_and_resets_in_next_document(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        box = app.screen.query_one("#ann-filter", Input)
        box.focus()
        await pilot.press(*"zzz")
        await pilot.pause()
        assert rs(app).sidebar.shown == []
        assert "2 hidden by the filter" in str(app.screen.query_one("#ann-count").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is not box
        await _open(pilot, "Riverton")
        await _open(pilot)
        assert box.value == "" and len(rs(app).sidebar.shown) == 2


# 5 -- the list filter after leaving the reader ----------------------------------------------
async def test_list_backspace_and_typing_after_reading() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*"riverton", "enter")
        await settle(pilot)
        box = app.screen.query_one("#filter", Input)
        rs(app).table.focus()
        await pilot.press("backspace")
        await pilot.pause()
        assert box.value == "riverto"
        await pilot.press("enter")
        await settle(pilot)
        rs(app).table.focus()
        await pilot.press("k")
        await pilot.pause()
        assert box.value == "k"  # a new filter, not "riverto" + "k"


# 6 -- export: no silent overwrite, distinct default names ------------------------------------
async def test_export_asks_before_overwriting(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store")
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("E")
        await pilot.pause()
        box = app.screen.query_one("#path", Input)
        box.value = str(out)
        box.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert out.read_text(encoding="utf-8") == "keep me"
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")


async def test_export_default_names_differ(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _seed_annotations(tmp_path / "store")
    monkeypatch.chdir(tmp_path)
    app = GlossApp(ROOT / SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        names = []
        for _ in range(2):
            await pilot.press("E")
            await pilot.pause()
            box = app.screen.query_one("#path", Input)
            names.append(box.value)
            box.focus()
            await pilot.press("enter")
            await settle(pilot)
        assert names[0] != names[1]
        assert all((tmp_path / n).exists() for n in names)


# 7 -- gloss FILE opens the document ------------------------------------------------------------
async def test_a_file_path_opens_its_document() -> None:
    app = GlossApp(SAMPLES / "riverton-transit-strike.srt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert rs(app).document is not None
        assert rs(app).document.title == "Riverton transit strike"
        assert app.focused is rs(app).reader


async def test_open_key_opens_that_document() -> None:
    app = GlossApp(SAMPLES, open_key="_BjBr7Kf8rA")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert rs(app).document is not None and rs(app).document.key == "_BjBr7Kf8rA"


# 8 -- palette and help ----------------------------------------------------------------------
async def test_palette_offers_every_available_action_once(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("s", "h")  # a selection and one change to undo
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Annotate: highlight", "Annotate: tags…", "Annotate: note…",
                       "Annotate: verdict…", "Annotate: undo the last change",
                       "Annotate: delete the annotation at the cursor", "Similar passages",
                       "Export annotations…", "Find in document…", "View: raw / repaired",
                       "Copy the selection (exact raw text)"):
            assert wanted in titles, wanted
        assert "Keys" not in titles
        assert sum("Help" in t for t in titles) == 1
        assert len(titles) == len(set(titles))


async def test_palette_hides_actions_that_need_a_document() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Annotate: highlight" not in titles and "Find in document…" not in titles
        assert "Documents: filter" in titles


async def test_help_explains_marks_colours_filters_and_similar_keys() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from tui.screens.help import HelpScreen, concepts

        assert isinstance(app.screen, HelpScreen)
        keys = [b.tooltip or b.description for _, group in app.screen.groups for b in group]
        text = concepts(app.screen.store).plain + "\n".join(keys)
        for wanted in ("[…]", "gap", "inferred", "NO_COLOR", "tag:", "verdict:",
                       "Where annotations are stored", "Copy the source annotation",
                       "side by side, aligned", "mostly true"):
            assert wanted in text, wanted


# 9 -- legible without colour and in 16 colours --------------------------------------------------
def test_highlight_colours_keep_their_hue_in_16_colours() -> None:
    from rich.color import ColorSystem

    from tui.widgets.reader_styles import HIGHLIGHT, INFERRED

    expected = {"yellow": {3, 11}, "green": {2, 10}, "blue": {4, 12}, "magenta": {5, 13},
                "red": {1, 9}, "cyan": {6, 14}}
    for name, style in HIGHLIGHT.items():
        assert style.bgcolor is not None
        assert style.bgcolor.downgrade(ColorSystem.STANDARD).number in expected[name], name
    gap = INFERRED["gap"]
    assert gap.bold and not gap.dim and gap.underline


async def test_export_radio_buttons_differ_in_shape(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "(●) json" in text and "( ) csv" in text
        await pilot.press("escape")


# 10 -- tags, note cursor, Ctrl+C, undo, plurals ------------------------------------------------
async def test_tags_are_normalised(tmp_path: Path) -> None:
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("s", "t")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.query_one(Input).value = "#gaza, UN, un , #Gaza"
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.tag_counts() == {"gaza": 1, "UN": 1}


async def test_note_editor_cursor_at_end(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store", n=1, note="first line\nsecond")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("A", "enter", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        area = app.screen.query_one(TextArea)
        assert area.cursor_location == area.document.end
        await pilot.press("escape")


async def test_ctrl_c_with_a_selection_copies(tmp_path: Path) -> None:
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("s", "ctrl+c")
        await pilot.pause()
        sel = rs(app).reader.selection_raw()
        assert app.clipboard == rs(app).document.raw[sel[0] : sel[1]]
        messages = [n.message for n in app._notifications]
        assert not any("quit" in m.lower() for m in messages)
        assert app.is_running


async def test_undo_says_one_thing(tmp_path: Path) -> None:
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("s", "h")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        status = str(app.screen.query_one("#status").render())
        assert status.startswith("Undone: Removed the annotation on “")
        messages = [n.message for n in app._notifications]
        assert not any("Nothing to undo" in m for m in messages)
        assert app.store.list(rs(app).document.key) == []


async def test_rename_tag_says_annotation_in_singular(tmp_path: Path) -> None:
    _seed_annotations(tmp_path / "store", n=1, tags=["gaza"])
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = "gaza-strip"
        await pilot.press("enter")
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert "on 1 annotation." in status


# 11 -- s in speech-recognition text ------------------------------------------------------------
async def test_s_selects_a_sentence_sized_span_in_asr_text(tmp_path: Path) -> None:
    corpus = tmp_path / "asr"
    corpus.mkdir()
    cues = []
    for i in range(60):
        start = i * 2.0 + (1.0 if i % 9 == 0 else 0.0)
        words = " ".join(f"word{i}x{k}" for k in range(3))
        cues.append(f"{i + 1}\n00:00:{start:06.3f} --> 00:00:{start + 1.9:06.3f}\n{words}\n")
    text = "\n".join(cues).replace(".", ",")
    (corpus / "talk.srt").write_text(text, encoding="utf-8")
    app = GlossApp(corpus, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rs(app).table.move(0)
        rs(app).table.action_open()
        await settle(pilot)
        reader = rs(app).reader
        reader.focus()
        reader.move_to(len(reader.text) // 2)
        await pilot.press("s")
        await pilot.pause()
        sel = reader.selection_raw()
        assert sel is not None
        n = len(rs(app).document.raw[sel[0] : sel[1]].split())
        assert 3 <= n <= 40


async def test_find_keys_typed_faster_than_focus_moves_reach_the_bar() -> None:
    from textual import events

    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        for ch in "/israel":  # all queued at once, as tmux send-keys or a paste does
            app.post_message(events.Key("slash" if ch == "/" else ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#find", Input).value == "israel"
        assert rs(app).reader.selection is None  # "s" did not select a sentence
