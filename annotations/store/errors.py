"""Errors raised by the annotation store. Each names the file it is about."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """A store file cannot be read or written; ``path`` names it, ``reason`` says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class AnnotationNotFound(StoreError):
    """``update``/``get`` of an id the document file does not hold (deleted meanwhile)."""


class InvalidAnnotation(StoreError):
    """An annotation record that cannot be stored (bad offsets, wrong types…)."""
