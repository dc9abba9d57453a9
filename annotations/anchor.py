"""Selectors and re-anchoring: find an annotation's text again after the document changed.

An annotation keeps a W3C TextPositionSelector (``raw_start``/``raw_end``) and a
TextQuoteSelector (``quote`` with ``CONTEXT_CHARS`` of ``prefix``/``suffix``).
When the text no longer matches, ``reanchor`` tries, in order:

1. exact — the quote is still at the stored offsets;
2. moved — the exact quote elsewhere; among several, the one whose
   surroundings best match prefix/suffix, then the one nearest the old place;
3. fuzzy — the span between the stored prefix and suffix, or the best
   approximate match (rapidfuzz) near the old place, then anywhere; accepted
   only when ``fuzz.ratio(quote, new text) >= cutoff``;
4. orphan — nothing placed. Orphans keep their stored offsets, are listed,
   and are never deleted.

A placed annotation therefore always points at its own quote, or at text
scoring at least ``cutoff`` against it — never silently at other text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from rapidfuzz import fuzz

from annotations.annotation import CONTEXT_CHARS, Annotation
from annotations.model import Document

Status = Literal["exact", "moved", "fuzzy", "orphan"]
FUZZY_CUTOFF = 85.0  # minimum fuzz.ratio (0-100) of a fuzzy placement
MIN_FUZZY_LEN = 6  # shorter quotes are only placed exactly
MAX_OCCURRENCES = 20_000  # exact matches examined for one quote
NEAR = 2_000  # characters either side of the old place searched first


@dataclass(frozen=True, slots=True)
class Anchor:
    start: int
    end: int
    status: Status
    score: float = 100.0  # fuzz.ratio of quote vs text[start:end]; 0 for orphans


def doc_hash(raw: str) -> str:
    """Short sha256 hex of a document's raw text (what the annotation was made on)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def selector(raw: str, start: int, end: int) -> tuple[str, str, str]:
    """(quote, prefix, suffix) for raw ``[start, end)``; ValueError when out of range."""
    if not 0 <= start <= end <= len(raw):
        raise ValueError(f"span {start}-{end} is outside the text (0-{len(raw)})")
    return (
        raw[start:end],
        raw[max(0, start - CONTEXT_CHARS) : start],
        raw[end : end + CONTEXT_CHARS],
    )


def _common_tail(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_head(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context(raw: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of prefix and suffix agree with the text around a span."""
    before = raw[max(0, start - len(prefix)) : start]
    after = raw[end : end + len(suffix)]
    return _common_tail(prefix, before) + _common_head(suffix, after)


def _occurrences(raw: str, quote: str) -> list[int]:
    out: list[int] = []
    i = raw.find(quote)
    while i >= 0 and len(out) < MAX_OCCURRENCES:
        out.append(i)
        i = raw.find(quote, i + 1)
    return out


def _refine(quote: str, raw: str, start: int, end: int) -> tuple[int, int, float]:
    """Hill-climb the span's ends to the best fuzz.ratio against ``quote``."""
    best = fuzz.ratio(quote, raw[start:end])
    budget = 2 * max(4, len(quote) // 8)
    while budget > 0:
        budget -= 1
        moved = False
        for ds, de in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            s, e = start + ds, end + de
            if 0 <= s < e <= len(raw):
                score = fuzz.ratio(quote, raw[s:e])
                if score > best:
                    best, start, end, moved = score, s, e, True
        if not moved:
            break
    return start, end, best


def _fuzzy_in(
    quote: str, raw: str, lo: int, hi: int, cutoff: float
) -> tuple[int, int, float] | None:
    lo, hi = max(0, lo), min(len(raw), hi)
    if hi - lo < 1:
        return None
    hit = fuzz.partial_ratio_alignment(quote, raw[lo:hi], score_cutoff=cutoff * 0.9)
    if hit is None:
        return None
    return _refine(quote, raw, lo + hit.dest_start, lo + hit.dest_end)


def _between_context(
    raw: str, quote: str, prefix: str, suffix: str, old: int
) -> tuple[int, int, float] | None:
    """The span between the stored prefix and suffix, found near the old place."""
    if len(prefix) < 8 or len(suffix) < 8:
        return None
    best: tuple[int, int, float] | None = None
    for p in sorted(_occurrences(raw, prefix), key=lambda i: abs(i + len(prefix) - old))[:20]:
        start = p + len(prefix)
        j = raw.find(suffix, start, start + 2 * len(quote) + 64)
        if j < 0:
            continue
        score = fuzz.ratio(quote, raw[start:j])
        if best is None or score > best[2]:
            best = (start, j, score)
    return best


def reanchor(ann: Annotation, raw: str, *, cutoff: float = FUZZY_CUTOFF) -> Anchor:
    """Where ``ann``'s quote is in ``raw`` now (see the module docstring)."""
    quote, start, end = ann.quote, ann.raw_start, ann.raw_end
    if 0 <= start <= end <= len(raw) and raw[start:end] == quote:
        return Anchor(start, end, "exact")
    if not quote:
        return Anchor(start, end, "orphan", 0.0)
    hits = _occurrences(raw, quote)
    if hits:
        at = max(
            hits,
            key=lambda i: (
                _context(raw, i, i + len(quote), ann.prefix, ann.suffix),
                -abs(i - start),
            ),
        )
        return Anchor(at, at + len(quote), "moved")
    if len(quote) < MIN_FUZZY_LEN:
        return Anchor(start, end, "orphan", 0.0)
    found = _between_context(raw, quote, ann.prefix, ann.suffix, start)
    if found is None or found[2] < cutoff:
        span = len(quote) + NEAR
        found = _fuzzy_in(quote, raw, start - span, end + span, cutoff)
        if found is None or found[2] < cutoff:
            found = _fuzzy_in(quote, raw, 0, len(raw), cutoff)
    if found is not None and found[2] >= cutoff and found[1] > found[0]:
        return Anchor(found[0], found[1], "fuzzy", float(found[2]))
    return Anchor(start, end, "orphan", 0.0)


def reanchor_all(
    anns: Iterable[Annotation], raw: str, *, cutoff: float = FUZZY_CUTOFF
) -> list[tuple[Annotation, Anchor]]:
    """(copy with current offsets and orphan flag, how it was placed) for each annotation.

    Placed annotations come first in text order, then orphans. Nothing is written.
    """
    out: list[tuple[Annotation, Anchor]] = []
    for ann in anns:
        anchor = reanchor(ann, raw, cutoff=cutoff)
        if anchor.status == "orphan":
            copy = replace(ann, orphan=True, tags=list(ann.tags))
        else:
            copy = replace(
                ann, raw_start=anchor.start, raw_end=anchor.end, orphan=False, tags=list(ann.tags)
            )
        out.append((copy, anchor))
    out.sort(key=lambda p: (p[0].orphan, p[0].raw_start, p[0].raw_end, p[0].created))
    return out


def anchor_all(
    anns: Iterable[Annotation], raw: str, *, cutoff: float = FUZZY_CUTOFF
) -> list[Annotation]:
    """Copies of ``anns`` placed in ``raw`` (current offsets; ``orphan`` set). No writes."""
    return [ann for ann, _ in reanchor_all(anns, raw, cutoff=cutoff)]


def annotate_span(doc: Document, start: int, end: int, **fields: Any) -> Annotation:
    """A new annotation on raw ``[start, end)`` of ``doc``: exact quote, context, text
    hash and, for caption documents, the cue time span."""
    quote, prefix, suffix = selector(doc.raw, start, end)
    span = doc.time_span(start, end) if doc.cues else None
    return Annotation(
        doc_key=doc.key,
        raw_start=start,
        raw_end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        doc_hash=doc_hash(doc.raw),
        time_start=span[0] if span else None,
        time_end=span[1] if span else None,
        **fields,
    )
