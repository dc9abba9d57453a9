"""Similar passages answered as fact-checkers ask: the same words, and the same claim.

* **Same words** (:mod:`annotations.similar.align`): the query's word 3-grams
  are looked up in the index, rarest first; the units they hit (seeds) are
  extended with their neighbours and aligned with the query; the aligned span
  is the match, scored by its length and identity.
* **Same claim** (:mod:`annotations.similar.claims`): BM25 candidates over
  sentence units, reranked with rapidfuzz token measures.

Each hit carries the span in both documents as exact raw offsets (and cue
times when known), a score 0-100 and a level: ``confirmed`` or ``suggested``
(two thresholds per kind; a query or match under ``MIN_CONFIRM_WORDS`` words
is never confirmed). Hits are grouped by kind, best first, one per video (the
``.txt`` and ``.vtt`` of one video are one video), never the query's own video
unless asked, and never the query passage itself.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from annotations.similar import cut as cutmod
from annotations.similar.align import STOP_WEIGHT, align
from annotations.similar.claims import (
    POOL,
    LexicalRetriever,
    ShardBM25,
    content_words,
    rerank_score,
    truncate,
)
from annotations.similar.index import postings_by_rarity
from annotations.similar.shard import Shard
from annotations.similar.text import (
    STOP,
    WORD,
    Hasher,
    figures,
    norm_tokens,
    other_figures,
    stem,
    term,
)

KINDS = ("words", "claim")
# (suggested, confirmed) score thresholds per kind
THRESHOLDS = {"words": (35.0, 50.0), "claim": (40.0, 72.0)}
MIN_CONFIRM_WORDS = 8
SEED_BUDGET = 12_000  # 3-gram postings read per query (rarest first)
SEED_UNITS = 80  # most voted units aligned
RARE_DF = 64  # a 3-gram in at most this many units is rare ...
RARE_SEEDS = 60  # ... and the units most voted by rare 3-grams alone are aligned too
WORD_SEEDS = 30  # ... and the best units for the query's rare words (BM25)
CONTEXT = 1  # units either side of a seed unit in the aligned region
MAX_QUERY_WORDS = 400  # a longer query is cut to its first words
CONTEXT_CHARS = 240  # display characters either side of a match in ``Hit.context``
FIGURE_PENALTY = 0.45  # score kept when both sides give figures and none is the same
# what a matched word counts towards an aligned span's length: its idf relative to that of
# a word in sqrt(units) units, within these bounds (a stop word counts STOP_WEIGHT)
RARITY_BOUNDS = (0.5, 1.5)


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # "words" | "claim"
    score: float  # 0-100
    level: str  # "confirmed" | "suggested"
    doc_key: str
    raw_start: int  # the matching span in the other document (exact raw offsets)
    raw_end: int
    text: str  # its display (repaired) text
    source_start: int | None  # the matching span in the query document (raw), when known
    source_end: int | None
    source_text: str  # the query's words that match (display text)
    time_start: float | None = None
    time_end: float | None = None
    words: int = 0  # words in the matching span
    source_at: int = 0  # offset of ``source_text`` in the query text
    context: str = ""  # display text around the match (for a preview)
    context_at: int = 0  # offset of ``text`` in ``context``


@dataclass(slots=True)
class Results:
    query: str
    words: list[Hit] = field(default_factory=list)
    claim: list[Hit] = field(default_factory=list)

    def groups(self) -> dict[str, list[Hit]]:
        return {"words": self.words, "claim": self.claim}

    def all(self) -> list[Hit]:
        return self.words + self.claim


@dataclass(slots=True)
class _Query:
    text: str  # display text
    tokens: list[str]
    spans: list[tuple[int, int]]  # display offsets of each token in ``text``
    key: str | None = None
    base: int = 0  # display offset of ``text`` in the query document
    edits: Any = None  # the query document's edit map (raw <-> display)
    raw_len: int = 0
    lexical: list[tuple[float, int, int]] | None = None  # BM25 candidates, asked once
    idf: dict[str, float] | None = None  # idf of the query's content words, asked once
    texts: dict[tuple[int, int], Any] = field(default_factory=dict)  # documents read
    columns: Any = None  # the query document's edit map by column


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    spans = [m.span() for m in WORD.finditer(text)]
    toks = [norm_tokens(text[a:b]) for a, b in spans]
    out_t, out_s = [], []
    for t, s in zip(toks, spans, strict=True):
        if t:
            out_t.append(t[0])
            out_s.append(s)
    return out_t, out_s


class SimilarFinder:
    """Both kinds of similar passages over a :class:`PassageIndex`."""

    def __init__(self, index: Any, videos: Any = None,
                 retriever: LexicalRetriever | None = None) -> None:
        self.index = index
        self.videos = videos
        self._retriever = retriever
        self._retriever_for: Any = None
        self.release_pages = True  # unmap the index pages a query touched, after it

    # -- public -------------------------------------------------------------------------
    def find_span(self, doc_key: str, raw_start: int, raw_end: int, *, kind: str = "all",
                  top: int = 10, include_same: bool = False,
                  cutoff: float | None = None) -> Results:
        """Passages like raw ``[raw_start, raw_end)`` of ``doc_key`` in other videos (also in
        the same video when ``include_same``, never overlapping the query itself)."""
        shards, sid, d, display, edits = self.index._read(doc_key)
        shard = shards[sid]
        raw_len = shard.docs[d][4]
        ds, de = cutmod.display_span(edits, raw_len, len(display), raw_start, raw_end)
        text = display[ds:de]
        toks, spans = _tokens(text)
        q = _Query(text, toks[:MAX_QUERY_WORDS], spans[:MAX_QUERY_WORDS], doc_key, ds, edits,
                   raw_len)
        return self._find(q, shards, kind, top, include_same, cutoff, (raw_start, raw_end))

    def find_text(self, text: str, *, kind: str = "all", top: int = 10,
                  cutoff: float | None = None) -> Results:
        toks, spans = _tokens(text)
        q = _Query(text, toks[:MAX_QUERY_WORDS], spans[:MAX_QUERY_WORDS])
        shards = self.index._view[0]
        return self._find(q, shards, kind, top, True, cutoff, None)

    # -- internals ----------------------------------------------------------------------
    def _skip_unit(self, shards: dict[int, Shard], q: _Query, include_same: bool,
                   own: tuple[int, int] | None) -> Any:
        """(shard, unit) -> leave it out: the query's video (or the query span itself)."""
        docs = self.index._view[1]
        if q.key is None:
            return None
        same: set[tuple[int, int]] = set()
        keys = self.videos.keys_of(q.key) if self.videos is not None else [q.key]
        for k in keys:
            if k in docs:
                same.add(docs[k])
        qsid, qd = docs[q.key]

        def skip(sid: int, u: int) -> bool:
            shard = shards[sid]
            d = bisect.bisect_right(shard.d_u0, u) - 1
            if (sid, d) not in same:
                return False
            if not include_same:
                return True
            if (sid, d) != (qsid, qd) or own is None:
                return False
            return shard.u_r0[u] < own[1] and own[0] < shard.u_r1[u]

        return skip

    def _find(self, q: _Query, shards: dict[int, Shard], kind: str, top: int,
              include_same: bool, cutoff: float | None, own: tuple[int, int] | None) -> Results:
        if kind not in ("all", *KINDS):
            raise ValueError(f"kind must be words, claim or all, not {kind!r}")
        res = Results(q.text)
        if not q.tokens or top <= 0:
            return res
        skip = self._skip_unit(shards, q, include_same, own)
        # hits are made (spans, texts) for a few more than shown: duplicates are dropped
        limit = 3 * top + 5
        if kind in ("all", "words"):
            res.words = self._one_per_video(self._words(q, shards, skip, cutoff, limit), top)
        if kind in ("all", "claim"):
            res.claim = self._one_per_video(self._claims(q, shards, skip, cutoff, limit), top)
        if self.release_pages:
            for shard in shards.values():  # the pages read stay shared, not resident here
                shard.release()
        return res

    def _one_per_video(self, hits: list[Hit], top: int) -> list[Hit]:
        """Best first; a passage shown once: a hit overlapping one already kept in the same
        document, or holding the same words in the other file of the same video, is dropped."""
        hits.sort(key=lambda h: (-h.score, h.doc_key, h.raw_start))
        kept: list[tuple[str, set[str], Hit]] = []
        for h in hits:
            v = self.videos.video_of(h.doc_key) if self.videos is not None else h.doc_key
            words = set(norm_tokens(h.text))
            dup = False
            for kv, kw, k in kept:
                if kv != v:
                    continue
                if k.doc_key == h.doc_key:
                    dup = k.raw_start < h.raw_end and h.raw_start < k.raw_end
                else:
                    dup = len(kw & words) >= 0.6 * min(len(kw), len(words))
                if dup:
                    break
            if dup:
                continue
            kept.append((v, words, h))
            if len(kept) >= top:
                break
        return [h for _, _, h in kept]

    # same words ---------------------------------------------------------------------
    def _seeds(self, tokens: list[str], shards: dict[int, Shard]) -> list[tuple[int, int]]:
        keys = set(Hasher().keys(tokens)) if len(tokens) >= 3 else set()
        found = postings_by_rarity(keys, shards)
        votes: Counter[int] = Counter()
        rare: Counter[int] = Counter()  # votes of the rarest 3-grams alone (a quote's own)
        total = 0
        for n, (df, _, ranges) in enumerate(found):
            if n and total + df > SEED_BUDGET:
                break
            if not n and df > SEED_BUDGET:  # only common 3-grams: the first postings
                ranges = truncate(ranges, SEED_BUDGET)
            total += df
            for sid, a, b in ranges:
                units = list(map((sid << 32).__or__, shards[sid].pu[a:b]))
                votes.update(units)
                if df <= RARE_DF:
                    rare.update(units)
        top = [g for g, _ in rare.most_common(RARE_SEEDS)]
        top += [g for g, _ in votes.most_common(SEED_UNITS)]
        return [(g >> 32, g & 0xFFFFFFFF) for g in dict.fromkeys(top)]

    def _words(self, q: _Query, shards: dict[int, Shard], skip: Any,
               cutoff: float | None, limit: int) -> list[Hit]:
        seeds = self._seeds(q.tokens, shards)
        # rare single words too: the best BM25 units (a quote with no 3-gram left intact)
        seeds += [(sid, u) for _, sid, u in self._lexical(q, shards, skip)[:WORD_SEEDS]]
        seeds = [s for s in dict.fromkeys(seeds) if skip is None or not skip(*s)]
        # regions: seed units with CONTEXT units either side, within one document, merged
        regions: dict[tuple[int, int], list[list[int]]] = {}
        for sid, u in seeds:
            shard = shards[sid]
            d = bisect.bisect_right(shard.d_u0, u) - 1
            lo = max(shard.d_u0[d], u - CONTEXT)
            hi = min(shard.d_u0[d + 1], u + CONTEXT + 1)
            regions.setdefault((sid, d), []).append([lo, hi])
        low = cutoff if cutoff is not None else THRESHOLDS["words"][0]
        qstems = [stem(t) for t in q.tokens]
        weights = self._rarity(q, shards)
        hits: list[tuple[float, int, int, int, Any]] = []
        for (sid, d), spans in regions.items():
            shard = shards[sid]
            spans.sort()
            merged: list[list[int]] = []
            for lo, hi in spans:
                if merged and lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            for lo, hi in merged:
                toks, stems, where = self._region(shard, sid, lo, hi, skip)
                if not toks:
                    continue
                # the merged region, and each seed's own window in a long one: one longest
                # common subsequence over many units can pass by a short quote in one unit
                windows = [(0, len(toks))]
                if hi - lo > 2 * CONTEXT + 1:
                    first = [u for u, _ in where]
                    windows += [(bisect.bisect_left(first, a), bisect.bisect_left(first, b))
                                for a, b in spans if lo <= a and b <= hi]
                best: tuple[float, Any] | None = None
                for i, j in dict.fromkeys(windows):
                    if i >= j:
                        continue
                    al = align(qstems, stems[i:j], weights=weights)
                    if al is None:
                        continue
                    score = al.score
                    if other_figures(q.tokens[al.a0 : al.a1], toks[i + al.b0 : i + al.b1]):
                        score *= FIGURE_PENALTY
                    if best is None or score > best[0]:
                        best = (score, (al, where[i:j]))
                if best is not None and best[0] >= low:
                    hits.append((best[0], sid, d, 0, best[1]))
        out = []
        for score, sid, d, _, (al, where) in sorted(hits, key=lambda h: -h[0])[:limit]:
            hit = self._hit("words", score, shards[sid], d, where[al.b0], where[al.b1 - 1], q,
                            al.a0, al.a1, al.b1 - al.b0)
            if hit is not None:
                out.append(hit)
        return out

    @staticmethod
    def _region(shard: Shard, sid: int, lo: int, hi: int, skip: Any
                ) -> tuple[list[str], list[str], list[tuple[int, int]]]:
        """Words of units ``[lo, hi)`` of a shard (those not skipped), their stems, and
        where each stands: (unit, word index in unit)."""
        toks: list[str] = []
        where: list[tuple[int, int]] = []
        for u in range(lo, hi):
            if skip is not None and skip(sid, u):
                continue
            ut = shard.unit_tokens(u)
            toks += ut
            where += [(u, i) for i in range(len(ut))]
        return toks, [stem(t) for t in toks], where

    def _rarity(self, q: _Query, shards: dict[int, Shard]) -> list[float] | None:
        """What each query word counts towards an aligned span: rare words in the corpus
        more than common ones (None: no corpus statistics)."""
        ret = self.retriever(shards)
        if not isinstance(ret, ShardBM25):
            return None
        idf = self._idf(q, ret)
        n = ret.n_units
        ref = ret.idf(int(n ** 0.5)) or 1.0
        lo, hi = RARITY_BOUNDS
        out = []
        for t in q.tokens:
            if t in STOP:
                out.append(STOP_WEIGHT)
            else:
                w = idf.get(term(t))
                out.append(hi if w is None else min(hi, max(lo, w / ref)))
        return out

    @staticmethod
    def _idf(q: _Query, ret: ShardBM25) -> dict[str, float]:
        """idf of each content word of the query (looked up once for both kinds)."""
        if q.idf is None:
            q.idf, _ = ret.weights(content_words(q.tokens))
        return q.idf

    # same claim ---------------------------------------------------------------------
    def retriever(self, shards: dict[int, Shard]) -> LexicalRetriever:
        if self._retriever is not None:
            return self._retriever
        if self._retriever_for is not shards:
            self._bm25 = ShardBM25(shards)
            self._retriever_for = shards
        return self._bm25

    def _lexical(self, q: _Query, shards: dict[int, Shard], skip: Any
                 ) -> list[tuple[float, int, int]]:
        """BM25 candidates of the query (asked once for both kinds)."""
        if q.lexical is None:
            qc = content_words(q.tokens)
            q.lexical = self.retriever(shards).search(qc, POOL, skip) if qc else []
        return q.lexical

    def _claims(self, q: _Query, shards: dict[int, Shard], skip: Any,
                cutoff: float | None, limit: int) -> list[Hit]:
        qc = content_words(q.tokens)
        if not qc:
            return []
        ret = self.retriever(shards)
        cands = self._lexical(q, shards, skip)
        if not cands:
            return []
        weights = self._idf(q, ret) if isinstance(ret, ShardBM25) else {}
        self_score = ret.score_tokens(weights, q.tokens) if isinstance(ret, ShardBM25) else cands[0][0]
        low = cutoff if cutoff is not None else THRESHOLDS["claim"][0]
        qfig = figures(q.tokens)
        scored: list[tuple[float, int, int, int, int, int]] = []
        seen: set[tuple[int, int, int]] = set()
        for _, sid, u in cands:
            shard = shards[sid]
            d = bisect.bisect_right(shard.d_u0, u) - 1
            lo, hi = shard.d_u0[d], shard.d_u0[d + 1]
            best: tuple[float, int, int, list[str]] | None = None
            for a, b in ((u, u + 1), (u - 1, u + 1), (u, u + 2)):
                if a < lo or b > hi or (sid, a, b) in seen:
                    continue
                if skip is not None and any(skip(sid, x) for x in range(a, b)):
                    continue
                seen.add((sid, a, b))
                toks = [t for x in range(a, b) for t in shard.unit_tokens(x)]
                bm = ret.score_tokens(weights, toks) if isinstance(ret, ShardBM25) else 0.0
                s = rerank_score(bm, self_score, qc, content_words(toks))
                if qfig and (cf := figures(toks)) and not qfig & cf:
                    s *= FIGURE_PENALTY
                if best is None or s > best[0]:
                    best = (s, a, b, toks)
            if best is None or best[0] < low:
                continue
            scored.append((best[0], sid, d, best[1], best[2], len(best[3])))
        out = []
        for s, sid, d, a, b, n in sorted(scored, key=lambda x: (-x[0], x[1], x[3]))[:limit]:
            shard = shards[sid]
            n_last = len(shard.unit_tokens(b - 1))
            hit = self._hit("claim", s, shard, d, (a, 0), (b - 1, n_last - 1), q, 0,
                            len(q.tokens), n)
            if hit is not None:
                out.append(hit)
        return out

    # hits ---------------------------------------------------------------------------
    def _hit(self, kind: str, score: float, shard: Shard, d: int, first: tuple[int, int],
             last: tuple[int, int], q: _Query, qa: int, qb: int, n_words: int) -> Hit | None:
        """A hit for words ``first``..``last`` ((unit, word in unit), inclusive) of local
        document ``d``, matching query tokens ``[qa, qb)``."""
        got = q.texts.get((shard.sid, d))
        if got is None:
            try:
                display, edits = shard.read_text(d)
                got = q.texts[shard.sid, d] = (display, edits, _Columns(edits))
            except (OSError, ValueError):
                return None
        display, edits = got[0], got[1]
        u0, i0 = first
        u1, i1 = last
        s = _word_span(display, shard.u_d0[u0], shard.u_d1[u0], i0)
        e = _word_span(display, shard.u_d0[u1], shard.u_d1[u1], i1)
        if s is None or e is None:
            return None
        ds, de = s[0], e[1]
        r0, r1 = got[2].raw(ds, de)
        t0, t1 = shard.u_t0[u0], shard.u_t1[u1]
        qs, qe = q.spans[qa][0], q.spans[qb - 1][1]
        src_s = src_e = None
        if q.edits is not None:
            if q.columns is None:
                q.columns = _Columns(q.edits)
            src_s, src_e = q.columns.raw(q.base + qs, q.base + qe)
        thresholds = THRESHOLDS[kind]
        confirmed = (score >= thresholds[1] and n_words >= MIN_CONFIRM_WORDS
                     and len(q.tokens) >= MIN_CONFIRM_WORDS)
        c0 = max(0, ds - CONTEXT_CHARS)
        return Hit(kind, round(score, 1), "confirmed" if confirmed else "suggested",
                   shard.docs[d][0], r0, r1, display[ds:de], src_s, src_e, q.text[qs:qe],
                   None if t0 != t0 else t0, None if t1 != t1 else t1, n_words, qs,
                   display[c0 : de + CONTEXT_CHARS], ds - c0)


class _Columns:
    """A document's edit map by column, for raw offsets of display spans (the rules of
    :func:`annotations.similar.cut.raw_offsets`, one span at a time)."""

    __slots__ = ("rs", "re", "ts", "te")

    def __init__(self, edits: Any) -> None:
        self.rs, self.re = edits[0::4], edits[1::4]
        self.ts, self.te = edits[2::4], edits[3::4]

    def raw(self, d: int, e: int) -> tuple[int, int]:
        rs, re_, ts, te = self.rs, self.re, self.ts, self.te
        n = len(rs)
        i = bisect.bisect_right(te, d)
        if i < n and ts[i] <= d:
            r0 = rs[i]
        else:
            r0 = d - te[i - 1] + re_[i - 1] if i else d
        c = e - 1
        k = bisect.bisect_right(te, c)
        if k < n and ts[k] <= c:
            r1 = re_[k]
        else:
            r1 = e - te[k - 1] + re_[k - 1] if k else e
        return r0, r1


def _word_span(display: str, a: int, b: int, i: int) -> tuple[int, int] | None:
    """Display span of the ``i``-th word in ``display[a:b]``."""
    for n, m in enumerate(WORD.finditer(display, a, b)):
        if n == i:
            return m.span()
    return None
