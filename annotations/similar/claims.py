"""Same claim: lexical candidates (BM25 over sentence units), reranked with rapidfuzz.

:class:`LexicalRetriever` is the small interface the finder uses for candidates;
:class:`ShardBM25` implements it over the term postings of the passage index
shards (memory-mapped). The corpus search engine (SQLite FTS5) can replace it
behind the same interface.

BM25 (k1 1.2, b 0.75) over units (sentences of 8-16 words): the query's words
that are not stop words are read rarest first within a budget of postings;
the best ``POOL`` units are then scored exactly from their own words. The
rerank mixes the BM25 score, relative to the query's score against itself, with
rapidfuzz token measures on the words that are not stop words; it never rests
on one signal alone.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Protocol

from rapidfuzz import fuzz

from annotations.similar.shard import Shard
from annotations.similar.text import STOP, term, term_hash

K1, B = 1.2, 0.75
BUDGET = 8_000  # postings read per query (rarest words first; the first word is read up to
# this many postings even when it is more common)
POOL = 60  # units scored exactly and reranked
LEX_WEIGHT = 0.6  # rerank: share of the BM25 signal (the rest: rapidfuzz)

Skip = Callable[[int, int], bool]  # (shard, local unit) -> leave it out


class LexicalRetriever(Protocol):
    """Candidates for a claim: ``(score, shard, local unit)``, best first."""

    def search(self, terms: list[str], limit: int, skip: Skip | None = None
               ) -> list[tuple[float, int, int]]: ...


def content_words(tokens: list[str]) -> list[str]:
    """Terms (stems, same-sense groups) of the words that are not stop words: what BM25
    and the rerank compare."""
    return [term(t) for t in tokens if t not in STOP]


class ShardBM25:
    """BM25 over the units of the index shards."""

    def __init__(self, shards: dict[int, Shard]) -> None:
        self.shards = shards
        self.n_units = sum(len(s.u_nw) for s in shards.values()) or 1
        words = sum(s.n_words for s in shards.values())
        self.avgdl = words / self.n_units if words else 12.0

    def idf(self, df: int) -> float:
        return math.log(1 + (self.n_units - df + 0.5) / (df + 0.5))

    def _tf_part(self, tf: int, dl: int) -> float:
        return tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / self.avgdl))

    def score_tokens(self, weights: dict[str, float], tokens: list[str]) -> float:
        """BM25 of a token list (a unit, or the query itself) for query words ``weights``
        (word -> idf)."""
        counts: dict[str, int] = {}
        for t in map(term, tokens):
            if t in weights:
                counts[t] = counts.get(t, 0) + 1
        dl = len(tokens)
        return sum(weights[t] * self._tf_part(c, dl) for t, c in counts.items())

    def weights(self, terms: list[str]) -> tuple[dict[str, float], list[tuple[int, str, list]]]:
        """idf per query word, and per word ``(df, word, ranges)`` rarest first."""
        found = []
        weights: dict[str, float] = {}
        for t in set(terms):
            h = term_hash(t)
            ranges = []
            df = 0
            for sid, shard in self.shards.items():
                a, b = shard.lookup_term(h)
                if b > a:
                    ranges.append((sid, a, b))
                    df += b - a
            if df:
                weights[t] = self.idf(df)
                found.append((df, t, ranges))
        found.sort(key=lambda x: (x[0], x[1]))
        return weights, found

    def search(self, terms: list[str], limit: int, skip: Skip | None = None
               ) -> list[tuple[float, int, int]]:
        weights, found = self.weights(terms)
        scores: dict[int, float] = {}  # shard << 32 | unit -> BM25 of the words read
        get = scores.get
        total = 0
        k1, b_, avgdl = K1, B, self.avgdl
        for n, (df, t, ranges) in enumerate(found):
            if n and total + df > BUDGET:
                break
            if not n and df > BUDGET:  # only common words: read the first postings
                ranges = truncate(ranges, BUDGET)
            total += df
            w = weights[t]
            one: dict[int, float] = {}  # unit length -> weight of one occurrence
            for sid, a, b in ranges:
                shard = self.shards[sid]
                tu, tf, nw = shard.tu, shard.tf, shard.u_nw
                base = sid << 32
                for i in range(a, b):
                    u = tu[i]
                    dl = nw[u]
                    c = tf[i]
                    if c == 1:
                        x = one.get(dl)
                        if x is None:
                            x = one[dl] = w * (k1 + 1) / (1 + k1 * (1 - b_ + b_ * dl / avgdl))
                    else:
                        x = w * c * (k1 + 1) / (c + k1 * (1 - b_ + b_ * dl / avgdl))
                    key = base | u
                    scores[key] = get(key, 0.0) + x
        ranked = heapq.nlargest(4 * limit + 50, scores.items(), key=lambda kv: kv[1])
        out: list[tuple[float, int, int]] = []
        for g, _ in ranked:
            sid, u = g >> 32, g & 0xFFFFFFFF
            if skip is not None and skip(sid, u):
                continue
            tokens = self.shards[sid].unit_tokens(u)
            out.append((self.score_tokens(weights, tokens), sid, u))
            if len(out) >= limit:
                break
        out.sort(key=lambda x: (-x[0], x[1], x[2]))
        return out


def truncate(ranges: list[tuple[int, int, int]], budget: int) -> list[tuple[int, int, int]]:
    """The first ``budget`` postings of ``(shard, a, b)`` ranges."""
    out = []
    for sid, a, b in ranges:
        if budget <= 0:
            break
        out.append((sid, a, min(b, a + budget)))
        budget -= b - a
    return out


def rerank_score(bm25: float, self_bm25: float, q_content: list[str],
                 c_content: list[str]) -> float:
    """0-100: BM25 relative to the query's own score, mixed with rapidfuzz token measures
    (token set and token sort ratios of the words that are not stop words)."""
    if self_bm25 <= 0 or not q_content or not c_content:
        return 0.0
    lex = min(1.0, bm25 / self_bm25)
    qa, ca = " ".join(q_content), " ".join(c_content)
    fz = 0.5 * fuzz.token_set_ratio(qa, ca, processor=None) + 0.5 * fuzz.token_sort_ratio(
        qa, ca, processor=None)
    return 100.0 * LEX_WEIGHT * lex + (1 - LEX_WEIGHT) * fz
