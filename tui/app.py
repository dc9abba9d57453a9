"""GlossApp: the document list, the reader and the sidebar.

Slow work (scanning the corpus, loading and repairing a document, polling
for changes) runs in thread workers and reports back with ``call_from_thread``;
the UI never waits on the disk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from annotations.model import DocInfo, Document
from annotations.textsafe import one_line
from tui.annotating import ANNOTATION_BINDINGS, AnnotatingMixin
from tui.exporting import EXPORT_BINDINGS, ExportMixin
from tui.note_drafts import NoteDraftsMixin
from tui.similar_actions import SIMILAR_BINDINGS, SimilarMixin
from tui.terminal_guard import TerminalGuardMixin
from tui.widgets.doc_list import DocTable, DocumentList
from tui.widgets.reader import Reader
from tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from annotations.corpus import Corpus
    from annotations.repair.edits import Repaired


def documents_provider() -> type:
    """The palette's document provider, imported when the palette first opens."""
    from tui.commands import DocumentsProvider

    return DocumentsProvider


def word_count(doc: Document) -> int:
    """Words in the document (one count in the core: formats.document_words)."""
    from annotations.formats import document_words

    return document_words(doc)


def repair_document(doc: Document) -> Repaired:
    """Repair for display."""
    from annotations.repair import context_for, repair

    return repair(doc.raw, context_for(doc))


class GlossApp(TerminalGuardMixin, NoteDraftsMixin, AnnotatingMixin, SimilarMixin, ExportMixin,
               App[int]):
    """Read, repair and annotate transcripts."""

    TITLE = "gloss"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {documents_provider}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("slash", "find", "Find", key_display="/", id="find"),
        Binding("n", "find_next", "Next match", show=False, id="find_next"),
        Binding("N", "find_prev", "Previous match", show=False, id="find_prev"),
        Binding("r", "toggle_raw", "Raw/repaired", id="toggle_raw"),
        Binding("B", "toggle_split", "Side by side", show=False, id="toggle_split",
                tooltip="Show raw and repaired text side by side"),
        Binding("ctrl+l", "toggle_list", "List", show=False, id="toggle_list",
                tooltip="Show or hide the document list"),
        Binding("ctrl+s", "toggle_sidebar", "Sidebar", show=False, id="toggle_sidebar",
                tooltip="Show or hide the sidebar"),
        Binding("ctrl+o", "focus_list", "Documents", show=False, id="focus_list",
                tooltip="Go to the document list filter"),
        *ANNOTATION_BINDINGS,
        *SIMILAR_BINDINGS,
        *EXPORT_BINDINGS,
    ]

    def __init__(self, path: Path, *, store_dir: Path | None = None, author: str | None = None,
                 open_key: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.open_key = open_key  # a document to open once the list is scanned
        self.display_path = path
        self._corpus: Corpus | None = None
        self.store_dir = store_dir
        self.author = author
        self.info: DocInfo | None = None
        self.document: Document | None = None
        self.scanning = False
        self._exiting = False
        self._next_watch = 0.0

    # -- layout ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="main"):
            yield DocumentList(id="list")
            with Vertical(id="center"):
                with Horizontal(id="readers"):
                    yield Reader(id="reader")
                    yield Reader(id="raw-pane")
                yield Input(placeholder="Find in document (Enter: next, Esc: close)", id="find",
                            compact=True)
                yield Static("", id="status")
            yield Sidebar(id="sidebar")
        yield Footer()

    @property
    def corpus(self) -> Corpus:
        """The corpus; imported and opened on first use (after the first frame)."""
        if self._corpus is None:
            from annotations.corpus import Corpus

            self._corpus = Corpus(self.path)
        return self._corpus

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
        self.sub_title = one_line(str(self.display_path))
        self.raw_pane.mode = "raw"
        self.raw_pane.can_focus = True
        self._fit_width(self.size.width)
        self.table.focus()
        self.setup_similar()
        self.setup_annotations()

    def start_background(self) -> None:
        """Everything that reads the disk starts once the first frame is painted."""
        self.setup_store()
        self.scan_corpus()
        self.set_interval(2.0, self.watch_corpus)

    def on_ready(self) -> None:
        """The first frame is on screen: start the background work that can wait."""
        if os.environ.get("GLOSS_EXIT_ON_READY") == "1":
            self._exiting = True
            self.exit(0)  # start-up benchmark: process start to first painted screen
            return
        self.start_background()

    def on_resize(self) -> None:
        self._fit_width(self.size.width)

    def _fit_width(self, width: int) -> None:
        self.screen.set_class(width < 110, "-narrow")

    def notify_plain(self, message: str, **kwargs: object) -> None:
        """A notification whose text is never parsed as markup."""
        self.notify(message, markup=False, **kwargs)  # type: ignore[arg-type]

    def status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text) else Text(text))

    # -- corpus -----------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="scan", name="scan corpus")
    def scan_corpus(self) -> None:
        self.scanning = True
        done = 0
        for batch in self.corpus.scan_batches():
            done += len(batch)
            self.call_from_thread(self._add_rows, batch, f"scanning… {done:,}")
        self.scanning = False
        self.call_from_thread(self._scan_done)

    def _add_rows(self, batch: list[DocInfo], note: str) -> None:
        self.table.add_rows(batch)
        self.query_one(DocumentList).update_status(note)
        if self.table.cursor_info is not None and self.table.cursor == 0:
            self.table.refresh()

    def _scan_done(self) -> None:
        self.query_one(DocumentList).update_status()
        if not self.table.rows:
            self.status("No documents found in this folder.")
        elif self.open_key is not None:
            info = self.corpus.get(self.open_key)
            self.open_key = None
            if info is not None:
                self.open_and_focus(info)
        self.after_scan()

    def after_scan(self) -> None:
        """Counts, word list and passage index: after the scan and the first frame."""
        self.refresh_counts()
        self.warm_repair()
        self.start_index_if_small()

    def fully_loaded(self) -> None:
        """List scanned and passage index ready (``GLOSS_EXIT_WHEN_LOADED=1``: memory bench)."""
        if os.environ.get("GLOSS_EXIT_WHEN_LOADED") == "1":
            self.exit(0)

    @work(thread=True, exclusive=True, group="warm", name="load word list")
    def warm_repair(self) -> None:
        """Load the English word list off the UI thread, before the first document."""
        from annotations.repair import warm

        warm()

    @work(thread=True, exclusive=True, group="watch", name="watch corpus")
    def watch_corpus(self) -> None:
        """Pick up files added, removed or edited; at most ~10% of one core on big folders."""
        now = time.monotonic()
        if self.scanning or now < self._next_watch:
            return
        changes = self.corpus.refresh()
        took = time.monotonic() - now
        self._next_watch = time.monotonic() + max(0.0, 9 * took)
        if changes:
            self.call_from_thread(self._apply_changes, changes)

    def _apply_changes(self, changes: object) -> None:
        self.table.set_rows(list(self.corpus.infos))
        if self.passage_index is not None:
            self.update_index()
        self.query_one(DocumentList).update_status()
        changed = {i.key for i in getattr(changes, "changed", [])}
        removed = {i.key for i in getattr(changes, "removed", [])}
        if self.info is not None and self.info.key in changed | removed:
            if self.info.key in removed:
                self.status(f"{self.info.rel_path} was removed from the folder.")
            else:
                self.status(f"{self.info.rel_path} changed on disk: reloaded.")
                fresh = self.corpus.get(self.info.key)
                if fresh is not None:
                    self.open_document(fresh)

    # -- opening a document -------------------------------------------------------------
    @on(DocTable.Opened)
    def _opened(self, event: DocTable.Opened) -> None:
        self.open_document(event.info)
        if self.screen.has_class("-narrow"):
            # Small terminals: give the reader the room; Ctrl+O brings the list back.
            self.query_one("#main").add_class("-no-list")
        self.reader.focus()

    def open_and_focus(self, info: DocInfo) -> None:
        self.open_document(info)
        self.reader.focus()

    def open_document(self, info: DocInfo) -> None:
        self.info = info
        self.table.current_key = info.key
        self.table.refresh()
        self.sidebar.show_document(info, None)
        if info.error:
            self.document = None
            self.reader.show_message(f"✗ {info.rel_path}: {info.error}")
            self.raw_pane.show_message(f"✗ {info.error}")
            self.status(f"Cannot open: {info.error}")
            self.document_changed()
            return
        self.status(f"Opening {one_line(info.title, 80)}…")
        self.load_document(info)

    @work(thread=True, exclusive=True, group="open", name="open document")
    def load_document(self, info: DocInfo) -> None:
        from annotations.repair import context_for, repair
        from annotations.repair.progressive import repair_head

        doc = self.corpus.load(info)
        if not doc.info.ok:
            self.call_from_thread(self._show_document, doc, None)
            return
        ctx = context_for(doc)
        head = repair_head(doc.raw, ctx)
        if head is not None:
            # Long document: show the repaired head now, the full repair when ready.
            self.call_from_thread(self._show_document, doc, head)
            full = repair(doc.raw, ctx)
            self.call_from_thread(self._swap_repair, doc, full)
        else:
            self.call_from_thread(self._show_document, doc, repair(doc.raw, ctx))

    def _swap_repair(self, doc: Document, repaired: Repaired) -> None:
        if self.document is not doc:
            return
        self.reader.replace_repaired(repaired)
        self.raw_pane.replace_repaired(repaired)
        self.status(self._doc_status(doc, repaired))

    @staticmethod
    def _doc_status(doc: Document, repaired: Repaired | None) -> str:
        """Title, words, repairs and any loader notes, for the status line."""
        n = len(repaired.edits) if repaired else 0
        notes = "; ".join(doc.info.problems)
        msg = f"{one_line(doc.title, 60)} · {word_count(doc):,} words · {n} repairs"
        return msg + (f" · ! {notes}" if notes else "")

    def _show_document(self, doc: Document, repaired: Repaired | None) -> None:
        if self.info is None or doc.info.key != self.info.key:
            return
        self.document = doc
        self.info = doc.info
        if doc.info.error:
            self.reader.show_message(f"✗ {doc.info.rel_path}: {doc.info.error}")
            self.status(f"Cannot open: {doc.info.error}")
        else:
            self.reader.show(doc.key, doc.raw, repaired)
            self.raw_pane.show(doc.key, doc.raw, repaired)
            self.status(self._doc_status(doc, repaired))
        self.sidebar.show_document(doc.info, doc)
        self.document_changed()
        self.apply_pending_jump()

    def document_changed(self) -> None:
        self.load_annotations()

    @on(Sidebar.Jump)
    def _jump(self, event: Sidebar.Jump) -> None:
        ann = event.annotation
        if ann.orphan:
            self.status(f"Orphan: “{one_line(ann.quote, 60)}” is no longer in this text.")
            return
        self.reader.go_to_raw(ann.raw_start, ann.raw_end)
        self.reader.focus()

    # -- reader status line ----------------------------------------------------------------
    @on(Reader.CursorMoved)
    def _cursor_moved(self, event: Reader.CursorMoved) -> None:
        reader = event.reader
        if reader is self.reader and self.query_one("#center").has_class("-split"):
            self._sync_panes(reader, self.raw_pane)
        elif reader is self.raw_pane:
            self._sync_panes(reader, self.reader)
        self.status(self.describe_cursor(reader))

    def _sync_panes(self, source: Reader, target: Reader) -> None:
        """Keep the other pane at the same raw position (panes scroll together)."""
        raw = source.cursor_raw()
        target.cursor = target._view.to_display(raw)
        target.scroll_to_cursor(center=False)
        line_src = source.cursor_line - source.scroll_offset.y
        line_dst = target.cursor_line
        target.scroll_to(y=max(0, line_dst - line_src), animate=False)
        target.refresh()

    def describe_cursor(self, reader: Reader) -> Text:
        parts: list[str] = []
        edit = reader.edit_at_cursor()
        if edit is not None:
            said = self.document.raw[edit.raw_start : edit.raw_end] if self.document else ""
            parts.append(f"inferred {edit.kind}: {edit.reason}")
            if said.strip() and edit.kind not in {"completion"}:
                parts.append(f"raw “{one_line(said, 40)}”")
        sel = reader.selection_raw()
        if sel:
            parts.append(f"selected raw {sel[0]}–{sel[1]} ({sel[1] - sel[0]} chars)")
        if reader.matches:
            parts.append(f"match {reader.match_index + 1}/{len(reader.matches)}")
        if not parts:
            parts.append(f"{reader.mode} · raw offset {reader.cursor_raw():,}")
        return Text(one_line(" · ".join(parts), 400))

    # -- actions ----------------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.help import HelpScreen
        from tui.widgets.doc_list import DocTable as _T

        groups = [
            ("Everywhere", [b for b in self.BINDINGS
                            if b not in ANNOTATION_BINDINGS + SIMILAR_BINDINGS + EXPORT_BINDINGS]),
            ("Annotations (on a selection or the annotation at the cursor)",
             list(ANNOTATION_BINDINGS)),
            ("Similar passages", list(SIMILAR_BINDINGS)),
            ("Export", list(EXPORT_BINDINGS)),
            ("Document list", list(_T.BINDINGS)),
            ("Reader", list(Reader.BINDINGS)),
            ("Other", [
                Binding("tab", "", "Next pane"),
                Binding("shift+tab", "", "Previous pane"),
                Binding("ctrl+p", "", "Command palette"),
                Binding("escape", "", "Close overlay / clear"),
            ]),
        ]
        self.push_screen(HelpScreen(groups))

    def action_find(self) -> None:
        center = self.query_one("#center")
        center.add_class("-finding")
        box = self.query_one("#find", Input)
        box.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.reader.set_search(event.value)
        self.status(self.describe_cursor(self.reader) if event.value else Text(""))
        if event.value and not self.reader.matches:
            self.status(f"No match for “{one_line(event.value, 60)}”")

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self.reader.find_next()
        self.reader.focus()

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key == "escape" and self.focused is self.query_one("#find", Input):
            self.query_one("#center").remove_class("-finding")
            self.reader.focus()

    def action_find_next(self) -> None:
        self.reader.find_next()

    def action_find_prev(self) -> None:
        self.reader.find_next(backwards=True)

    def action_toggle_raw(self) -> None:
        self.reader.mode = "raw" if self.reader.mode == "repaired" else "repaired"
        self.status(f"Showing {self.reader.mode} text")

    def action_toggle_split(self) -> None:
        center = self.query_one("#center")
        center.toggle_class("-split")
        if center.has_class("-split"):
            self.query_one("#main").add_class("-no-list")  # room for two panes; Ctrl+L shows it
            self.reader.mode = "repaired"
            self._sync_panes(self.reader, self.raw_pane)
            self.status("Side by side: repaired | raw (panes scroll together)")

    def action_toggle_list(self) -> None:
        self.query_one("#main").toggle_class("-no-list")

    def action_toggle_sidebar(self) -> None:
        self.query_one("#main").toggle_class("-no-sidebar")

    def action_focus_list(self) -> None:
        self.query_one("#main").remove_class("-no-list")
        self.query_one("#filter", Input).focus()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys", "List every key binding", self.action_help)
        yield SystemCommand("Documents: filter", "Go to the document list filter",
                            self.action_focus_list)
        yield SystemCommand("View: toggle document list", "Show or hide the list",
                            self.action_toggle_list)
        yield SystemCommand("View: toggle sidebar", "Show or hide the sidebar",
                            self.action_toggle_sidebar)
        yield SystemCommand("Export annotations…", "JSON, W3C Web Annotation, CSV or Markdown",
                            self.action_export)
        yield SystemCommand("Import annotations…", "A gloss JSON or W3C export file",
                            self.action_import)
        yield SystemCommand("Tags: list, rename or merge", "Tag counts across the store",
                            self.action_tags)
        if self.document is not None:
            yield SystemCommand("Similar passages", "Passages like the one at the cursor",
                                self.action_similar)
            yield SystemCommand("Annotations: go to list", "The sidebar's annotation list",
                                self.action_focus_annotations)
            yield SystemCommand("Find in document", "Search the open document", self.action_find)
            yield SystemCommand("View: raw / repaired", "Toggle the raw text",
                                self.action_toggle_raw)
            yield SystemCommand("View: side by side", "Raw and repaired text side by side",
                                self.action_toggle_split)
