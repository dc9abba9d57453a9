"""Results that reach the app while it shuts down (a worker or the search indexer
finishing late) are dropped quietly: never "No screens on stack" on the way out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
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
    """The search indexer is a child process nothing waits for: its last note can reach
    the app after the screens closed (the "No screens on stack" failure seen once in
    tests/tui/test_drafts.py under a loaded full run)."""
    from tui.search_actions import SearchIndexNote

    await run_and_deliver_on_exit(tmp_path, lambda app: SearchIndexNote("", finished=True))


async def test_draft_document_read_while_closing(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A restored draft's document read just as gloss leaves: nothing is written (no
    reader to show it in), and the draft stays on disk for the next start."""
    from tui import drafts
    from tui.drafts import Draft
    from tui.messages import DraftDocumentRead

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    quote = "The council met on Tuesday."
    kept: list[Draft] = []

    def late(app: Any) -> DraftDocumentRead:
        doc = app.corpus.load(app.corpus.infos[0])
        start = doc.raw.index(quote)
        d = Draft(corpus=drafts.corpus_id(app.path), doc_key=doc.key, raw_start=start,
                  raw_end=start + len(quote), quote=quote, note="who said so?")
        drafts.save(d)
        kept.append(d)
        return DraftDocumentRead(d, d.note, doc)

    await run_and_deliver_on_exit(tmp_path, late)
    from annotations.store import AnnotationStore

    assert list(AnnotationStore(tmp_path / "store").iter_all()) == []
    assert [d.id for d in drafts.load()] == [kept[0].id]
