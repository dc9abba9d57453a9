"""Ranking helpers of the passage index: exclusions, the most voted units, rescoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from rapidfuzz import process

from annotations.similar.shard import Shard
from annotations.similar.text import scorer_for

Exclude = Callable[[int, int], bool]  # (shard, local passage) -> skip it


def where(docs: dict[str, tuple[int, int]], key: str) -> tuple[int, int]:
    try:
        return docs[key]
    except KeyError:
        raise KeyError(f"document {key!r} is not in the passage index") from None


def exclude_doc(shards: dict[int, Shard], where: tuple[int, int] | None) -> Exclude | None:
    """Skip the passages of one document."""
    if where is None:
        return None
    sid, d = where
    shard = shards[sid]
    w0, w1 = shard.d_w0[d], shard.d_w0[d + 1]
    return lambda s, w: s == sid and w0 <= w < w1


def exclude_span(shards: dict[int, Shard], sid: int, d: int, rs: int, re_: int) -> Exclude:
    """Skip the passages of one document that overlap raw ``[rs, re_)``."""
    shard = shards[sid]
    w0, w1 = shard.d_w0[d], shard.d_w0[d + 1]

    def skip(s: int, w: int) -> bool:
        if s != sid or not w0 <= w < w1:
            return False
        a, b = shard.window_raw(w)
        return a < re_ and rs < b

    return skip


def top_units(votes: dict[int, Counter[int]], n: int) -> list[tuple[int, int]]:
    """``(shard, unit)`` of about the ``n`` units with most votes: every unit with more votes
    than the n-th, then units with just as many (lowest ids first) up to ``2n`` in all."""
    hist: Counter[int] = Counter()
    for cnt in votes.values():
        hist.update(cnt.values())
    need = 0
    floor = 1
    for c in sorted(hist, reverse=True):
        floor = c
        need += hist[c]
        if need >= n:
            break
    out: list[tuple[int, int]] = []
    for sid in sorted(votes):
        cnt = votes[sid]
        out += [(sid, u) for u, c in cnt.items() if c > floor]
    room = 2 * n - len(out)
    for sid in sorted(votes):
        if room <= 0:
            break
        at = sorted(u for u, c in votes[sid].items() if c == floor)[:room]
        out += [(sid, u) for u in at]
        room -= len(at)
    return out


def extract(qnorm: str, choices: Any, cutoff: float) -> list[tuple[float, Any]]:
    """``(score, key)`` of the choices scoring ``cutoff`` or more (any order)."""
    scorer, pieces = scorer_for(qnorm)
    best: dict[Any, float] = {}
    for q in pieces:
        for _, s, k in process.extract(q, choices, scorer=scorer, processor=None,
                                       score_cutoff=cutoff, limit=None):
            if s > best.get(k, -1.0):
                best[k] = float(s)
    return [(s, k) for k, s in best.items()]
