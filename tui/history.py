"""Session history as plain classes: the undo stack and the jump history.

Neither knows about Textual; both are unit-tested without Pilot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """One stored change: ``before`` None is an add, ``after`` None a delete."""

    before: T | None
    after: T | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "add"
        return "delete" if self.after is None else "edit"


class UndoStack(Generic[T]):
    """Changes in the order they were made; ``pop`` gives the last one back."""

    def __init__(self, limit: int = 500) -> None:
        self._changes: list[Change[T]] = []
        self.limit = limit

    def push(self, before: T | None, after: T | None) -> None:
        self._changes.append(Change(before, after))
        if len(self._changes) > self.limit:
            del self._changes[0]

    def pop(self) -> Change[T] | None:
        return self._changes.pop() if self._changes else None

    def push_back(self, change: Change[T]) -> None:
        """Put back a change whose undo failed."""
        self._changes.append(change)

    def __len__(self) -> int:
        return len(self._changes)

    def __bool__(self) -> bool:
        return bool(self._changes)


@dataclass(frozen=True, slots=True)
class Place:
    """Where the reader was: document key, raw cursor, and selection end (if any)."""

    key: str
    raw: int
    end: int | None = None


class JumpHistory:
    """Places left by jumping (to a similar passage); ``back`` returns to the last."""

    def __init__(self, limit: int = 100) -> None:
        self._places: list[Place] = []
        self.limit = limit

    def leave(self, place: Place) -> None:
        if self._places and self._places[-1] == place:
            return
        self._places.append(place)
        if len(self._places) > self.limit:
            del self._places[0]

    def back(self) -> Place | None:
        return self._places.pop() if self._places else None

    def __len__(self) -> int:
        return len(self._places)

    def __bool__(self) -> bool:
        return bool(self._places)
