"""ReaderScreen: the document list, the document being read and every action on it.

The app (``GlossApp``) owns what outlives this screen (corpus, store,
passage index). Widgets post messages up to here; thread workers post
messages too (``tui.messages``), never call into the UI. ``check_action``
alone decides which actions are available, so keys, footer and palette agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static

from annotations.formats import document_words
from annotations.textsafe import one_line
from tui import bindings
from tui.editing import annotations_at
from tui.history import JumpHistory
from tui.messages import (
    AnnotationChosen,
    CorpusChanged,
    CursorMoved,
    DocumentChosen,
    DocumentLoaded,
    Finished,
    RepairFinished,
    ScanFinished,
    SimilarFound,
)
from tui.screens import citing, reader_actions, reader_similar
from tui.widgets.doc_list import DocTable, DocumentList
from tui.widgets.find_bar import FindBar
from tui.widgets.reader import Reader
from tui.widgets.reader_styles import Highlight
from tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from annotations.annotation import Annotation
    from annotations.model import DocInfo, Document
    from annotations.repair.edits import Repaired
    from tui.app import GlossApp

# Corpora up to this size get their passage index at start-up; larger ones on the
# first similar-passage request (building it for 10,000 documents takes minutes; once
# built it is memory-mapped and shared through the page cache).
AUTO_INDEX_DOCS = 2_000
NARROW = 110  # below this width the list hides while reading
NEEDS_DOCUMENT = {
    "find", "find_next", "find_prev", "toggle_raw", "toggle_split", "highlight", "tag",
    "note", "verdict", "delete_annotation", "similar", "focus_annotations", "copy", "cite",
}
NEEDS_STORE = {"highlight", "tag", "note", "verdict", "delete_annotation", "tags",
               "export", "import", "undo"}


def cue_breaks(doc: Document, pause: float = 0.5) -> list[tuple[int, bool]]:
    """Where caption cues start in the raw text, and whether a silence comes before."""
    out: list[tuple[int, bool]] = []
    prev_end: float | None = None
    for cue in doc.cues:
        out.append((cue.raw_start, prev_end is not None and cue.start - prev_end >= pause))
        prev_end = cue.end
    return out


class ReaderScreen(Screen[None]):
    """List | reader | sidebar; owns the open document and its actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ALL)

    show_list: reactive[bool] = reactive(True)
    show_sidebar: reactive[bool] = reactive(True)
    split: reactive[bool] = reactive(False)
    finding: reactive[bool] = reactive(False)
    narrow: reactive[bool] = reactive(False)
    browsing: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.info: DocInfo | None = None
        self.document: Document | None = None
        self.annotations: list[Annotation] = []
        self.history = JumpHistory()
        self.include_same = False
        self._store_version: object = None
        self._pending_jump: tuple[int, int] | None = None
        self._similar_source: tuple[str, int, int, Annotation | None] | None = None
        self._similar_waiting = False

    @property
    def gloss(self) -> GlossApp:
        from tui.app import GlossApp

        assert isinstance(self.app, GlossApp)
        return self.app

    # -- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="main"):
            yield DocumentList(id="list")
            with Vertical(id="center"):
                with Horizontal(id="readers"):
                    yield Reader(id="reader")
                    yield Reader(id="raw-pane")
                yield FindBar(id="find")
                yield Static("", id="status")
            yield Sidebar(id="sidebar")
        yield Footer()

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def raw_pane(self) -> Reader:
        return self.query_one("#raw-pane", Reader)

    @property
    def table(self) -> DocTable:
        return self.query_one(DocTable)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

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

    def on_resize(self) -> None:
        self.narrow = self.app.size.width < NARROW

    # -- reactive layout ----------------------------------------------------------------
    def watch_show_list(self, show: bool) -> None:
        self.query_one("#main").set_class(not show, "-no-list")

    def watch_show_sidebar(self, show: bool) -> None:
        self.query_one("#main").set_class(not show, "-no-sidebar")

    def watch_split(self, split: bool) -> None:
        self.query_one("#center").set_class(split, "-split")

    def watch_finding(self, finding: bool) -> None:
        self.query_one("#center").set_class(finding, "-finding")

    def watch_browsing(self, browsing: bool) -> None:
        self.query_one("#main").set_class(browsing, "-browsing")

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        if narrow and self.document is not None and not self.browsing:
            self.show_list = False  # small terminal: the reader gets the room

    def on_descendant_focus(self) -> None:
        focused = self.focused
        self.browsing = focused is not None and self.query_one("#list") in focused.ancestors_with_self
        if self.narrow and self.document is not None and not self.browsing:
            self.show_list = False  # back to reading on a small terminal: the reader gets the room
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text) else Text(one_line(text, 400)))

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

    # -- opening a document -------------------------------------------------------------
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
        self.status(self._doc_status(event.document, event.repaired))

    @staticmethod
    def _doc_status(doc: Document, repaired: Repaired | None) -> str:
        """Title, words, repairs and any loader notes, for the status line."""
        n = len(repaired.edits) if repaired else 0
        notes = "; ".join(doc.info.problems)
        msg = f"{one_line(doc.title, 60)} · {document_words(doc):,} words · {n} repairs"
        return msg + (f" · ! {notes}" if notes else "")

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
            self.status(self._doc_status(doc, event.repaired))
        self.sidebar.show_document(doc.info, doc)
        self.load_annotations()
        if self._pending_jump is not None:
            start, end = self._pending_jump
            self._pending_jump = None
            self.reader.go_to_raw(start, end if end > start else None)
        self.refresh_bindings()

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

    # -- reader status line -----------------------------------------------------------------
    @on(CursorMoved)
    def _cursor_moved(self, event: CursorMoved) -> None:
        reader = event.reader
        if reader is self.reader and self.split:
            self._sync_panes(reader, self.raw_pane)
        elif reader is self.raw_pane:
            self._sync_panes(reader, self.reader)
        status = reader.describe_cursor()
        at = citing.time_at(self.document, reader.cursor_raw())
        if at:
            status = Text(f"⏱ {at} · ").append_text(status)
        self.status(status)
        self.refresh_bindings()

    def _sync_panes(self, source: Reader, target: Reader) -> None:
        """Keep the other pane at the same raw position (panes scroll together)."""
        target.place_at_raw(source.cursor_raw(), source.cursor_line - source.scroll_offset.y)

    # -- find ------------------------------------------------------------------------------
    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        self.finding = True
        bar.display = True  # at once: focus() is deferred, and keys typed meanwhile
        self.reader.typing_to = bar  # (a fast typist, a paste, tmux) go to the bar
        bar.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reader.set_search(event.value)
        if event.value and not self.reader.matches:
            self.status(f"No match for “{one_line(event.value, 60)}”")
        else:
            self.status(self.reader.describe_cursor() if event.value else Text(""))
        self.refresh_bindings()

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self._close_find(keep=event.keep)
        self.reader.focus()

    def _close_find(self, *, keep: bool) -> None:
        """Hide the bar (Tab no longer lands in it); without ``keep`` the search is cleared."""
        bar = self.query_one(FindBar)
        self.finding = False
        bar.display = False
        self.reader.typing_to = None
        if not keep:
            with bar.prevent(Input.Changed):
                bar.value = ""
            self.reader.set_search("")
        self.refresh_bindings()

    def on_search_cleared(self) -> None:
        self._close_find(keep=False)

    def action_find_next(self) -> None:
        if not self.reader.matches and self.gloss.search_step():
            return
        self.reader.find_next()

    def action_find_prev(self) -> None:
        if not self.reader.matches and self.gloss.search_step(backwards=True):
            return
        self.reader.find_next(backwards=True)

    # -- views ------------------------------------------------------------------------------
    def action_toggle_raw(self) -> None:
        self.reader.mode = "raw" if self.reader.mode == "repaired" else "repaired"
        self.status(f"Showing {self.reader.mode} text")

    def action_toggle_split(self) -> None:
        self.split = not self.split
        if self.split:
            self.show_list = False  # room for two panes; Ctrl+L shows it
            self.reader.mode = "repaired"
            self.call_after_refresh(self._sync_panes, self.reader, self.raw_pane)
            self.status("Side by side: repaired | raw (panes scroll together)")

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar

    def action_focus_list(self) -> None:
        self.show_list = True
        self.query_one("#filter", Input).focus()

    def action_copy(self) -> None:
        self.reader.action_copy_selection()

    def action_cite(self) -> None:
        citing.cite(self)

    # -- annotating (dialogs and store writes in tui.screens.reader_actions) ----------------
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

    def action_focus_annotations(self) -> None:
        self.show_sidebar = True
        options = self.sidebar.query_one("#ann-list", OptionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()

    def action_export(self) -> None:
        reader_actions.export(self)

    def action_import(self) -> None:
        reader_actions.import_(self)

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

    # -- similar passages (tui.screens.reader_similar) -----------------------------------------
    def action_similar(self) -> None:
        reader_similar.similar(self)

    def _index_ready(self, ready: bool) -> None:
        if ready and self._similar_waiting:
            self._similar_waiting = False
            self.action_similar()

    @on(SimilarFound)
    def _similar_found(self, event: SimilarFound) -> None:
        reader_similar.show(self, event)

    def go_to(self, key: str, start: int, end: int | None) -> None:
        info = self.gloss.corpus.get(key)
        if info is None:
            self.gloss.show_error(f"Document {key} is no longer in the corpus.")
            return
        if self.document is not None and self.document.key == key:
            self.reader.go_to_raw(start, end)
        else:
            self._pending_jump = (start, end if end is not None else start)
            self.open_document(info)
        self.reader.focus()

    def action_back(self) -> None:
        place = self.history.back()
        if place is not None:
            self.go_to(place.key, place.raw, place.end)
        self.refresh_bindings()
