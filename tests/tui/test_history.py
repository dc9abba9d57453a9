"""Undo stack, jump history and the edit helpers: plain classes, no Pilot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tui.editing import Annotator, parse_tags, plural
from tui.exporting import default_name
from tui.history import JumpHistory, Place, UndoStack


def test_undo_stack_pops_in_reverse_and_knows_the_kind() -> None:
    stack: UndoStack[str] = UndoStack(limit=3)
    assert not stack and stack.pop() is None
    stack.push(None, "a")
    stack.push("a", "b")
    stack.push("b", None)
    assert [c.kind for c in (stack.pop(), stack.pop(), stack.pop())] == ["delete", "edit", "add"]
    for i in range(5):
        stack.push(None, str(i))
    assert len(stack) == 3  # the oldest are dropped past the limit


def test_jump_history_returns_to_the_last_place_and_skips_repeats() -> None:
    history = JumpHistory()
    history.leave(Place("a", 10))
    history.leave(Place("a", 10))
    history.leave(Place("b", 5, 9))
    assert len(history) == 2
    assert history.back() == Place("b", 5, 9)
    assert history.back() == Place("a", 10)
    assert history.back() is None


def test_tags_are_normalised_and_deduplicated() -> None:
    assert parse_tags("#gaza, UN, un,, #Gaza ") == ["gaza", "UN"]
    assert parse_tags("#Gaza, un", known=["gaza", "UN"]) == ["gaza", "UN"]


def test_plural() -> None:
    assert plural(1, "annotation") == "1 annotation"
    assert plural(2, "annotation") == "2 annotations"
    assert plural(0, "annotation") == "0 annotations"


def test_default_export_names_are_unused(tmp_path: Path) -> None:
    now = datetime(2026, 1, 2, 3, 4)
    first = default_name("csv", "doc", tmp_path, now)
    assert first == "gloss-doc-20260102-0304.csv"
    (tmp_path / first).write_text("")
    second = default_name("csv", "doc", tmp_path, now)
    assert second != first and second.endswith(".csv")


class FakeStore:
    def __init__(self) -> None:
        self.items: dict[str, object] = {}

    def add(self, ann):  # type: ignore[no-untyped-def]
        self.items[ann.id] = ann

    def update(self, ann):  # type: ignore[no-untyped-def]
        self.items[ann.id] = ann

    def delete(self, key, ann_id):  # type: ignore[no-untyped-def]
        return self.items.pop(ann_id, None) is not None

    def restore(self, ann):  # type: ignore[no-untyped-def]
        self.items[ann.id] = ann


def test_annotator_undo_reverts_add_edit_and_delete() -> None:
    from annotations.annotation import Annotation

    store = FakeStore()
    annotator = Annotator(store)
    ann = Annotation("doc", 0, 4, "word")
    annotator.save(None, ann)
    edited = annotator.change(ann, False, None, tags=["#gaza", "Gaza"])
    assert edited.tags == ["gaza"]
    annotator.save(edited, None)
    assert store.items == {}
    assert annotator.undo().startswith("Undone: Restored")
    assert store.items[ann.id].tags == ["gaza"]
    assert annotator.undo().startswith("Undone: Reverted")
    assert store.items[ann.id].tags == []
    assert annotator.undo().startswith("Undone: Removed")
    assert store.items == {} and annotator.undo() == ""
