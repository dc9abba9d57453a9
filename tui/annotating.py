"""Annotation actions of the app: highlight, tag, note, verdict, delete, undo.

Writes go to the store synchronously: the sidebar shows an annotation only
after the store has it on disk. A store that refuses (corrupt or read-only
file) leaves the screen unchanged and says why, naming the file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.widgets import OptionList

from annotations.annotation import COLORS, DEFAULT_VERDICTS, Annotation, default_author, now_iso
from annotations.textsafe import one_line
from tui.widgets.reader import Highlight

if TYPE_CHECKING:
    from tui.app import GlossApp

def store_error() -> type[Exception]:
    """The store's error class, imported when first needed (keeps start-up light)."""
    from annotations.store import StoreError

    return StoreError


ANNOTATION_BINDINGS = [
    Binding("h", "highlight", "Highlight", id="highlight",
            tooltip="Highlight the selection (again: change colour)"),
    Binding("t", "tag", "Tag", id="tag", tooltip="Tag the selection or annotation"),
    Binding("e", "note", "Note", id="note", tooltip="Write a note on the selection or annotation"),
    Binding("c", "verdict", "Verdict", id="verdict", tooltip="Set the verdict"),
    Binding("x,delete", "delete_annotation", "Delete", show=False, id="delete",
            tooltip="Delete the annotation at the cursor (asks first)"),
    Binding("u,ctrl+z", "undo", "Undo", show=False, id="undo", tooltip="Undo the last change"),
    Binding("T", "tags", "Tags", show=False, id="tags",
            tooltip="List tags with counts; rename or merge a tag"),
    Binding("A", "focus_annotations", "Annotations", show=False, id="focus_annotations",
            tooltip="Go to the annotation list in the sidebar"),
]


class AnnotatingMixin:
    """Mixed into GlossApp; relies on its reader, sidebar, table and document."""

    def setup_annotations(self: GlossApp) -> None:
        """State only; the store opens after the first frame (``setup_store``)."""
        self.undo_stack: list[tuple[Annotation | None, Annotation | None]] = []
        self.annotations: list[Annotation] = []
        self._store_version: object = None
        self.store = None

    def setup_store(self: GlossApp) -> None:
        from annotations.store import open_store

        try:
            self.store, note = open_store(self.corpus.root, self.store_dir)
        except store_error() as exc:
            self.store = None
            self.notify_plain(str(exc), title="Annotations unavailable", severity="error", timeout=10)
            return
        if note:
            self.sidebar.show_note(note)
            self.notify_plain(note, title="Annotation store", timeout=8)
        self.set_interval(1.0, self.poll_store)

    # -- reading ----------------------------------------------------------------------
    def refresh_counts(self: GlossApp) -> None:
        if self.store is not None:
            self.load_counts()

    @work(thread=True, exclusive=True, group="counts", name="annotation counts")
    def load_counts(self: GlossApp) -> None:
        counts = self.store.counts() if self.store else {}
        self.call_from_thread(self.table.set_counts, counts)

    def load_annotations(self: GlossApp) -> None:
        doc = self.document
        if self.store is None or doc is None:
            self.annotations = []
            self.sidebar.set_annotations([])
            self.reader.set_highlights([])
            return
        self._store_version = self.store.version(doc.key)
        try:
            stored = self.store.list(doc.key)
        except store_error() as exc:
            self.notify_plain(str(exc), title="Annotations read-only", severity="error", timeout=10)
            stored = []
        problem = self.store.problem(doc.key)
        if problem:
            self.sidebar.show_note(problem)
        from annotations.anchor import anchor_all

        self.annotations = anchor_all(stored, doc.raw)
        self.sidebar.set_annotations(self.annotations)
        marks = [
            Highlight(a.raw_start, a.raw_end, a.color, a.id)
            for a in self.annotations
            if not a.orphan
        ]
        self.reader.set_highlights(marks)
        self.raw_pane.set_highlights(marks)

    def poll_store(self: GlossApp) -> None:
        """Pick up another process's writes to the open document."""
        if self.store is None or self.document is None:
            return
        version = self.store.version(self.document.key)
        if version != self._store_version:
            self.load_annotations()
            self.refresh_counts()

    # -- targets ------------------------------------------------------------------------
    def _annotation_at_cursor(self: GlossApp) -> Annotation | None:
        if self.focused is not None and self.focused.id == "ann-list":
            return self.sidebar.highlighted_annotation
        pos = self.reader.cursor_raw()
        hits = [a for a in self.annotations if not a.orphan and a.raw_start <= pos < a.raw_end]
        return min(hits, key=lambda a: a.raw_end - a.raw_start) if hits else None

    def annotation_selected(self: GlossApp) -> Annotation | None:
        """The annotation whose span is exactly the selection (a selection on it edits it)."""
        sel = self.reader.selection_raw()
        if sel is None:
            return None
        for ann in self.annotations:
            if not ann.orphan and (ann.raw_start, ann.raw_end) == sel:
                return ann
        return None

    def _new_from_selection(self: GlossApp) -> Annotation | None:
        doc = self.document
        sel = self.reader.selection_raw()
        if doc is None or sel is None or sel[0] == sel[1]:
            return None
        from annotations.anchor import annotate_span

        return annotate_span(doc, sel[0], sel[1], author=self.author or default_author())

    def _target(self: GlossApp) -> tuple[Annotation | None, bool]:
        """(annotation, is_new): a new one from the selection, else the one at the cursor."""
        if self.store is None or self.document is None:
            self.notify_plain("Open a document first.", severity="warning")
            return None, False
        selected = self.annotation_selected()
        if selected is not None:
            return selected, False
        new = self._new_from_selection()
        if new is not None:
            return new, True
        existing = self._annotation_at_cursor()
        if existing is None:
            self.notify_plain("Select text first: v then move, s for a sentence, or drag with the mouse.",
                        severity="warning")
        return existing, False

    # -- writing ---------------------------------------------------------------------------
    def _save(self: GlossApp, before: Annotation | None, after: Annotation | None) -> bool:
        assert self.store is not None
        try:
            if after is None and before is not None:
                self.store.delete(before.doc_key, before.id)
            elif before is None and after is not None:
                self.store.add(after)
            elif after is not None:
                after.updated = now_iso()
                self.store.update(after)
        except store_error() as exc:
            self.notify_plain(str(exc), title="Not saved", severity="error", timeout=10)
            return False
        self.undo_stack.append((before, after))
        self.reader.extending = False  # keep the selection shown; the next move drops it
        self.load_annotations()
        self.refresh_counts()
        return True

    def _apply(self: GlossApp, ann: Annotation, is_new: bool, **changes: object) -> None:
        before = None if is_new else ann
        after = replace(ann, **changes)  # type: ignore[arg-type]
        doc = self.document
        if not is_new and doc is not None and not ann.orphan:
            from annotations.anchor import doc_hash, selector

            # Saved against the text on screen: a re-anchored annotation takes
            # its current quote, context and text hash, so it stays consistent.
            after.quote, after.prefix, after.suffix = selector(doc.raw, ann.raw_start, ann.raw_end)
            after.doc_hash = doc_hash(doc.raw)
        if self._save(before, after):
            what = ", ".join(changes) or "highlight"
            self.status(f"Saved {what}: “{one_line(after.quote, 60)}”")

    def action_highlight(self: GlossApp) -> None:
        ann, is_new = self._target()
        if ann is None:
            return
        if is_new:
            self._apply(ann, True)
        else:
            color = COLORS[(COLORS.index(ann.color) + 1) % len(COLORS)] if ann.color in COLORS else COLORS[0]
            self._apply(ann, False, color=color)

    def action_tag(self: GlossApp) -> None:
        from tui.screens.dialogs import PromptDialog

        ann, is_new = self._target()
        if ann is None or self.store is None:
            return
        known = sorted(self.store.tag_counts(), key=str.lower)

        def done(value: object) -> None:
            if value is None:
                return
            tags = list(dict.fromkeys(t.strip() for t in str(value).split(",") if t.strip()))
            self._apply(ann, is_new, tags=tags)

        self.push_screen(
            PromptDialog("Tags (comma-separated; → accepts a suggestion)", ", ".join(ann.tags),
                         hint="Existing: " + one_line(", ".join(known), 200) if known else "",
                         suggestions=known),
            done,
        )

    def action_note(self: GlossApp) -> None:
        from tui.screens.dialogs import NoteDialog

        ann, is_new = self._target()
        if ann is None:
            return

        def done(value: object) -> None:
            if value is not None:
                self._apply(ann, is_new, note=str(value))

        self.push_screen(NoteDialog(ann.note, ann.quote, target=ann), done)

    def action_verdict(self: GlossApp) -> None:
        from tui.screens.dialogs import ChoiceDialog

        ann, is_new = self._target()
        if ann is None:
            return

        def done(value: object) -> None:
            if value is not None:
                self._apply(ann, is_new, verdict=str(value))

        verdicts = list(self.store.verdicts) if self.store is not None else list(DEFAULT_VERDICTS)
        self.push_screen(ChoiceDialog("Verdict", verdicts, ann.verdict), done)

    def action_delete_annotation(self: GlossApp) -> None:
        from tui.screens.dialogs import ConfirmDialog

        ann = self._annotation_at_cursor()
        if ann is None:
            self.notify_plain("No annotation at the cursor.", severity="warning")
            return

        def done(value: object) -> None:
            if value:
                if self._save(ann, None):
                    self.status(f"Deleted “{one_line(ann.quote, 60)}” (u undoes)")

        self.push_screen(ConfirmDialog(f"Delete the annotation on “{one_line(ann.quote, 80)}”?"),
                         done)

    def action_undo(self: GlossApp) -> None:
        if not self.undo_stack or self.store is None:
            self.notify_plain("Nothing to undo.")
            return
        before, after = self.undo_stack.pop()
        try:
            if before is None and after is not None:
                self.store.delete(after.doc_key, after.id)
            elif before is not None:
                self.store.restore(before)
        except store_error() as exc:
            self.undo_stack.append((before, after))
            self.notify_plain(str(exc), title="Undo failed", severity="error")
            return
        self.load_annotations()
        self.refresh_counts()
        self.status("Undone.")

    def action_focus_annotations(self: GlossApp) -> None:
        self.query_one("#main").remove_class("-no-sidebar")
        options = self.sidebar.query_one("#ann-list", OptionList)
        if options.highlighted is None and options.option_count:
            options.highlighted = 0
        options.focus()

    def action_tags(self: GlossApp) -> None:
        from tui.screens.dialogs import ChoiceDialog, PromptDialog

        if self.store is None:
            return
        counts = self.store.tag_counts()
        if not counts:
            self.notify_plain("No tags yet.")
            return
        ordered = sorted(counts, key=lambda t: (-counts[t], t.lower()))
        labels = [f"{t}  ({counts[t]})" for t in ordered]

        def picked(label: object) -> None:
            if label is None:
                return
            old = ordered[labels.index(str(label))]

            def renamed(new: object) -> None:
                if not new or str(new).strip() == old:
                    return
                try:
                    n = self.store.rename_tag(old, str(new).strip())
                except store_error() as exc:
                    self.notify_plain(str(exc), severity="error")
                    return
                self.load_annotations()
                self.status(f"Renamed tag {old} → {str(new).strip()} on {n} annotations")

            self.push_screen(PromptDialog(f"Rename or merge tag “{old}” into:", old,
                                          suggestions=ordered), renamed)

        self.push_screen(ChoiceDialog("Tags (Enter: rename or merge)", labels), picked)
