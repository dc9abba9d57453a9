"""Annotations on the reader screen: shown from the store, picked, and acted on.

Shows the open document's annotations (re-anchored by quote) in the reader,
the raw pane and the sidebar, picks up other processes' writes by polling the
store's version, and finds the annotation an action applies to (the annotating
actions themselves, dialogs and store writes, are in ``reader_actions``).
Export and import workers post ``Finished`` back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import OptionList

from annotations.textsafe import one_line
from tui.editing import annotations_at
from tui.messages import AnnotationChosen, Finished
from tui.screens import citing
from tui.screens.reader_layout import ReaderLayout
from tui.widgets.doc_list import DocumentList
from tui.widgets.reader_styles import Highlight

if TYPE_CHECKING:
    from annotations.annotation import Annotation


class ReaderAnnotations(ReaderLayout):
    """Part of ``ReaderScreen``: the open document's annotations on screen."""

    # -- annotations on screen ------------------------------------------------------------
    def refresh_counts(self) -> None:
        if self.gloss.store is not None:
            self.query_one(DocumentList).load_counts(self.gloss.store)

    def load_annotations(self) -> None:
        from annotations.store import StoreError

        doc, store = self.document, self.gloss.store
        if store is None or doc is None:
            self.annotations = []
            self.sidebar.set_annotations([])
            self.reader.set_highlights([])
            return
        self._store_version = store.version(doc.key)
        try:
            # a merged document (transcript + caption file) shows the annotations made on
            # either file, re-anchored by quote below
            keys = self.gloss.corpus.keys_of(doc.key)
            stored = [a for k in keys for a in store.list(k)]
        except StoreError as exc:
            self.gloss.show_error(str(exc), title="Annotations read-only")
            stored = []
        problem = store.problem(doc.key)
        if problem:
            self.sidebar.show_note(problem)
        from annotations.anchor import anchor_all

        self.annotations = anchor_all(stored, doc.raw)
        self.sidebar.set_annotations(self.annotations, quote_of=self._shown_quote,
                                     time_of=lambda a: citing.time_at(doc, a.raw_start))
        marks = [Highlight(a.raw_start, a.raw_end, a.color, a.id)
                 for a in self.annotations if not a.orphan]
        self.reader.set_highlights(marks)
        self.raw_pane.set_highlights(marks)

    def _shown_quote(self, ann: Annotation) -> str:
        """An annotation's quote as the reader shows it (repaired), for the sidebar."""
        rep = self.reader.repaired
        if ann.orphan or rep.raw != (self.document.raw if self.document else None):
            return ann.quote
        ds, de = rep.display_span(ann.raw_start, ann.raw_end)
        return rep.text[ds:de]

    def poll_store(self) -> None:
        """Pick up another process's writes to the open document."""
        store = self.gloss.store
        if store is None or self.document is None:
            return
        if store.version(self.document.key) != self._store_version:
            self.load_annotations()
            self.refresh_counts()

    def annotation_at_cursor(self) -> Annotation | None:
        """The annotation highlighted in the list, exactly selected, or under the cursor."""
        focused = self.focused
        if focused is not None and focused.id == "ann-list":
            return self.sidebar.highlighted_annotation
        return self.annotation_selected() or annotations_at(self.annotations,
                                                            self.reader.cursor_raw())

    def annotation_selected(self) -> Annotation | None:
        """The annotation whose span is exactly the selection (a selection on it edits it)."""
        sel = self.reader.selection_raw()
        if sel is None:
            return None
        return next((a for a in self.annotations
                     if not a.orphan and (a.raw_start, a.raw_end) == sel), None)

    @on(AnnotationChosen)
    def _annotation_chosen(self, event: AnnotationChosen) -> None:
        ann = event.annotation
        if ann.orphan:
            self.status(f"Orphan: “{one_line(ann.quote, 60)}” is no longer in this text.")
            return
        self.reader.go_to_raw(ann.raw_start, ann.raw_end)
        self.reader.focus()

    # -- the sidebar's annotation list ---------------------------------------------------
    def action_focus_annotations(self) -> None:
        self.show_sidebar = True
        options = self.sidebar.query_one("#ann-list", OptionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()

    # -- export and import results (workers in tui.screens.reader_actions) -------------------
    @on(Finished)
    def _finished(self, event: Finished) -> None:
        if event.ok:
            self.gloss.say(event.message, title=event.title, timeout=10)
            self.status(event.message)
        else:
            self.gloss.show_error(event.message, title=event.title)
        if event.reload:
            self.load_annotations()
            self.refresh_counts()
