"""Workers post messages (tui/messages.py), never ``call_from_thread`` into the UI; a
result that arrives late (its worker replaced by a newer one) changes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.widgets import Static

from annotations.annotation import Annotation
from annotations.board import Board
from annotations.store import AnnotationStore
from tests.tui.helpers import ROOT, open_board, open_search, settle
from tests.tui.test_search_board import _corpus
from tui.app import GlossApp
from tui.messages import BoardCounted, BoardRead, HitsFound, SearchDone
from tui.screens.board import BoardScreen
from tui.screens.search import SearchScreen


def test_no_call_from_thread_in_the_app() -> None:
    """Every thread worker posts its result; nothing in tui/ calls into the UI from a
    thread (a call there runs even while the app shuts down, its screens gone)."""
    uses = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        uses += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                 if isinstance(node, ast.Attribute) and node.attr == "call_from_thread"]
    assert uses == []


def test_the_check_sees_a_call() -> None:
    tree = ast.parse("self.app.call_from_thread(self._done, 1)")
    assert any(isinstance(n, ast.Attribute) and n.attr == "call_from_thread"
               for n in ast.walk(tree))


def status(screen: SearchScreen | BoardScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_replaced_query_adds_nothing_to_the_new_one(tmp_path: Path) -> None:
    root, store = _corpus(tmp_path)
    app = GlossApp(root, store_dir=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_search(pilot)
        await pilot.press(*"rockets", "enter")
        await settle(pilot)
        old_hits, old_run = list(screen.hits), screen._run
        assert old_hits
        screen.query_one("#q").focus()
        await pilot.press(*(["backspace"] * 7), *"dusk", "enter")
        await settle(pilot)
        dusk = list(screen.hits)
        line = status(screen, "#search-status")
        assert dusk and len(dusk) < len(old_hits) and "1 hits in 1 documents" in line, line
        # the first query's worker, cancelled, was still posting
        screen.post_message(HitsFound(old_run, old_hits, 9))
        screen.post_message(SearchDone(old_run, 9, True))
        await pilot.pause()
        assert screen.hits == dusk and screen.shown == dusk
        assert status(screen, "#search-status") == line


async def test_the_board_keeps_its_latest_read_and_count(tmp_path: Path) -> None:
    root, store_dir = _corpus(tmp_path)
    store = AnnotationStore(store_dir, fsync=False)
    store.add(Annotation(doc_key="vidA", raw_start=0, raw_end=9, quote="Iron Dome",
                         verdict="false", id="a0"))
    app = GlossApp(root, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_board(pilot)
        assert len(screen.board.rows) == 1 and screen.load_note == ""
        counts = status(screen, "#board-counts")
        assert counts.startswith("1 shown"), counts
        # an earlier read (a copy of fewer rows) and an earlier view's count, late
        screen.post_message(BoardRead(Board(), "reading 0/1 documents", 0))
        screen.post_message(BoardCounted("0 shown · stale", 0))
        await pilot.pause()
        assert len(screen.board.rows) == 1 and screen.load_note == ""
        assert status(screen, "#board-counts") == counts
