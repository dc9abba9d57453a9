"""Every message the app's widgets, screens and workers send, in one place.

Widgets post these up to the screen; thread workers post them instead of
calling into the UI (``post_message`` is thread-safe; no ``call_from_thread``
in tui/, tests/tui/test_worker_messages.py checks), so each result is handled on the
UI thread by an ordinary ``on_…`` / ``@on`` handler, and only while its
receiver lives: a message posted to a closed screen, or to an app that is
closing, is dropped. The app still handles what was queued while its screens
are closed already: its handlers that reach a screen check ``is_running``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from annotations.annotation import Annotation
    from annotations.board import Board, BulkResult
    from annotations.model import DocInfo, Document
    from annotations.repair.edits import Repaired
    from annotations.search.kwic import Hit
    from annotations.search.query import Query
    from tui.drafts import Draft
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
class BoardRead(Message):
    """The board read so far (a copy while reading goes on; ``note`` says how far, ''
    once all is read). ``seq`` numbers the posts: the screen skips one that a later
    post, further read, already replaces."""

    board: Board
    note: str
    seq: int


@dataclass
class BoardChanged(Message):
    """Other writers changed (``fresh``: each document's annotations now) or removed
    (``gone``) documents, seen by the board's live refresh."""

    fresh: list[tuple[str, list[Annotation]]]
    gone: set[str]


@dataclass
class BoardCounted(Message):
    """The board's count line for the view numbered ``seq`` (a later view's wins)."""

    line: str
    seq: int


@dataclass
class OrphansChecked(Message):
    """Board rows re-anchored: ``orphans`` (annotation ids) among the ``checked`` documents."""

    orphans: set[str]
    checked: set[str]


@dataclass
class SearchBegun(Message):
    """Search ``run``: the query is parsed and ``matching`` documents match."""

    run: int
    query: Query
    matching: int


@dataclass
class HitsFound(Message):
    """Search ``run``: more hits, ``looked`` documents looked into so far."""

    run: int
    hits: list[Hit]
    looked: int


@dataclass
class SearchDone(Message):
    """Search ``run`` ended (``complete`` False: it stopped at the hit limit)."""

    run: int
    looked: int
    complete: bool


@dataclass
class SearchFailed(Message):
    """Search ``run`` could not run (a bad query, an index problem): ``message`` says why."""

    run: int
    message: str


@dataclass
class DraftsFound(Message):
    """Unsaved note drafts of this corpus, found at start-up."""

    drafts: list[Draft]


@dataclass
class DraftDocumentRead(Message):
    """A restored draft's document read off the UI thread, to save ``text`` there.
    ``document`` None: the note cannot be placed, ``why`` says why (``gone``: the draft
    was restored or discarded by another gloss meanwhile)."""

    draft: Draft
    text: str
    document: Document | None
    why: str = ""
    gone: bool = False


@dataclass
class CompareReady(Message):
    """The matched document loaded and repaired, for the side-by-side comparison."""

    other: Document
    other_repaired: Repaired
    match: Any
