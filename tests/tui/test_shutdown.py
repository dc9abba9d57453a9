"""Results that reach the app while it shuts down (a worker or the search indexer
finishing late) are dropped quietly: never "No screens on stack" on the way out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.message import Message

from tests.tui.helpers import settle


def write_corpus(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    (root / "council.txt").write_text("Council report\nThe council met on Tuesday.\n",
                                      encoding="utf-8")
    return root


async def run_and_deliver_on_exit(tmp_path: Path, late: Any) -> None:
    """Run the app; once its screens are closed (the app still handling its own
    messages), post ``late()`` to it, as a thread would at that moment."""
    from tui.app import GlossApp

    app = GlossApp(write_corpus(tmp_path / "c"), store_dir=tmp_path / "store")
    close_all = app._close_all
    delivered: list[Message] = []

    async def close_all_then_deliver() -> None:
        await close_all()
        assert not app.screen_stack  # the window the late message lands in
        message = late(app)
        delivered.append(message)
        assert app.post_message(message)  # still accepted: the app is not closing yet

    app._close_all = close_all_then_deliver  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert delivered  # and run_test re-raised nothing from its handler


async def test_search_index_note_while_closing(tmp_path: Path) -> None:
    from tui.search_actions import SearchIndexNote

    await run_and_deliver_on_exit(tmp_path, lambda app: SearchIndexNote("", finished=True))
