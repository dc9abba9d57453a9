"""Unsaved notes survive a lost terminal: kept as drafts, offered back at the next start.

* :meth:`NoteDraftsMixin.save_drafts` is called by the terminal guard
  (:mod:`tui.terminal_guard`) when gloss has to leave: every note editor open
  with changed text becomes a draft file (:mod:`tui.drafts`).
* At start-up the drafts of this corpus are looked up off the UI thread; if any,
  a notification says so and the palette offers "Notes: restore unsaved draft".
  The workers post their results (``DraftsFound``, ``DraftDocumentRead``); the
  app handles them only while it runs (never on the way out, its screens gone).
* Restoring opens the editor on the draft's text. Ctrl+S saves it on the same
  annotation (or a new one on the same span, after checking the span still holds
  the exact quote: never a misplaced quote), jumps there and drops the draft.
  Esc asks whether to throw the draft away; "no" keeps it for later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import App, SystemCommand
from textual.screen import Screen

from annotations.annotation import Annotation, default_author, now_iso
from annotations.textsafe import one_line, visible
from tui import drafts
from tui.commands import palette_command
from tui.drafts import Draft
from tui.messages import DraftDocumentRead, DraftsFound

if TYPE_CHECKING:
    from annotations.model import Document
    from tui.app import GlossApp


class NoteDraftsMixin(App[int]):
    """Mixed into GlossApp (declared an App so its ``@on`` handlers are collected)."""

    note_drafts: list[Draft] = []  # this corpus's drafts found at start-up

    @property
    def _gloss(self) -> GlossApp:
        return cast("GlossApp", self)

    # -- keeping -------------------------------------------------------------------------
    def _draft_corpus(self) -> str:
        return drafts.corpus_id(self._gloss.path)

    def unsaved_notes(self) -> list[Draft]:
        """A draft for every open note editor whose text differs from the saved note."""
        from textual.widgets import TextArea

        from tui.screens.dialogs import NoteDialog

        out = []
        for screen in list(self._gloss.screen_stack):
            if not isinstance(screen, NoteDialog):
                continue
            try:
                text = screen.query_one(TextArea).text
            except Exception:  # noqa: BLE001 - a dialog still mounting has no text yet
                continue
            if text in (screen.note, visible(screen.note)) or not text.strip():
                continue  # unchanged (the editor may show the note's control characters)
            target = screen.target
            if isinstance(target, Draft):  # a restored draft edited further
                out.append(replace(target, note=text, saved_at=""))
            elif isinstance(target, Annotation):
                info = self._gloss._corpus.get(target.doc_key) if self._gloss._corpus is not None else None
                out.append(Draft(
                    corpus=self._draft_corpus(), doc_key=target.doc_key,
                    raw_start=target.raw_start, raw_end=target.raw_end, quote=target.quote,
                    note=text, ann_id=target.id, rel_path=info.rel_path if info else "",
                ))
        return out

    def save_drafts(self) -> int:
        """Write every unsaved note as a draft; returns how many (the guard says so)."""
        kept = self.unsaved_notes()
        for draft in kept:
            drafts.save(draft)
        return len(kept)

    # -- offering --------------------------------------------------------------------------
    def on_ready(self) -> None:
        self.find_note_drafts()

    @work(thread=True, exclusive=True, group="drafts", name="find note drafts")
    def find_note_drafts(self) -> None:
        found = drafts.load(corpus=self._draft_corpus())
        if found:
            self.post_message(DraftsFound(found))  # dropped if the app left meanwhile

    @on(DraftsFound)
    def _offer_drafts(self, event: DraftsFound) -> None:
        if not self.is_running:
            return
        found = event.drafts
        self.note_drafts = found
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        self._say(
            f"A note you were typing when gloss last closed was kept{more}: "
            f"“{one_line(first.note, 60)}” on “{one_line(first.quote, 40)}”. "
            "Ctrl+P → Notes: restore unsaved draft.",
            title="Unsaved note kept", timeout=20,
        )

    def draft_commands(self) -> Iterable[SystemCommand]:
        """The palette's draft command, while there are drafts to restore."""
        if self.note_drafts:
            yield palette_command("Notes: restore unsaved draft",
                                   "A note typed but not saved when gloss last closed",
                                   self.action_restore_draft)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # An app whose own get_system_commands does not call super() yields
        # ``self.draft_commands()`` itself.
        yield from super().get_system_commands(screen)
        yield from self.draft_commands()

    # -- restoring ---------------------------------------------------------------------------
    def action_restore_draft(self) -> None:
        if not self.note_drafts:
            self._say("No unsaved note drafts.")
            return
        if len(self.note_drafts) == 1:
            self._edit_draft(self.note_drafts[0])
            return
        from tui.screens.dialogs import ChoiceDialog

        labels = [f"{i + 1}. “{one_line(d.note, 40)}” on “{one_line(d.quote, 30)}”"
                  f" · {one_line(d.rel_path or d.doc_key, 30)}"
                  for i, d in enumerate(self.note_drafts)]
        pending = list(self.note_drafts)

        def picked(label: object) -> None:
            if label is not None:
                self._edit_draft(pending[labels.index(str(label))])

        self._gloss.push_screen(ChoiceDialog("Unsaved note drafts", labels), picked)

    def _edit_draft(self, draft: Draft) -> None:
        from tui.screens.dialogs import ConfirmDialog, NoteDialog

        def done(value: object) -> None:
            if value is not None:
                self.place_draft(draft, str(value))
                return

            def confirmed(yes: object) -> None:
                if yes:
                    self._forget_draft(draft)
                    self._say("Draft discarded.")

            self._gloss.push_screen(ConfirmDialog("Discard this unsaved note? (n keeps it for later)"),
                             confirmed)

        self._gloss.push_screen(NoteDialog(draft.note, draft.quote, target=draft), done)

    def _forget_draft(self, draft: Draft) -> None:
        drafts.discard(draft)
        self.note_drafts = [d for d in self.note_drafts if d.id != draft.id]

    @work(thread=True, group="drafts", name="place note draft")
    def place_draft(self, draft: Draft, text: str) -> None:
        """Load the draft's document off the UI thread, then save the note there."""
        if not drafts.exists(draft):  # restored or discarded in another gloss meanwhile
            self.post_message(DraftDocumentRead(draft, text, None, gone=True))
            return
        info = self._gloss.corpus.get(draft.doc_key)
        if info is None:
            why = ("its document is not in this folder's list (if the folder is still "
                   "being scanned, try again in a moment)")
            self.post_message(DraftDocumentRead(draft, text, None, why))
            return
        self.post_message(DraftDocumentRead(draft, text, self._gloss.corpus.load(info)))

    @on(DraftDocumentRead)
    def _draft_document_read(self, event: DraftDocumentRead) -> None:
        """Save the note there, or keep the draft and say why. Not on the way out: the
        draft file stays for the next start (nothing written, nothing lost)."""
        if not self.is_running:
            return
        if event.gone:
            self._say("This draft was already restored or discarded.", severity="warning")
        elif event.document is None:
            self._draft_kept(event.draft, event.text, event.why)
        else:
            self._write_draft(event.draft, event.text, event.document)

    def _draft_kept(self, draft: Draft, text: str, why: str) -> None:
        if text != draft.note:
            kept = replace(draft, note=text, saved_at="")
            drafts.save(kept)
            self.note_drafts = [kept if d.id == draft.id else d for d in self.note_drafts]
        self._say(f"Note not saved: {why}. The draft is kept.", severity="warning",
                          timeout=10)

    def _write_draft(self, draft: Draft, text: str, doc: Document) -> None:
        from annotations.store import StoreError

        store: Any = self._gloss.store
        if store is None or not doc.info.ok:
            why = "the annotation store is not open" if store is None else str(doc.info.error)
            self._draft_kept(draft, text, why)
            return
        existing = store.get(doc.key, draft.ann_id) if draft.ann_id else None
        if existing is not None:
            before: Annotation | None = existing
            after = replace(existing, note=text, updated=now_iso())
        else:
            span = drafts.place(draft, doc.raw)
            if span is None:
                self._draft_kept(draft, text, "the quoted text is no longer in the document")
                return
            from annotations.anchor import annotate_span

            before = None
            after = annotate_span(doc, span[0], span[1],
                                  author=self._gloss.author or default_author(), note=text)
        try:
            self._store_write(before, after)
        except StoreError as exc:
            self._draft_kept(draft, text, str(exc))
            return
        self._forget_draft(draft)
        self._show_written(doc.key, after)
        self._say(f"Saved note on “{one_line(after.quote, 60)}”", title="Draft restored")

    # -- the app around us ------------------------------------------------------------------
    def _say(self, message: str, *, title: str = "", severity: str = "information",
             timeout: float = 8) -> None:
        self._gloss.notify(message, title=title, severity=severity,  # type: ignore[arg-type]
                           timeout=timeout, markup=False)

    def _store_write(self, before: Annotation | None, after: Annotation) -> None:
        """Write through the app's undo-aware annotator (raises StoreError)."""
        annotator = self._gloss.annotator
        if annotator is None:
            from annotations.store import StoreError

            raise StoreError(".", "the annotation store is not open")
        annotator.save(before, after)

    def _show_written(self, key: str, ann: Annotation) -> None:
        """The reader shows the note's annotation (opening its document if needed)."""
        view = self._gloss.main
        view.load_annotations()
        view.refresh_counts()
        view.go_to(key, ann.raw_start, ann.raw_end)
