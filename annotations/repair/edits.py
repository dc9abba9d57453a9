"""Edits and the two-way offset map between raw text and display text.

A ``Repaired`` is the raw text plus a sorted list of non-overlapping edits.
The display text is the raw text with every edit applied. The map is built
from segments that alternate between *kept* raw text (same length on both
sides) and *edits* (raw ``[raw_start, raw_end)`` shown as ``replacement``).
Insertions have ``raw_start == raw_end``; deletions have an empty replacement.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = (
    "gap",
    "completion",
    "punctuation",
    "paragraph",
    "whitespace",
    "entity",
    "control",
    "repeat",
    "case",
)


@dataclass(frozen=True, slots=True)
class Edit:
    kind: str
    raw_start: int
    raw_end: int
    replacement: str
    confidence: float
    reason: str


@dataclass(frozen=True, slots=True)
class Segment:
    raw_start: int
    raw_end: int
    text_start: int
    text_end: int
    edit: Edit | None  # None: raw text shown as is


class Repaired:
    """Raw text, display text and the monotonic offset map between them."""

    __slots__ = ("raw", "text", "edits", "segments", "_text_starts", "_raw_starts", "_edit_text")

    def __init__(self, raw: str, edits: list[Edit]) -> None:
        edits = sorted(edits, key=lambda e: (e.raw_start, e.raw_end))
        self.raw = raw
        self.edits: list[Edit] = edits
        segments: list[Segment] = []
        parts: list[str] = []
        edit_text: list[tuple[int, int]] = []
        r = 0
        t = 0
        for e in edits:
            if e.raw_start < r or e.raw_end < e.raw_start or e.raw_end > len(raw):
                raise ValueError(f"overlapping or out-of-range edit: {e!r}")
            if e.raw_start > r:
                n = e.raw_start - r
                segments.append(Segment(r, e.raw_start, t, t + n, None))
                parts.append(raw[r : e.raw_start])
                t += n
            m = len(e.replacement)
            segments.append(Segment(e.raw_start, e.raw_end, t, t + m, e))
            edit_text.append((t, t + m))
            parts.append(e.replacement)
            t += m
            r = e.raw_end
        if r < len(raw) or not segments:
            segments.append(Segment(r, len(raw), t, t + len(raw) - r, None))
            parts.append(raw[r:])
        self.text = "".join(parts)
        self.segments = segments
        self._edit_text = edit_text
        self._text_starts = [s.text_start for s in segments]
        self._raw_starts = [s.raw_start for s in segments]

    # -- edits with their display spans ------------------------------------
    def edit_spans(self) -> Iterator[tuple[Edit, int, int]]:
        """Each edit with ``(text_start, text_end)`` in the display text."""
        for e, (ts, te) in zip(self.edits, self._edit_text, strict=True):
            yield e, ts, te

    def _seg_at_text(self, d: int) -> Segment | None:
        """The non-empty segment holding display char ``d``."""
        i = bisect.bisect_right(self._text_starts, d) - 1
        while i >= 0:
            s = self.segments[i]
            if s.text_start <= d < s.text_end:
                return s
            if s.text_end <= d:
                return None
            i -= 1
        return None

    def _seg_at_raw(self, r: int) -> Segment | None:
        """The segment consuming raw char ``r`` (insertions consume none)."""
        i = bisect.bisect_right(self._raw_starts, r) - 1
        while i >= 0:
            s = self.segments[i]
            if s.raw_start <= r < s.raw_end:
                return s
            if s.raw_end <= r:
                return None
            i -= 1
        return None

    # -- point maps ----------------------------------------------------------
    def to_raw(self, d: int) -> int:
        """Raw offset of display offset ``d`` (inside an edit: its raw start)."""
        if d >= len(self.text):
            return len(self.raw)
        s = self._seg_at_text(max(d, 0))
        assert s is not None
        if s.edit is None:
            return s.raw_start + (d - s.text_start)
        return s.raw_start

    def to_display(self, r: int) -> int:
        """Display offset where raw char ``r`` is shown (inside an edit: its start)."""
        if r >= len(self.raw):
            return len(self.text)
        s = self._seg_at_raw(max(r, 0))
        if s is None:  # pragma: no cover - every raw char is in a segment
            return len(self.text)
        if s.edit is None:
            return s.text_start + (r - s.raw_start)
        return s.text_start

    # -- span maps -----------------------------------------------------------
    def raw_span(self, d_start: int, d_end: int) -> tuple[int, int]:
        """Smallest raw span covering display ``[d_start, d_end)``.

        A display span that touches an edit covers the edit's whole raw range.
        """
        d_start = max(0, min(d_start, len(self.text)))
        d_end = max(d_start, min(d_end, len(self.text)))
        if d_start == d_end:
            r = self.to_raw(d_start)
            return (r, r)
        s0 = self._seg_at_text(d_start)
        s1 = self._seg_at_text(d_end - 1)
        assert s0 is not None and s1 is not None
        rs = s0.raw_start + (d_start - s0.text_start) if s0.edit is None else s0.raw_start
        re_ = s1.raw_start + (d_end - s1.text_start) if s1.edit is None else s1.raw_end
        return (rs, re_)

    def display_span(self, r_start: int, r_end: int) -> tuple[int, int]:
        """Display span showing raw ``[r_start, r_end)``.

        Edits that replace raw text inside the span are included whole;
        insertions strictly inside the span are included too.
        """
        r_start = max(0, min(r_start, len(self.raw)))
        r_end = max(r_start, min(r_end, len(self.raw)))
        if r_start == r_end:
            d = self.to_display(r_start)
            return (d, d)
        s0 = self._seg_at_raw(r_start)
        s1 = self._seg_at_raw(r_end - 1)
        assert s0 is not None and s1 is not None
        ds = s0.text_start + (r_start - s0.raw_start) if s0.edit is None else s0.text_start
        de = s1.text_start + (r_end - s1.raw_start) if s1.edit is None else s1.text_end
        return (ds, de)

    def edit_at(self, d: int) -> Edit | None:
        """The edit whose display text holds display char ``d``, if any."""
        s = self._seg_at_text(d)
        return None if s is None else s.edit

    def segments_between(self, d_start: int, d_end: int) -> Iterator[Segment]:
        """Segments overlapping display ``[d_start, d_end)``, for rendering."""
        i = max(bisect.bisect_right(self._text_starts, d_start) - 1, 0)
        n = len(self.segments)
        while i < n:
            s = self.segments[i]
            if s.text_start >= d_end:
                break
            if s.text_end > d_start:
                yield s
            i += 1


def identity(raw: str) -> Repaired:
    """The raw text shown as is."""
    return Repaired(raw, [])
