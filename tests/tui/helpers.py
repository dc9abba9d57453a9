"""Shared helpers for Pilot tests."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path("sample_docs")  # relative: header text is the same on every clone

T = TypeVar("T")


async def _workers_done(pilot: Pilot) -> None:
    """Wait for every worker; one cancelled by a newer exclusive one is simply done."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """Wait until workers are idle and the screen has caught up."""
    await pilot.pause()
    await _workers_done(pilot)
    await pilot.pause()
    await _workers_done(pilot)
    await pilot.pause()


def open_by_title(app, fragment: str) -> None:  # type: ignore[no-untyped-def]
    table = app.main.table
    for n, i in enumerate(table.visible_rows):
        if fragment.lower() in table.rows[i].title.lower():
            table.move(n)
            table.action_open()
            return
    raise AssertionError(f"no document titled {fragment!r}")


def screen_lines(app) -> list[str]:  # type: ignore[no-untyped-def]
    """What the terminal shows now, one string per row (every layer composited)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_segments(app):  # type: ignore[no-untyped-def]
    """Every text segment the terminal would receive for the current screen."""
    for strip in app.screen._compositor.render_strips():
        yield from strip


async def screen_after(pilot: Pilot, key: str, kind: type[T]) -> T:
    """Press ``key``, wait for the workers, and return the screen it opened (a ``kind``)."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind), screen
    return screen


async def open_board(pilot: Pilot):  # type: ignore[no-untyped-def]
    """Ctrl+G from the reader: the annotation board, once its workers are done."""
    from tui.screens.board import BoardScreen

    return await screen_after(pilot, "ctrl+g", BoardScreen)


async def open_search(pilot: Pilot):  # type: ignore[no-untyped-def]
    """Ctrl+F from the reader: the corpus search screen."""
    from tui.screens.search import SearchScreen

    await pilot.press("ctrl+f")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen
