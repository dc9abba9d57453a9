"""Edits and the two-way offset map between raw text and display text.

A ``Repaired`` is the raw text plus a sorted list of non-overlapping edits.
The display text is the raw text with every edit applied. The map is built
from segments that alternate between *kept* raw text (same length on both
sides) and *edits* (raw ``[raw_start, raw_end)`` shown as ``replacement``).
Insertions have ``raw_start == raw_end``; deletions have an empty replacement.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

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


class Edit(NamedTuple):
    """One change: raw ``[raw_start, raw_end)`` shown as ``replacement``.

    An immutable record (a named tuple: cheap to make by the hundred thousand).
    """

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


_EDIT_ORDER = operator.attrgetter("raw_start", "raw_end")


class Repaired:
    """Raw text, display text and the monotonic offset map between them.

    The map is kept as parallel arrays (one entry per segment); :class:`Segment`
    objects are made on demand (``segments``, ``segments_between``), so building a
    map of many edits stays cheap.
    """

    __slots__ = ("raw", "text", "edits", "_rs", "_re", "_ts", "_te", "_ed", "_edit_text",
                 "_segments")

    def __init__(self, raw: str, edits: list[Edit]) -> None:
        edits = sorted(edits, key=_EDIT_ORDER)
        self.raw = raw
        self.edits: list[Edit] = edits
        rs: list[int] = []
        re_: list[int] = []
        ts: list[int] = []
        te: list[int] = []
        ed: list[Edit | None] = []
        parts: list[str] = []
        edit_text: list[tuple[int, int]] = []
        rs_add, re_add, ts_add, te_add, ed_add = rs.append, re_.append, ts.append, te.append, ed.append
        part_add, et_add = parts.append, edit_text.append
        r = 0
        t = 0
        n_raw = len(raw)
        for e in edits:
            _kind, a, b, rep, _conf, _why = e
            if a < r or b < a or b > n_raw:
                raise ValueError(f"overlapping or out-of-range edit: {e!r}")
            if a > r:
                rs_add(r)
                re_add(a)
                ts_add(t)
                t += a - r
                te_add(t)
                ed_add(None)
                part_add(raw[r:a])
            m = len(rep)
            rs_add(a)
            re_add(b)
            ts_add(t)
            te_add(t + m)
            ed_add(e)
            et_add((t, t + m))
            part_add(rep)
            t += m
            r = b
        if r < n_raw or not rs:
            rs_add(r)
            re_add(n_raw)
            ts_add(t)
            te_add(t + n_raw - r)
            ed_add(None)
            part_add(raw[r:])
        self.text = "".join(parts)
        self._rs, self._re, self._ts, self._te, self._ed = rs, re_, ts, te, ed
        self._edit_text = edit_text
        self._segments: list[Segment] | None = None

    def _seg(self, i: int) -> Segment:
        return Segment(self._rs[i], self._re[i], self._ts[i], self._te[i], self._ed[i])

    @property
    def segments(self) -> list[Segment]:
        """Kept raw text and edits, in order, tiling both texts."""
        if self._segments is None:
            self._segments = [self._seg(i) for i in range(len(self._rs))]
        return self._segments

    # -- edits with their display spans ------------------------------------
    def edit_spans(self) -> Iterator[tuple[Edit, int, int]]:
        """Each edit with ``(text_start, text_end)`` in the display text."""
        for e, (ts, te) in zip(self.edits, self._edit_text, strict=True):
            yield e, ts, te

    def _idx_at_text(self, d: int) -> int:
        """Index of the non-empty segment holding display char ``d`` (-1: none)."""
        ts, te = self._ts, self._te
        i = bisect.bisect_right(ts, d) - 1
        while i >= 0:
            if ts[i] <= d < te[i]:
                return i
            if te[i] <= d:
                return -1
            i -= 1
        return -1

    def _idx_at_raw(self, r: int) -> int:
        """Index of the segment consuming raw char ``r`` (insertions consume none; -1: none)."""
        rs, re_ = self._rs, self._re
        i = bisect.bisect_right(rs, r) - 1
        while i >= 0:
            if rs[i] <= r < re_[i]:
                return i
            if re_[i] <= r:
                return -1
            i -= 1
        return -1

    def _seg_at_text(self, d: int) -> Segment | None:
        i = self._idx_at_text(d)
        return None if i < 0 else self._seg(i)

    def _seg_at_raw(self, r: int) -> Segment | None:
        i = self._idx_at_raw(r)
        return None if i < 0 else self._seg(i)

    # -- point maps ----------------------------------------------------------
    def to_raw(self, d: int) -> int:
        """Raw offset of display offset ``d`` (inside an edit: its raw start)."""
        if d >= len(self.text):
            return len(self.raw)
        i = self._idx_at_text(max(d, 0))
        assert i >= 0
        if self._ed[i] is None:
            return self._rs[i] + (max(d, 0) - self._ts[i])
        return self._rs[i]

    def to_display(self, r: int) -> int:
        """Display offset where raw char ``r`` is shown (inside an edit: its start)."""
        if r >= len(self.raw):
            return len(self.text)
        r = max(r, 0)
        i = self._idx_at_raw(r)
        if i < 0:  # pragma: no cover - every raw char is in a segment
            return len(self.text)
        if self._ed[i] is None:
            return self._ts[i] + (r - self._rs[i])
        return self._ts[i]

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
        i0 = self._idx_at_text(d_start)
        i1 = self._idx_at_text(d_end - 1)
        assert i0 >= 0 and i1 >= 0
        rs = self._rs[i0] + (d_start - self._ts[i0]) if self._ed[i0] is None else self._rs[i0]
        re_ = self._rs[i1] + (d_end - self._ts[i1]) if self._ed[i1] is None else self._re[i1]
        return (rs, re_)

    def display_span(self, r_start: int, r_end: int) -> tuple[int, int]:
        """Display span showing raw ``[r_start, r_end)``.

        Edits that replace raw text inside the span are included whole; insertions
        inside the span or at either end of it (a completion right after a cut word)
        are included too, so ``display_span(raw_span(x))`` always covers ``x``. An
        empty raw span gives what is inserted there (empty when nothing is).
        """
        r_start = max(0, min(r_start, len(self.raw)))
        r_end = max(r_start, min(r_end, len(self.raw)))
        if r_start == r_end:
            return self._inserted_at(r_start)
        rs, re_, ts, te, ed = self._rs, self._re, self._ts, self._te, self._ed
        i0 = self._idx_at_raw(r_start)
        i1 = self._idx_at_raw(r_end - 1)
        assert i0 >= 0 and i1 >= 0
        ds = ts[i0] + (r_start - rs[i0]) if ed[i0] is None else ts[i0]
        de = ts[i1] + (r_end - rs[i1]) if ed[i1] is None else te[i1]
        if rs[i0] == r_start:
            while i0 > 0 and rs[i0 - 1] == re_[i0 - 1] == r_start:
                i0 -= 1
                ds = ts[i0]
        if re_[i1] == r_end:
            n = len(rs)
            while i1 + 1 < n and rs[i1 + 1] == re_[i1 + 1] == r_end:
                i1 += 1
                de = te[i1]
        return (ds, de)

    def _inserted_at(self, r: int) -> tuple[int, int]:
        """Display span of the insertions at raw offset ``r`` (a point when none)."""
        rs, re_ = self._rs, self._re
        i = bisect.bisect_left(rs, r)
        n = len(rs)
        j = i
        while j < n and rs[j] == re_[j] == r:
            j += 1
        if j == i:
            d = self.to_display(r)
            return (d, d)
        return (self._ts[i], self._te[j - 1])

    def edit_at(self, d: int) -> Edit | None:
        """The edit whose display text holds display char ``d``, if any."""
        i = self._idx_at_text(d)
        return None if i < 0 else self._ed[i]

    def segments_between(self, d_start: int, d_end: int) -> Iterator[Segment]:
        """Segments overlapping display ``[d_start, d_end)``, for rendering."""
        ts, te = self._ts, self._te
        i = max(bisect.bisect_right(ts, d_start) - 1, 0)
        n = len(ts)
        while i < n:
            if ts[i] >= d_end:
                break
            if te[i] > d_start:
                yield self._seg(i)
            i += 1


def identity(raw: str) -> Repaired:
    """The raw text shown as is."""
    return Repaired(raw, [])
