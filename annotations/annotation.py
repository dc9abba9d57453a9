"""The annotation record: what a fact-checker attaches to a span of raw text."""

from __future__ import annotations

import getpass
import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

DEFAULT_VERDICTS: tuple[str, ...] = (
    "unverified",
    "true",
    "mostly true",
    "misleading",
    "needs context",
    "false",
    "not checkable",
)
COLORS: tuple[str, ...] = ("yellow", "green", "blue", "magenta", "red", "cyan")
CONTEXT_CHARS = 32  # prefix/suffix length, as W3C TextQuoteSelector usage


def now_iso() -> str:
    """UTC timestamp with microseconds, sortable as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_author() -> str:
    try:
        return os.environ.get("GLOSS_AUTHOR") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


# Provenance of an import: not part of what the annotation says (merges compare without it).
PROVENANCE = ("imported_by", "imported_at")


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two records say the same thing (import provenance aside)."""
    return {k: v for k, v in a.items() if k not in PROVENANCE} == {
        k: v for k, v in b.items() if k not in PROVENANCE
    }


@dataclass(slots=True)
class Annotation:
    doc_key: str
    raw_start: int
    raw_end: int
    quote: str  # exact raw text [raw_start:raw_end]
    prefix: str = ""
    suffix: str = ""
    doc_hash: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    color: str = "yellow"
    tags: list[str] = field(default_factory=list)
    note: str = ""
    verdict: str = "unverified"
    author: str = field(default_factory=default_author)
    created: str = field(default_factory=now_iso)
    updated: str = ""
    time_start: float | None = None
    time_end: float | None = None
    # Set by import: who brought the record in, and when (``author`` stays the original's).
    imported_by: str = ""
    imported_at: str = ""
    orphan: bool = False  # set by re-anchoring; never stored as truth

    def __post_init__(self) -> None:
        if not self.updated:
            self.updated = self.created

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("orphan")
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Annotation:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in d.items() if k in names})
