"""Pilot tests for defects a tester found (palette help, sidebar Esc, tag dialog)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Input

from tests.tui.helpers import SAMPLES, settle
from tui.app import GlossApp
from tui.screens.dialogs import PromptDialog


async def test_palette_help_texts_are_shown_literally(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """D4: ``[brackets]`` in a help text was eaten as markup (the Cite entry)."""
    app = GlossApp(SAMPLES / "riverton-transit-strike.srt", store_dir=tmp_path / "store")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.reader.focus()
        await pilot.press("s")  # a selection: Cite and the other selection actions are offered
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        shown = {c.title: Content.from_markup(c.help).plain for c in commands}
        assert any("[brackets]" in text for text in shown.values()), shown
        for command in commands:
            # What the palette shows is the help text with only its escapes undone.
            assert shown[command.title] == command.help.replace("\\[", "["), command.title


async def test_escape_in_sidebar_filter_returns_to_reader_when_narrow(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """D5: at 80×24 the document list is hidden; Esc in the annotation filter left focus
    nowhere useful, so the reader ignored its keys."""
    app = GlossApp(SAMPLES / "riverton-transit-strike.srt", store_dir=tmp_path / "store")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.reader.focus()
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "ann-filter"
        await pilot.press("x", "escape")
        await pilot.pause()
        assert app.focused is app.main.reader
        await pilot.press("s")
        assert app.main.reader.selection_raw() is not None


async def test_tag_dialog_appends_to_the_current_tags(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """D8: the pre-filled tags were selected, so typing replaced them."""
    app = GlossApp(SAMPLES / "riverton-transit-strike.srt", store_dir=tmp_path / "store")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.reader.focus()
        await pilot.press("s", "t")
        await pilot.pause()
        await pilot.press(*"#gaza", "enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        box = app.screen.query_one(Input)
        assert box.selection.is_empty and box.cursor_position == len(box.value)
        await pilot.press(*"UN", "enter")
        await pilot.pause()
        doc = app.main.document
        assert doc is not None
        assert [a.tags for a in app.store.list(doc.key)] == [["gaza", "UN"]]


def test_default_export_name_keeps_the_extension_readable() -> None:
    """The dot of ``strike.srt`` was dropped (``strikesrt``); now it becomes ``-``."""
    from tui.screens.export import ExportDialog

    dialog = ExportDialog(True, False, label="riverton-transit-strike.srt")
    assert dialog.label == "riverton-transit-strike-srt"
    assert ExportDialog(True, False, label="a [b].c d").label == "a-b-c-d"
