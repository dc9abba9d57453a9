"""ReaderScreen: the document list, the document being read and every action on it.

The app (``GlossApp``) owns what outlives this screen (corpus, store,
passage index). Widgets post messages up to here; thread workers post
messages too (``tui.messages``), never call into the UI. ``check_action``
alone decides which actions are available, so keys, footer and palette agree.

The screen is put together from its parts, each a file of its own:
``reader_layout`` (panes, layout reactives, shared state, status line),
``reader_documents`` (opening a document), ``reader_annotations`` (the open
document's annotations) and ``reader_navigation`` (cursor, find, views,
jumps). This file holds the keys, their availability, the corpus the list
shows, and the actions done by function modules (``reader_actions``,
``citing``, ``reader_similar``).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.widgets import Input

from tui import bindings
from tui.messages import CorpusChanged, DocumentChosen, ScanFinished, SimilarFound
from tui.screens import citing, reader_actions, reader_similar
from tui.screens.reader_annotations import ReaderAnnotations
from tui.screens.reader_documents import ReaderDocuments
from tui.screens.reader_layout import NARROW
from tui.screens.reader_navigation import ReaderNavigation
from tui.widgets.doc_list import DocumentList

# Corpora up to this size get their passage index at start-up; larger ones on the
# first similar-passage request (building it for 10,000 documents takes minutes; once
# built it is memory-mapped and shared through the page cache).
AUTO_INDEX_DOCS = 2_000
NEEDS_DOCUMENT = {
    "find", "find_next", "find_prev", "toggle_raw", "toggle_split", "highlight", "tag",
    "note", "verdict", "delete_annotation", "similar", "focus_annotations", "copy", "cite",
}
NEEDS_STORE = {"highlight", "tag", "note", "verdict", "delete_annotation", "tags",
               "export", "import", "undo"}


def documents_provider() -> type:
    """The palette's document provider, imported when the palette first opens."""
    from tui.commands import DocumentsProvider

    return DocumentsProvider


class ReaderScreen(ReaderNavigation, ReaderAnnotations, ReaderDocuments):
    """List | reader | sidebar; owns the open document and its actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ALL)
    # The palette (over this screen only): any document by title. This screen's actions
    # are the app's system commands for this screen (GlossApp.get_system_commands).
    COMMANDS = {documents_provider}

    def on_mount(self) -> None:
        self.raw_pane.mode = "raw"
        self.narrow = self.app.size.width < NARROW
        self.table.focus()
        self.watch(self.app, "index_note", self._index_note, init=False)
        self.watch(self.app, "index_ready", self._index_ready, init=False)
        self.watch(self.app, "store_note", self._store_note, init=False)

    def start_background(self) -> None:
        """Everything that reads the disk starts once the first frame is painted."""
        self.query_one(DocumentList).start_scan(self.gloss.corpus)
        if self.gloss.store is not None:
            self.set_interval(1.0, self.poll_store)

    def _index_note(self, note: str) -> None:
        self.query_one(DocumentList).update_status(note)

    def _store_note(self, note: str) -> None:
        self.sidebar.show_note(note)

    # -- availability ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find" and isinstance(self.focused, Input):
            return False  # "/" types into any input (list filter, dialogs)
        if action in NEEDS_STORE and self.gloss.store is None:
            return None
        if action in NEEDS_DOCUMENT and self.document is None:
            return None
        if action in {"find_next", "find_prev"}:  # find-in-document, else a corpus search's hits
            return True if self.reader.matches or self.gloss.search_hits_here() else None
        if action == "undo":
            annotator = self.gloss.annotator
            return True if annotator is not None and annotator.undo_stack else None
        if action == "back":
            return True if self.history else False  # Backspace then edits the list filter
        if action == "copy":
            return True if self.reader.selection else None
        return True

    # -- corpus (scanned and watched by the DocumentList) ----------------------------------
    @on(ScanFinished)
    def _scan_finished(self) -> None:
        if not self.table.rows:
            self.status("No documents found in this folder.")
        self.refresh_counts()
        self.gloss.warm_repair()
        self.gloss.learn_names()
        if len(self.table.rows) <= AUTO_INDEX_DOCS:
            self.gloss.start_index()
        else:
            self.gloss.fully_loaded()
        self._open_initial()

    def _open_initial(self) -> None:
        """``gloss FILE`` (or ``open_key``): open that document at once."""
        key = self.gloss.open_key
        rows = self.table.rows
        if key is None and self.gloss.path.is_file() and len(rows) == 1:
            key = rows[0].key
        if key is None:
            return
        info = self.gloss.corpus.get(key)
        if info is None:
            self.gloss.show_error(f"No document {key!r} in {self.gloss.path}.", title="Not found")
            return
        self.post_message(DocumentChosen(info))

    @on(CorpusChanged)
    def _corpus_changed(self, event: CorpusChanged) -> None:
        if self.gloss.passage_index is not None:
            self.gloss.update_index()
        changed = {i.key for i in getattr(event.changes, "changed", [])}
        removed = {i.key for i in getattr(event.changes, "removed", [])}
        if self.info is not None and self.info.key in changed | removed:
            if self.info.key in removed:
                self.status(f"{self.info.rel_path} was removed from the folder.")
            else:
                self.status(f"{self.info.rel_path} changed on disk: reloaded.")
                fresh = self.gloss.corpus.get(self.info.key)
                if fresh is not None:
                    self.open_document(fresh)

    # -- annotating, export and import (dialogs and store writes: reader_actions) ----------
    def action_highlight(self) -> None:
        reader_actions.highlight(self)

    def action_tag(self) -> None:
        reader_actions.tag(self)

    def action_note(self) -> None:
        reader_actions.note(self)

    def action_verdict(self) -> None:
        reader_actions.verdict(self)

    def action_delete_annotation(self) -> None:
        reader_actions.delete(self)

    def action_undo(self) -> None:
        reader_actions.undo(self)

    def action_tags(self) -> None:
        reader_actions.tags(self)

    def action_export(self) -> None:
        reader_actions.export(self)

    def action_import(self) -> None:
        reader_actions.import_(self)

    def action_cite(self) -> None:
        citing.cite(self)

    # -- similar passages (reader_similar) -------------------------------------------------
    def action_similar(self) -> None:
        reader_similar.similar(self)

    def _index_ready(self, ready: bool) -> None:
        if ready and self._similar_waiting:
            self._similar_waiting = False
            self.action_similar()

    @on(SimilarFound)
    def _similar_found(self, event: SimilarFound) -> None:
        reader_similar.show(self, event)
