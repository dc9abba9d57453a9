"""The footer at 80x24: every key it shows is shown whole, never cut at the edge.

Textual's footer is one row; what does not fit is cut (``f Si…``) under the
command palette key. The keys left out of the footer stay on their key, in
help and in the palette (``test_new_user_defects``).
"""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.tui.helpers import SAMPLES, open_board, open_by_title, screen_after, settle
from tests.tui.test_similar_view import _corpus, _open_a_at_quote
from tui.app import GlossApp
from tui.screens.board import BoardScreen
from tui.screens.search import SearchScreen
from tui.screens.similar import CompareScreen, SimilarScreen

SIZE = (80, 24)


def footer_keys(screen: Screen[object]) -> tuple[list[str], list[str]]:
    """(keys shown whole, keys cut) in the screen's footer, as "key description"."""
    footer = screen.query_one(Footer)
    palette = footer.query(".-command-palette")
    right = palette.first().region.x if palette else footer.region.right
    shown, cut = [], []
    for key in footer.query(FooterKey):
        if "-command-palette" in key.classes or not key.display:
            continue
        label = f"{key.key_display} {key.description}"
        (shown if key.region.right <= right else cut).append(label)
    return shown, cut


def assert_whole(states: dict[str, tuple[list[str], list[str]]]) -> None:
    cut = {state: (whole, off) for state, (whole, off) in states.items() if off}
    assert not cut, "cut off at 80 columns: " + "; ".join(
        f"{state}: {off} after {whole}" for state, (whole, off) in cut.items())


async def test_reader_footer_fits_80_columns() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        states = {"list": footer_keys(app.screen)}
        open_by_title(app, "Hezbollah could be getting")
        await settle(pilot)
        app.main.reader.focus()
        await pilot.pause()
        states["reading"] = footer_keys(app.screen)
        await pilot.press("v", "w", "w")  # a selection: more actions become available
        await pilot.pause()
        states["selecting"] = footer_keys(app.screen)
        app.main.table.focus()  # browsing the list with a document open
        await pilot.pause()
        states["browsing"] = footer_keys(app.screen)
        app.main.reader.focus()
        await pilot.press("slash")
        await pilot.pause()
        states["finding"] = footer_keys(app.screen)
        await pilot.press("escape", "A")
        await pilot.pause()
        states["annotation list"] = footer_keys(app.screen)
    assert_whole(states)
    reading = states["reading"][0]
    for label in ("? Help", "h Highlight", "t Tag", "e Note", "c Verdict", "f Similar", "C Cite"):
        assert label in reading, f"{label!r} not in the footer while reading: {reading}"


async def test_other_screens_footer_fits_80_columns(tmp_path: Path) -> None:
    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await _open_a_at_quote(pilot)
        states: dict[str, tuple[list[str], list[str]]] = {}
        await screen_after(pilot, "f", SimilarScreen)
        states["similar"] = footer_keys(app.screen)
        await screen_after(pilot, "C", CompareScreen)
        states["compare"] = footer_keys(app.screen)
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        await screen_after(pilot, "ctrl+g", BoardScreen)
        states["board"] = footer_keys(app.screen)
        await pilot.press("escape")
        await settle(pilot)
        await screen_after(pilot, "ctrl+f", SearchScreen)
        states["search"] = footer_keys(app.screen)
    assert_whole(states)


async def test_keys_left_out_of_the_footer_stay_in_palette_and_help(tmp_path: Path) -> None:
    from tui.screens.help import HelpScreen

    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await _open_a_at_quote(pilot)
        shown, _ = footer_keys(app.screen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("View: raw / repaired", "Search the corpus", "Annotation board", "Quit"):
            assert title in titles, title
        assert not any(label.startswith(("r ", "q ", "^f ", "^g ")) for label in shown), shown
        board = await open_board(pilot)
        shown, _ = footer_keys(board)
        commands = {c.title: c for c in app.get_system_commands(board)}
        for title in ("Board: Undo", "Board: Sort", "Board: Mark all", "Board: Export"):
            assert title in commands, title
        assert "^o Sort" not in shown and "^z Undo" not in shown
        column = board.column
        await commands["Board: Sort"].callback()  # what the palette runs
        assert board.column != column
        await pilot.press("f1")  # on the board ? types into the filter
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        helped = {b.tooltip for _, group in app.screen.groups for b in group}
        assert "Undo the last bulk action" in helped and "Sort by the next column" in helped
