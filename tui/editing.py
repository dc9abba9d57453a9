"""Annotation edits against the store, with undo: plain Python, no Textual.

The reader screen decides *what* to change (from the selection or the
annotation at the cursor); this class stores it, keeps the undo stack and
returns the words for the status line. Store errors propagate as
``StoreError`` so the caller shows them, naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from annotations.annotation import COLORS, Annotation, now_iso
from annotations.tags import merge_tags, normalise_tag
from annotations.textsafe import one_line
from tui.history import UndoStack

if TYPE_CHECKING:
    from annotations.model import Document


def plural(n: int, word: str, many: str = "") -> str:
    """``1 annotation``, ``2 annotations`` (``many``: an irregular plural)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def parse_tags(text: str, known: Iterable[str] = ()) -> list[str]:
    """Comma-separated tags as stored: the core's rule (annotations/tags.py: no leading
    ``#``, spaces as ``-``, compared ignoring case), repeats dropped, each spelled as
    ``known`` (the store's tags, most used first) already spells it."""
    return merge_tags(text.split(","), known)


def next_color(color: str) -> str:
    return COLORS[(COLORS.index(color) + 1) % len(COLORS)] if color in COLORS else COLORS[0]


class Annotator:
    """Writes to one store and remembers how to undo each write."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.undo_stack: UndoStack[Annotation] = UndoStack()

    def save(self, before: Annotation | None, after: Annotation | None) -> None:
        """Add (before None), delete (after None) or update; raises StoreError."""
        if after is None and before is not None:
            self.store.delete(before.doc_key, before.id)
        elif before is None and after is not None:
            self.store.add(after)
        elif after is not None:
            after.updated = now_iso()
            self.store.update(after)
        self.undo_stack.push(before, after)

    def change(self, ann: Annotation, is_new: bool, doc: Document | None,
               **changes: Any) -> Annotation:
        """Store ``ann`` with ``changes``; an existing one takes the text on screen."""
        after = replace(ann, **changes)
        if "tags" in changes:
            after.tags = parse_tags(",".join(after.tags), self.known_tags())
        if not is_new and doc is not None and not ann.orphan:
            from annotations.anchor import doc_hash, selector

            # Saved against the text on screen: a re-anchored annotation takes
            # its current quote, context and text hash, so it stays consistent.
            after.quote, after.prefix, after.suffix = selector(doc.raw, ann.raw_start, ann.raw_end)
            after.doc_hash = doc_hash(doc.raw)
        self.save(None if is_new else ann, after)
        return after

    def undo(self) -> str:
        """Undo the last change; returns what was undone ('' when nothing was)."""
        change = self.undo_stack.pop()
        if change is None:
            return ""
        before, after = change.before, change.after
        try:
            if before is None and after is not None:
                self.store.delete(after.doc_key, after.id)
            elif before is not None:
                self.store.restore(before)
        except Exception:
            self.undo_stack.push_back(change)
            raise
        undone = before or after
        quote = one_line(undone.quote if undone is not None else "", 50)
        verb = {"add": "Removed", "delete": "Restored", "edit": "Reverted"}[change.kind]
        return f"Undone: {verb} the annotation on “{quote}”."

    def rename_tag(self, old: str, new: str) -> str:

        new = normalise_tag(new)
        if not new or new == old:
            return ""
        n = self.store.rename_tag(old, new)
        return f"Renamed tag {one_line(old, 40)} → {one_line(new, 40)} on {plural(n, 'annotation')}."

    def known_tags(self) -> list[str]:
        """The store's tags, most used first (their spelling wins for new tags)."""
        counts = self.store.tag_counts()
        return sorted(counts, key=lambda t: (-counts[t], t.lower()))


def annotations_at(annotations: Iterable[Annotation], raw: int) -> Annotation | None:
    """The narrowest anchored annotation covering raw offset ``raw``."""
    hits = [a for a in annotations if not a.orphan and a.raw_start <= raw < a.raw_end]
    return min(hits, key=lambda a: a.raw_end - a.raw_start) if hits else None
