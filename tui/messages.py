"""Every message the app's widgets, screens and workers send, in one place.

Widgets post these up to the screen; thread workers post them instead of
calling into the UI (``post_message`` is thread-safe), so each result is
handled on the UI thread by an ordinary ``on_…`` handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from annotations.annotation import Annotation
    from annotations.board import BulkResult
    from annotations.model import DocInfo, Document
    from annotations.repair.edits import Repaired
    from tui.widgets.reader import Reader


# -- from widgets ------------------------------------------------------------------
@dataclass
class DocumentChosen(Message):
    """The user picked a document (list Enter or click, palette)."""

    info: DocInfo


@dataclass
class AnnotationChosen(Message):
    """Enter on an annotation in the sidebar list: jump to it."""

    annotation: Annotation


@dataclass
class CursorMoved(Message):
    """A reader's cursor or selection changed."""

    reader: Reader


@dataclass
class SearchCleared(Message):
    """Esc in the reader cleared the search: the find bar closes."""


# -- from workers --------------------------------------------------------------------
@dataclass
class RowsScanned(Message):
    """A batch of documents found by the corpus scan."""

    batch: list[DocInfo]
    done: int


@dataclass
class ScanFinished(Message):
    """The corpus scan is complete."""


@dataclass
class CorpusChanged(Message):
    """Files were added, changed or removed on disk."""

    changes: Any


@dataclass
class DocumentLoaded(Message):
    """A document read and repaired (``partial``: only its head is repaired so far)."""

    document: Document
    repaired: Repaired | None
    partial: bool = False


@dataclass
class RepairFinished(Message):
    """The full repair of a long document, after its head was shown."""

    document: Document
    repaired: Repaired


@dataclass
class CountsLoaded(Message):
    """Annotation counts per document, for the list (with each document's tags and
    verdicts, for the list filter's free words and ``verdict:``)."""

    counts: dict[str, int]
    tags: dict[str, str] | None = None  # key -> its annotations' tags, lower-cased, joined
    verdicts: dict[str, list[str]] | None = None


@dataclass
class SimilarFound(Message):
    """Matches for a passage of the open document."""

    key: str
    start: int
    end: int
    matches: list[Any]
    # (doc key, raw start, raw end) -> the match's edited quote (inferred characters in
    # [brackets], lost text as […]): what the view shows of each match.
    edited: dict[tuple[str, int, int], str] = field(default_factory=dict)


@dataclass
class IndexProgress(Message):
    """The passage index build progressed ('' when done)."""

    note: str


@dataclass
class IndexBuilt(Message):
    """The passage index is ready (``index`` None: it failed; the app says why)."""

    index: Any


@dataclass
class Finished(Message):
    """A background job (export, import) is done; ``message`` says what happened."""

    title: str
    message: str
    ok: bool = True
    reload: bool = False


@dataclass
class BulkDone(Message):
    """A board bulk action (verdict, tag) or its undo is written; ``record``: keep it
    for Ctrl+Z (an undo is not recorded)."""

    result: BulkResult
    record: bool = True


@dataclass
class CompareReady(Message):
    """The matched document loaded and repaired, for the side-by-side comparison."""

    other: Document
    other_repaired: Repaired
    match: Any
