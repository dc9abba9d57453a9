"""Annotation, export and import actions of the reader screen.

Each function takes the ``ReaderScreen``: it picks the target (the selection,
else the annotation at the cursor), asks with a dialog (which returns its
answer through ``dismiss``) and stores through the app's ``Annotator``.
Store errors go to the app's one error handler, naming the file.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from annotations.annotation import DEFAULT_VERDICTS, Annotation, default_author
from annotations.textsafe import one_line
from tui.editing import next_color, plural
from tui.messages import Finished

if TYPE_CHECKING:
    from tui.editing import Annotator
    from tui.screens.export import ExportRequest
    from tui.screens.reader_screen import ReaderScreen

SELECT_FIRST = "Select text first: v then move, s for a sentence, or drag with the mouse."


def _annotator(screen: ReaderScreen) -> Annotator | None:
    annotator = screen.gloss.annotator
    if annotator is None:
        screen.gloss.say("No annotation store.", severity="warning")
    return annotator


def target(screen: ReaderScreen) -> tuple[Annotation | None, bool]:
    """(annotation, is_new): a new one from the selection, else the one at the cursor."""
    doc = screen.document
    if doc is None or screen.gloss.store is None:
        return None, False
    selected = screen.annotation_selected()
    if selected is not None:
        return selected, False
    sel = screen.reader.selection_raw()
    if sel is not None and sel[0] < sel[1]:
        from annotations.anchor import annotate_span

        author = screen.gloss.author or default_author()
        return annotate_span(doc, sel[0], sel[1], author=author), True
    existing = screen.annotation_at_cursor()
    if existing is None:
        screen.gloss.say(SELECT_FIRST, severity="warning")
    return existing, False


def apply(screen: ReaderScreen, ann: Annotation, is_new: bool, **changes: Any) -> bool:
    """Store the change; the screen shows it only once the store has it."""
    from annotations.store import StoreError

    annotator = _annotator(screen)
    if annotator is None:
        return False
    try:
        after = annotator.change(ann, is_new, screen.document, **changes)
    except StoreError as exc:
        screen.gloss.show_error(str(exc), title="Not saved")
        return False
    screen.reader.extending = False  # keep the selection shown; the next move drops it
    screen.load_annotations()
    screen.refresh_counts()
    screen.refresh_bindings()
    what = ", ".join(changes) or "highlight"
    screen.status(f"Saved {what}: “{one_line(after.quote, 60)}”")
    return True


def highlight(screen: ReaderScreen) -> None:
    ann, is_new = target(screen)
    if ann is not None:
        if is_new:
            apply(screen, ann, True)
        else:
            apply(screen, ann, False, color=next_color(ann.color))


def _answered(screen: ReaderScreen, ann: Annotation, is_new: bool, field: str,
              value: object) -> None:
    if value is not None:
        if field == "tags":
            apply(screen, ann, is_new, tags=str(value).split(","))
        else:
            apply(screen, ann, is_new, **{field: str(value)})


def tag(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import PromptDialog

    ann, is_new = target(screen)
    annotator = screen.gloss.annotator
    if ann is None or annotator is None:
        return
    known = annotator.known_tags()
    hint = "Existing: " + ", ".join(known) if known else "Without #; spaces become -; case as first typed."
    screen.app.push_screen(
        PromptDialog("Tags (comma-separated; → accepts a suggestion)",
                     "".join(f"{t}, " for t in ann.tags),
                     hint=hint, suggestions=known),
        partial(_answered, screen, ann, is_new, "tags"),
    )


def note(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import NoteDialog

    ann, is_new = target(screen)
    if ann is not None:
        screen.app.push_screen(NoteDialog(ann.note, ann.quote, target=ann),
                               partial(_answered, screen, ann, is_new, "note"))


def verdict(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import ChoiceDialog

    ann, is_new = target(screen)
    if ann is None:
        return
    store = screen.gloss.store
    verdicts = list(store.verdicts) if store is not None else list(DEFAULT_VERDICTS)
    screen.app.push_screen(ChoiceDialog("Verdict", verdicts, ann.verdict),
                           partial(_answered, screen, ann, is_new, "verdict"))


def delete(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import ConfirmDialog

    ann = screen.annotation_at_cursor()
    if ann is None:
        screen.gloss.say("No annotation at the cursor.", severity="warning")
        return

    def done(yes: object) -> None:
        from annotations.store import StoreError

        annotator = _annotator(screen)
        if not yes or annotator is None:
            return
        try:
            annotator.save(ann, None)
        except StoreError as exc:
            screen.gloss.show_error(str(exc), title="Not deleted")
            return
        screen.load_annotations()
        screen.refresh_counts()
        screen.refresh_bindings()
        screen.status(f"Deleted “{one_line(ann.quote, 60)}” (u undoes)")

    screen.app.push_screen(ConfirmDialog(f"Delete the annotation on “{one_line(ann.quote, 80)}”?"),
                           done)


def undo(screen: ReaderScreen) -> None:
    from annotations.store import StoreError

    annotator = _annotator(screen)
    if annotator is None:
        return
    try:
        message = annotator.undo()
    except StoreError as exc:
        screen.gloss.show_error(str(exc), title="Undo failed")
        return
    if not message:
        message = "Nothing to undo."
    else:
        screen.load_annotations()
        screen.refresh_counts()
    screen.refresh_bindings()
    screen.status(message)  # the status line says it; no toast that could disagree


def tags(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import ChoiceDialog, PromptDialog

    store = screen.gloss.store
    if store is None:
        return
    counts = store.tag_counts()
    if not counts:
        screen.gloss.say("No tags yet.")
        return
    ordered = sorted(counts, key=lambda t: (-counts[t], t.lower()))
    labels = [f"{t}  ({plural(counts[t], 'annotation')})" for t in ordered]

    def picked(label: object) -> None:
        if label is None:
            return
        old = ordered[labels.index(str(label))]

        def renamed(new: object) -> None:
            from annotations.store import StoreError

            annotator = _annotator(screen)
            if not new or annotator is None:
                return
            try:
                message = annotator.rename_tag(old, str(new))
            except StoreError as exc:
                screen.gloss.show_error(str(exc), title="Not renamed")
                return
            if message:
                screen.load_annotations()
                screen.refresh_counts()
                screen.status(message)

        screen.app.push_screen(PromptDialog(f"Rename or merge tag “{old}” into:", old,
                                            suggestions=ordered), renamed)

    screen.app.push_screen(ChoiceDialog("Tags (Enter: rename or merge)", labels), picked)


# -- export and import ---------------------------------------------------------------------
def export(screen: ReaderScreen) -> None:
    from tui.screens.export import ExportDialog

    if screen.gloss.store is None:
        return
    has_filter = bool(screen.sidebar.filter_text.strip()) and screen.document is not None
    label = screen.document.key if screen.document is not None else ""

    def done(request: ExportRequest | None) -> None:
        if request is not None:
            anns = _export_scope(screen, request.scope)
            screen.run_worker(partial(_write_export, screen, request, anns), thread=True,
                              group="export", name="export", exit_on_error=False)

    screen.app.push_screen(ExportDialog(screen.document is not None, has_filter, label=label),
                           done)


def _export_scope(screen: ReaderScreen, scope: str) -> Any:
    from annotations.exchange import select

    store = screen.gloss.store
    if scope == "document" and screen.document is not None:
        return select(store, doc=screen.document.key)
    if scope == "filter":
        return list(screen.sidebar.shown)
    return select(store)


def _write_export(screen: ReaderScreen, request: ExportRequest, anns: Any) -> None:
    from tui.exporting import resolve, write_export

    try:
        message = write_export(anns, request.fmt, resolve(request.path), screen.gloss.corpus)
    except (OSError, ValueError) as exc:
        screen.post_message(Finished("Export", f"Export failed: {exc}", ok=False))
        return
    screen.post_message(Finished("Export", message))


def import_(screen: ReaderScreen) -> None:
    from tui.screens.dialogs import PromptDialog

    if screen.gloss.store is None:
        return

    def done(value: object) -> None:
        if value and str(value).strip():
            screen.run_worker(partial(_read_import, screen, str(value).strip()), thread=True,
                              group="export", name="import", exit_on_error=False)

    screen.app.push_screen(PromptDialog("Import annotations from (gloss JSON or W3C export):",
                                        hint="Checked whole first: nothing is written on error."),
                           done)


def _read_import(screen: ReaderScreen, name: str) -> None:
    from annotations.exchange import ExchangeError
    from annotations.store import StoreError
    from tui.exporting import read_import

    try:
        summary = read_import(name, screen.gloss.store, screen.gloss.corpus)
    except (ExchangeError, StoreError, OSError) as exc:
        screen.post_message(Finished("Import", f"Import refused: {exc}", ok=False))
        return
    screen.post_message(Finished("Import", summary, reload=True))
