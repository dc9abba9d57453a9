"""Pilot: the command palette offers what the screen it is opened on can do.

Opened over the board, the search view, the similar view or a dialog, it lists that
screen's keys and the app-wide commands, never the reading screen's actions (which
would act on the reader hidden underneath) nor the reader's document list.
"""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from annotations.store import AnnotationStore
from tests.tui.helpers import open_board, screen_after, settle
from tests.tui.test_similar_view import _corpus, _open_a_at_quote
from tui.app import GlossApp
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.search import SearchScreen
from tui.screens.similar import SimilarScreen

# Reader titles (tui/bindings.py EXTRA_TITLES) and the document provider's "Open: …".
READER_ONLY = ("Annotate: highlight", "Similar passages", "Annotate: verdict…",
               "View: raw / repaired", "Documents: filter", "Open: Convoy report")


async def _palette(pilot: Pilot, query: str) -> list[str]:  # type: ignore[type-arg]
    """Open the palette with Ctrl+P, type ``query``; the titles it offers."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await settle(pilot)
    options = pilot.app.screen.query_one(CommandList).options
    return [str(option.prompt).split("\n")[0] for option in options]


def _reader_titles(titles: list[str]) -> list[str]:
    return [t for t in titles if t.startswith(READER_ONLY)]


async def _close_palette(pilot: Pilot) -> None:  # type: ignore[type-arg]
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(pilot.app.screen, CommandPalette)


async def _reader_with_selection(pilot: Pilot) -> GlossApp:  # type: ignore[type-arg]
    app = await _open_a_at_quote(pilot)
    await pilot.press("s")  # a selection: highlight, verdict, similar… are available
    await pilot.pause()
    assert app.main.reader.selection_raw() is not None
    return app


async def test_palette_on_the_reader_offers_reader_actions(tmp_path: Path) -> None:
    """The control: the same queries on the reading screen do find its actions."""
    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _reader_with_selection(pilot)
        assert "Annotate: highlight" in await _palette(pilot, "highlight")
        await _close_palette(pilot)
        assert "Similar passages" in await _palette(pilot, "similar")
        await _close_palette(pilot)
        assert any(t.startswith("Open: Convoy report B") for t in await _palette(pilot, "convoy"))


async def test_palette_on_the_board_never_acts_on_the_reader(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await _reader_with_selection(pilot)
        doc = app.main.document
        board = await open_board(pilot)
        titles = await _palette(pilot, "highlight")
        assert not _reader_titles(titles), titles
        await pilot.press("enter")  # whatever is offered runs: nothing is highlighted
        await settle(pilot)
        assert list(AnnotationStore(store_dir, fsync=False).iter_all()) == []
        if isinstance(app.screen, CommandPalette):
            await _close_palette(pilot)
        assert app.screen is board
        for query in ("similar", "verdict", "raw", "convoy", "documents"):
            titles = await _palette(pilot, query)
            assert not _reader_titles(titles), (query, titles)
            await _close_palette(pilot)
        assert app.screen is board and app.main.document is doc
        # The board's own keys and the app-wide commands are offered, and act on the board.
        assert "Board: Sort" in await _palette(pilot, "board sort")
        column = board.column
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is board and board.column != column
        titles = await _palette(pilot, "search the")
        assert "Search the corpus" in titles, titles


async def test_palette_on_search_and_similar_views_offers_only_their_keys(tmp_path: Path) -> None:
    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _reader_with_selection(pilot)
        await screen_after(pilot, "ctrl+f", SearchScreen)
        for query in ("highlight", "similar", "convoy"):
            titles = await _palette(pilot, query)
            assert not _reader_titles(titles), (query, titles)
            await _close_palette(pilot)
        assert "Search: Fuzzy" in await _palette(pilot, "fuzzy")
        await _close_palette(pilot)
        await pilot.press("escape")
        await settle(pilot)
        app.main.reader.focus()
        await pilot.press("f")
        await settle(pilot)
        similar = app.screen
        assert isinstance(similar, SimilarScreen)
        for query in ("highlight", "similar passages", "verdict", "convoy"):
            titles = await _palette(pilot, query)
            assert not _reader_titles(titles), (query, titles)
            await _close_palette(pilot)
        assert "Similar view: Compare" in await _palette(pilot, "compare")
        await _close_palette(pilot)
        assert app.screen is similar


async def test_palette_on_a_dialog_offers_no_reader_action(tmp_path: Path) -> None:
    app = GlossApp(_corpus(tmp_path / "corpus"), store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _reader_with_selection(pilot)
        await screen_after(pilot, "E", ExportDialog)
        assert not _reader_titles(await _palette(pilot, "highlight"))
        await _close_palette(pilot)
        await pilot.press("escape")
        await pilot.pause()
        app.main.reader.focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not _reader_titles(await _palette(pilot, "similar"))
        await _close_palette(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit" in titles and not _reader_titles(titles), titles
