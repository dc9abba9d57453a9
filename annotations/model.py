"""Core data types shared by every layer.

Offsets everywhere are Python ``str`` indices into ``Document.raw``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption cue: its times and where its text sits in the raw text."""

    start: float  # seconds
    end: float  # seconds
    raw_start: int
    raw_end: int


@dataclass(slots=True)
class DocInfo:
    """A cheap row for the document list: read from the file head only."""

    key: str  # video id when present, else path relative to the corpus root
    path: Path
    rel_path: str
    title: str
    channel: str = ""
    date: str = ""  # ISO YYYY-MM-DD or ""
    format: str = "unknown"  # tagged | plain | vtt | srt | unknown
    size: int = 0
    mtime: float = 0.0
    words: int | None = None  # None until the body has been read
    # One-line notes that do not stop reading (e.g. "decoded as cp1252").
    problems: list[str] = field(default_factory=list)
    # One-line reason the document cannot be opened (binary, empty, too large…).
    error: str | None = None
    # Files this document is read from (corpus-relative): one, or a tagged transcript and
    # its caption file merged as one document per video (annotations.twins).
    sources: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the document can be opened (it may still carry notes)."""
        return self.error is None


@dataclass(slots=True)
class Document:
    """A loaded document. ``raw`` is the truth and is never changed."""

    info: DocInfo
    raw: str
    metadata: dict[str, str] = field(default_factory=dict)
    cues: list[Cue] = field(default_factory=list)
    # Raw offsets where two caption lines were joined (certain join points),
    # each with the length in columns of the line that ends there.
    joins: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.info.key

    @property
    def title(self) -> str:
        return self.info.title

    def cue_at(self, offset: int) -> Cue | None:
        """The cue whose text contains raw ``offset`` (or the nearest before it)."""
        if not self.cues:
            return None
        starts = [c.raw_start for c in self.cues]
        i = bisect.bisect_right(starts, offset) - 1
        return self.cues[max(i, 0)]

    def time_span(self, start: int, end: int) -> tuple[float, float] | None:
        """Cue time span covering raw offsets ``[start, end)``."""
        a = self.cue_at(start)
        b = self.cue_at(max(start, end - 1))
        if a is None or b is None:
            return None
        return (a.start, b.end)
