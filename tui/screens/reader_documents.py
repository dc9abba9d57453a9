"""Opening a document on the reader screen: load and repair in a worker, then show.

The worker posts ``DocumentLoaded`` (a long document first with its repaired
head, then ``RepairFinished``); the handlers here show it in both panes and
the sidebar. A message for a document no longer open is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from annotations.formats import document_words
from annotations.textsafe import one_line
from tui.messages import DocumentChosen, DocumentLoaded, RepairFinished
from tui.screens.reader_layout import ReaderLayout

if TYPE_CHECKING:
    from annotations.model import DocInfo, Document
    from annotations.repair.edits import Repaired


def cue_breaks(doc: Document, pause: float = 0.5) -> list[tuple[int, bool]]:
    """Where caption cues start in the raw text, and whether a silence comes before."""
    out: list[tuple[int, bool]] = []
    prev_end: float | None = None
    for cue in doc.cues:
        out.append((cue.raw_start, prev_end is not None and cue.start - prev_end >= pause))
        prev_end = cue.end
    return out


def doc_status(doc: Document, repaired: Repaired | None) -> str:
    """Title, words, repairs and any loader notes, for the status line."""
    n = len(repaired.edits) if repaired else 0
    notes = "; ".join(doc.info.problems)
    msg = f"{one_line(doc.title, 60)} · {document_words(doc):,} words · {n} repairs"
    return msg + (f" · ! {notes}" if notes else "")


class ReaderDocuments(ReaderLayout):
    """Part of ``ReaderScreen``: choosing, loading and showing a document."""

    if TYPE_CHECKING:  # provided by the other parts of ReaderScreen
        def load_annotations(self) -> None: ...

        def _close_find(self, *, keep: bool) -> None: ...

    @on(DocumentChosen)
    def _chosen(self, event: DocumentChosen) -> None:
        event.stop()
        self.open_document(event.info)
        if self.narrow:
            self.show_list = False  # small terminals: Ctrl+O brings the list back
        self.reader.focus()

    def open_document(self, info: DocInfo) -> None:
        if self.info is None or self.info.key != info.key:
            self._close_find(keep=False)
            self.sidebar.clear_filter()
        self.info = info
        self.table.current_key = info.key
        self.table.refresh()
        self.sidebar.show_document(info, None)
        if info.error:
            self.document = None
            self.reader.show_message(f"✗ {info.rel_path}: {info.error}")
            self.raw_pane.show_message(f"✗ {info.error}")
            self.status(f"Cannot open: {info.error}")
            self.load_annotations()
            return
        self.status(f"Opening {one_line(info.title, 80)}…")
        self.load_document(info)

    @work(thread=True, exclusive=True, group="open", name="open document", exit_on_error=False)
    def load_document(self, info: DocInfo) -> None:
        from annotations.repair import repair
        from annotations.repair.progressive import repair_head

        doc = self.gloss.corpus.load(info)
        if not doc.info.ok:
            self.post_message(DocumentLoaded(doc, None))
            return
        ctx = self.gloss.repair_context(doc)
        head = repair_head(doc.raw, ctx)
        if head is not None:
            # Long document: show the repaired head now, the full repair when ready.
            self.post_message(DocumentLoaded(doc, head, partial=True))
            full = repair(doc.raw, ctx)
            self.post_message(RepairFinished(doc, full))
        else:
            self.post_message(DocumentLoaded(doc, repair(doc.raw, ctx)))

    @on(RepairFinished)
    def _repair_finished(self, event: RepairFinished) -> None:
        if self.document is not event.document:
            return
        self.reader.replace_repaired(event.repaired)
        self.raw_pane.replace_repaired(event.repaired)
        self.status(doc_status(event.document, event.repaired))

    @on(DocumentLoaded)
    def _document_loaded(self, event: DocumentLoaded) -> None:
        doc = event.document
        if self.info is None or doc.info.key != self.info.key:
            return
        self.document = doc
        self.info = doc.info
        if doc.info.error:
            self.reader.show_message(f"✗ {doc.info.rel_path}: {doc.info.error}")
            self.status(f"Cannot open: {doc.info.error}")
        else:
            self.reader.show(doc.key, doc.raw, event.repaired)
            self.raw_pane.show(doc.key, doc.raw, event.repaired)
            cues = cue_breaks(doc)
            self.reader.set_cues(cues)
            self.raw_pane.set_cues(cues)
            self.status(doc_status(doc, event.repaired))
        self.sidebar.show_document(doc.info, doc)
        self.load_annotations()
        if self._pending_jump is not None:
            start, end = self._pending_jump
            self._pending_jump = None
            self.reader.go_to_raw(start, end if end > start else None)
        self.refresh_bindings()
