"""Where a query hits inside one document: exact raw spans.

The engine says which documents match; this module finds the spans, on the raw
text with the index's own tokenizer (:func:`tokens.tokens_of`), so a hit is always
``raw[start:end]`` of whole tokens. With a :class:`Repaired` text, hits are also
looked for in the repaired (display) text — a word completed at a caption cut, a
phrase across a join — and mapped back through the repair map to the smallest raw
span covering them (``Repaired.raw_span``), which contains the hit.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from annotations.search.query import Near, Query, Term
from annotations.search.tokens import tokens_of

if TYPE_CHECKING:
    from annotations.repair.edits import Repaired

Token = tuple[str, int, int]
Span = tuple[int, int]  # token positions [first, last + 1)


def _term_at(t: Term, toks: Sequence[Token], i: int) -> bool:
    n = len(t.tokens)
    if i + n > len(toks):
        return False
    for k, want in enumerate(t.tokens):
        got = toks[i + k][0]
        last = k == n - 1
        if got == want or (last and t.prefix and got.startswith(want)):
            continue
        if n == 1 and got in t.alternatives:
            continue
        return False
    return True


def _term_spans(t: Term, toks: Sequence[Token], index: dict[str, list[int]]) -> list[Span]:
    first = t.tokens[0]
    if len(t.tokens) == 1 and t.prefix:
        starts = sorted(i for w, pos in index.items() if w.startswith(first) for i in pos)
    else:
        starts = list(index.get(first, ()))
        if len(t.tokens) == 1:
            for alt in t.alternatives:
                starts.extend(index.get(alt, ()))
            starts.sort()
    n = len(t.tokens)
    return [(i, i + n) for i in starts if _term_at(t, toks, i)]


def _near_spans(nq: Near, per: list[list[Span]], gap: Callable[[int, int], int]) -> list[Span]:
    """Windows holding every term with at most ``distance`` tokens between the end of
    the first and the start of the last (FTS5's NEAR), leftmost first, not overlapping.
    ``per``: each term's spans; ``gap(end, start)``: tokens between two positions."""
    if any(not p for p in per):
        return []
    starts = [[s for s, _ in spans] for spans in per]
    occ = sorted((s, e, k) for k, spans in enumerate(per) for s, e in spans)
    out: list[Span] = []
    floor = 0
    for s, e, k in occ:
        if s < floor:
            continue
        hi, last_start = e, s
        for j, spans in enumerate(per):
            if j == k:
                continue
            idx = bisect.bisect_left(starts[j], s)
            if idx >= len(spans):
                return out  # no later occurrence of term j: no later window either
            js, je = spans[idx]
            hi, last_start = max(hi, je), max(last_start, js)
        if last_start <= e or gap(e, last_start) <= nq.distance:
            out.append((s, hi))
            floor = hi
    return out


def _token_spans(q: Query, toks: Sequence[Token]) -> list[Span]:
    """Hits as token positions (any text)."""
    index: dict[str, list[int]] = {}
    for i, (w, _s, _e) in enumerate(toks):
        index.setdefault(w, []).append(i)
    spans: list[Span] = []
    for c in q.positive_terms():
        if isinstance(c, Near):
            per = [_term_spans(t, toks, index) for t in c.terms]
            spans.extend(_near_spans(c, per, lambda e, s: s - e))
        else:
            spans.extend(_term_spans(c, toks, index))
    return _merge(spans)


_ASCII_GAP = re.compile(r"[a-z0-9]+")


def _ascii_re(t: Term) -> re.Pattern[str] | None:
    """A regex over lower-cased ASCII text matching term ``t`` on token boundaries."""
    if not all(tok.isascii() for tok in t.tokens):
        return None
    parts = [re.escape(tok) for tok in t.tokens]
    if t.prefix:
        parts[-1] += "[a-z0-9]*"
    if len(t.tokens) == 1 and t.alternatives:
        alts = [re.escape(a) for a in t.alternatives if a.isascii()]
        parts[0] = "(?:" + "|".join([parts[0], *alts]) + ")"
    return re.compile("(?<![a-z0-9])" + "[^a-z0-9]+".join(parts) + "(?![a-z0-9])")


def _ascii_spans(q: Query, low: str) -> list[Span]:
    """Hits as character spans of an ASCII text (``low`` is it lower-cased)."""

    def find(t: Term) -> list[Span]:
        rx = _ascii_re(t)
        return [] if rx is None else [m.span() for m in rx.finditer(low)]

    spans: list[Span] = []
    for c in q.positive_terms():
        if isinstance(c, Near):
            per = [find(t) for t in c.terms]
            spans.extend(_near_spans(c, per, lambda e, s: len(_ASCII_GAP.findall(low, e, s))))
        else:
            spans.extend(find(c))
    return _merge(spans)


def _spans(q: Query, text: str) -> list[tuple[int, int]]:
    """Character spans of every hit in ``text`` (whole tokens)."""
    if text.isascii():
        return _ascii_spans(q, text.lower())
    toks = tokens_of(text)
    return [(toks[s][1], toks[e - 1][2]) for s, e in _token_spans(q, toks)]


def _merge(spans: list[Span]) -> list[Span]:
    spans.sort()
    out: list[Span] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def locate(q: Query, raw: str, repaired: Repaired | None = None) -> list[tuple[int, int]]:
    """Raw ``(start, end)`` of every hit of ``q``'s words in ``raw``, in text order."""
    hits = _spans(q, raw)
    if repaired is not None and repaired.edits:
        hits.extend(repaired.raw_span(s, e) for s, e in _spans(q, repaired.text))
        hits = _merge_raw(hits)
    return hits


def _merge_raw(hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    hits.sort()
    out: list[tuple[int, int]] = []
    for s, e in hits:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
