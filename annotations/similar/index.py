"""PassageIndex: similar passages across a corpus.

Search: the query's word 3-gram hashes are looked up in every shard and read
rarest first, within a budget of postings; each read posting is a vote for a
unit (sentence). The passages around the most voted units (and around the
units most voted by the rarest shingles alone) are rescored with rapidfuzz
(``fuzz.ratio`` on normalised text, see :func:`text.scorer_for`), kept above a
cutoff, best first, one per region of a document.

Cache (``<corpus>/.gloss/similar/`` or the given folder): ``meta.json`` (format,
cutting parameters, scorer and a fingerprint of the repair and index code: any
change rebuilds everything), ``shard-NN.idx`` and ``shard-NN-<token>.txt`` per
shard (see :mod:`annotations.similar.shard`); one writer at a time (a flock on the
folder). In a group-shared corpus, documents a colleague could not read themselves are
left out of the cache (it is readable by the whole group).
"""

from __future__ import annotations

import bisect
import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from annotations import access, safeio
from annotations.similar import cut as cutmod
from annotations.similar.build import Progress, ShardTask, code_version, fingerprint, run_tasks
from annotations.similar.rank import (
    Exclude,
    exclude_doc,
    exclude_span,
    extract,
    top_units,
    where,
)
from annotations.similar.shard import (
    FORMAT,
    SHARDS,
    Shard,
    ShardError,
    idx_path,
    shard_of,
)
from annotations.similar.text import SCORER_NAME, SHINGLE, Hasher, normalise

CUTOFF = 65.0  # default score cutoff (0-100)
BUDGET = 30_000  # postings read per query (rarest shingles first)
RARE_BUDGET = 2_000  # ... of which the rarest vote again on their own
RARE_UNITS = 500  # units rescored for their votes from the rarest shingles
MIN_KEEP = 4  # shingles always used, however common
TOP_UNITS = 2500  # units whose passages are rescored
MAX_SHINGLES = 400  # a long query is sampled (smallest hashes: the same for equal text)
EXTEND_MARGIN = 10.0  # a passage next to a picked one extends it when scoring this close
REGION_UNITS = 12  # ... up to this many units
STORE_NAME = ".gloss"


def postings_by_rarity(keys: Iterable[int], shards: Mapping[int, Shard]
                       ) -> list[tuple[int, int, list[tuple[int, int, int]]]]:
    """Each shingle key's posting ranges over the shards, as ``(df, key, [(shard, a, b)])``,
    rarest first (ties by key): the seeds of both the window ranking and the alignment."""
    found: list[tuple[int, int, list[tuple[int, int, int]]]] = []
    for k in keys:
        ranges = []
        df = 0
        for sid, shard in shards.items():
            a, b = shard.lookup(k)
            if b > a:
                ranges.append((sid, a, b))
                df += b - a
        if df:
            found.append((df, k, ranges))
    found.sort(key=lambda x: (x[0], x[1]))
    return found


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    doc_key: str
    raw_start: int
    raw_end: int
    text: str  # the passage's display (repaired) text
    time_start: float | None = None
    time_end: float | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    doc_key: str
    raw_start: int
    raw_end: int
    text: str
    time_start: float | None = None
    time_end: float | None = None


@dataclass(slots=True)
class UpdateStats:
    cut: int = 0  # documents loaded, repaired and cut
    kept: int = 0  # documents reused from the cache
    removed: int = 0
    shards_rebuilt: int = 0


def _private(info: Any) -> Any:
    """A copy of a row whose file the team cannot read: not cut into the shared cache."""
    import dataclasses

    return dataclasses.replace(info, error="not readable by the team: not in the shared index")


def default_cache(corpus: Any) -> Path:
    root = Path(corpus.root)
    return root / STORE_NAME / "similar"


def _meta() -> dict[str, Any]:
    return {
        "format": FORMAT, "shards": SHARDS, "shingle": SHINGLE, "scorer": SCORER_NAME,
        "code": code_version(),
        "cut": [cutmod.UNIT_MIN, cutmod.UNIT_MAX, cutmod.CHUNK, cutmod.WIN_MIN,
                cutmod.WIN_TARGET, cutmod.WIN_MAX],
    }


class PassageIndex:
    """Passages of a corpus with their postings; see the module docstring."""

    def __init__(self, corpus: Any, cache_dir: Path | None = None) -> None:
        self.corpus = corpus
        self.cache = Path(cache_dir) if cache_dir is not None else default_cache(corpus)
        # (shards, key -> (shard, local doc)): replaced as one, so a query running in
        # another thread while the index updates sees one consistent state.
        self._view: tuple[dict[int, Shard], dict[str, tuple[int, int]]] = ({}, {})
        self._stamps: dict[int, int] = {}  # sid -> idx file mtime_ns when loaded
        self._lock = threading.RLock()
        self.last_update = UpdateStats()

    @property
    def shards(self) -> dict[int, Shard]:
        return self._view[0]

    @property
    def _docs(self) -> dict[str, tuple[int, int]]:
        return self._view[1]

    # -- opening and updating -------------------------------------------------------------
    @classmethod
    def open(cls, corpus: Any, cache_dir: Path | None = None, progress: Progress | None = None,
             *, workers: int | None = None) -> PassageIndex:
        """Load the cache and bring it up to date with ``corpus`` (cutting only what changed)."""
        index = cls(corpus, cache_dir)
        index.update(progress, workers=workers)
        return index

    def update(self, progress: Progress | None = None, *, workers: int | None = None) -> UpdateStats:
        """Re-check every document's fingerprint; re-cut added/changed ones, drop removed ones."""
        corpus = self.corpus
        if not corpus.infos:
            for _ in corpus.scan():
                pass
        infos = list(corpus.infos)  # after the scan: twins merged, one document per video
        sharing = safeio.Sharing.for_tree(self.cache, levels=2)
        if sharing.shared:
            root = Path(getattr(corpus, "root", self.cache))
            infos = [i if not i.ok or access.team_readable(i.path, root, sharing.gid)
                     else _private(i) for i in infos]
        wanted: dict[int, dict[str, tuple[Any, tuple[str, int, int]]]] = {}
        for info in infos:
            wanted.setdefault(shard_of(info.key), {})[info.key] = (info, fingerprint(info))
        workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        stats = UpdateStats()
        with self._lock:
            safeio.make_dirs(self.cache, sharing)
            with safeio.FolderLock(self.cache, timeout=86400.0):  # one builder at a time
                self._check_meta()
                shards = dict(self.shards)
                tasks: list[ShardTask] = []
                for sid in range(SHARDS):
                    shard = self._fresh(sid, shards.get(sid))
                    want = wanted.get(sid, {})
                    cached = {e[0]: (e[1], e[2], e[3]) for e in shard.docs} if shard else {}
                    keep = [k for k, (_, fp) in want.items() if cached.get(k) == fp]
                    todo = [v for k, v in want.items() if cached.get(k) != v[1]]
                    stats.removed += len(set(cached) - set(want))
                    stats.kept += len(keep)
                    if shard is not None:
                        shards[sid] = shard
                    else:
                        shards.pop(sid, None)
                    if not todo and len(keep) == len(cached):
                        continue
                    if not want:
                        self._drop(sid)
                        shards.pop(sid, None)
                        continue
                    tasks.append(ShardTask(sid, keep, todo))
                total = sum(len(t.todo) for t in tasks)
                stats.cut, stats.shards_rebuilt = total, len(tasks)
                if tasks:
                    run_tasks(self.cache, corpus, tasks, workers, progress, 0, total)
                    for t in tasks:
                        shards[t.sid] = self._load(t.sid)
                safeio.atomic_write(self.cache / "meta.json", json.dumps(_meta()).encode(),
                                    sharing=sharing, fsync=False)
            self._install(shards)
        if progress:
            progress(stats.cut, stats.cut)
        self.last_update = stats
        return stats

    def _check_meta(self) -> None:
        path = self.cache / "meta.json"
        try:
            ok = json.loads(safeio.read_bytes(path) or b"null") == _meta()
        except (OSError, ValueError):
            ok = False
        if not ok:  # another format or repair: start again
            for p in self.cache.glob("shard-*"):
                p.unlink(missing_ok=True)
            self._view = ({}, {})
            self._stamps = {}

    def _fresh(self, sid: int, shard: Shard | None) -> Shard | None:
        """The shard as it is on disk (reloaded when another process rewrote it)."""
        try:
            stamp = idx_path(self.cache, sid).stat().st_mtime_ns
        except OSError:
            return None
        if shard is not None and self._stamps.get(sid) == stamp:
            return shard
        try:
            return self._load(sid)
        except ShardError:
            return None

    def _load(self, sid: int) -> Shard:
        path = idx_path(self.cache, sid)
        stamp = path.stat().st_mtime_ns
        shard = Shard.load(self.cache, sid)
        self._stamps[sid] = stamp
        return shard

    def _drop(self, sid: int) -> None:
        for p in [idx_path(self.cache, sid), *self.cache.glob(f"shard-{sid:02d}-*.txt")]:
            p.unlink(missing_ok=True)
        self._stamps.pop(sid, None)

    def _install(self, shards: dict[int, Shard]) -> None:
        docs: dict[str, tuple[int, int]] = {}
        for sid, shard in shards.items():
            for d, entry in enumerate(shard.docs):
                docs[entry[0]] = (sid, d)
        self._view = (shards, docs)

    def release(self) -> None:
        """Unmap the index pages touched so far (see :meth:`Shard.release`)."""
        for shard in self.shards.values():
            shard.release()

    # -- sizes ------------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of passages."""
        return sum(len(s.w_u0) for s in self.shards.values())

    @property
    def doc_count(self) -> int:
        return len(self._docs)

    def __contains__(self, key: str) -> bool:
        return key in self._docs

    def postings(self) -> int:
        return sum(len(s.pk) for s in self.shards.values())

    # -- queries ----------------------------------------------------------------------------
    def query_text(self, text: str, top: int = 10, exclude_key: str | None = None,
                   cutoff: float = CUTOFF) -> list[Match]:
        """Passages like ``text``, best first (none from document ``exclude_key``)."""
        shards, docs = self._view
        skip = exclude_doc(shards, docs.get(exclude_key)) if exclude_key else None
        return self._run(shards, normalise(text), top, cutoff, skip)

    def query_span(self, doc_key: str, raw_start: int, raw_end: int, top: int = 10,
                   include_same: bool = False, cutoff: float = CUTOFF) -> list[Match]:
        """Passages like raw ``[raw_start, raw_end)`` of ``doc_key``: other documents only,
        unless ``include_same`` (then passages overlapping the span itself are left out)."""
        shards, sid, d, display, edits = self._read(doc_key)
        shard = shards[sid]
        ds, de = cutmod.display_span(edits, shard.docs[d][4], len(display), raw_start, raw_end)
        qnorm = normalise(display[ds:de])
        skip: Callable[[int, int], bool] | None
        if include_same:
            skip = exclude_span(shards, sid, d, raw_start, raw_end)
        else:
            skip = exclude_doc(shards, (sid, d))
        return self._run(shards, qnorm, top, cutoff, skip)

    def passage_at(self, doc_key: str, raw_offset: int) -> Passage | None:
        """The passage that starts with the sentence (unit) under raw ``raw_offset`` (the
        next one between sentences; the last passage holding it near the end of the
        document). None: the document has no passages."""
        shards, sid, d, display, _ = self._read(doc_key)
        shard = shards[sid]
        raw_len = shard.docs[d][4]
        if not 0 <= raw_offset <= raw_len:
            raise ValueError(f"offset {raw_offset} is outside the document (0–{raw_len})")
        w0, w1 = shard.d_w0[d], shard.d_w0[d + 1]
        if w0 == w1:
            return None
        u0, u1 = shard.d_u0[d], shard.d_u0[d + 1]
        u = bisect.bisect_right(shard.u_r1, raw_offset, u0, u1)  # first unit ending after it
        u = min(u, u1 - 1)
        best = bisect.bisect_left(shard.w_u0, u, w0, w1)
        if best == w1 or shard.w_u0[best] != u:  # no passage starts there: the last holding it
            best = max(shard.windows_with_unit(u), default=w1 - 1)
        rs, re_ = shard.window_raw(best)
        ds, de = shard.window_display(best)
        t0, t1 = shard.window_times(best)
        return Passage(doc_key, rs, re_, display[ds:de], t0, t1)

    def _read(self, key: str) -> tuple[dict[int, Shard], int, int, str, Any]:
        """``(shards, shard id, local doc, display text, edit map)`` of document ``key``.
        When another process has rewritten the shard since it was loaded (its text file is
        gone), the shard is loaded again."""
        shards, docs = self._view
        sid, d = where(docs, key)
        try:
            return (shards, sid, d, *shards[sid].read_text(d))
        except (OSError, ShardError):
            with self._lock:
                fresh = dict(self.shards)
                try:
                    fresh[sid] = self._load(sid)
                except (OSError, ShardError):
                    fresh.pop(sid, None)
                self._install(fresh)
            shards, docs = self._view
            sid, d = where(docs, key)
            return (shards, sid, d, *shards[sid].read_text(d))

    def _run(self, shards: dict[int, Shard], qnorm: str, top: int, cutoff: float,
             skip: Exclude | None) -> list[Match]:
        if not qnorm or top <= 0:
            return []
        cands = self.candidates(qnorm, shards)
        if skip is not None:
            cands = [g for g in cands if not skip(g >> 32, g & 0xFFFFFFFF)]
        scored = self.score(qnorm, cands, cutoff, shards)
        return self.matches(self.pick(scored, top, shards), shards)

    def candidates(self, qnorm: str, shards: dict[int, Shard] | None = None) -> list[int]:
        """Global passage ids (``shard << 32 | passage``) worth rescoring for ``qnorm``.

        The query's shingles are read rarest first. Units get one vote per shingle they
        share with the query: the passages around the ``TOP_UNITS`` units with most
        votes (shingles read up to ``BUDGET`` postings) and around the ``RARE_UNITS``
        with most votes from the rarest shingles (up to ``RARE_BUDGET`` postings: a
        passage sharing rare words and common boilerplate) are rescored.
        """
        shards = self.shards if shards is None else shards
        keys = set(Hasher().keys(qnorm.split()))
        if len(keys) > MAX_SHINGLES:
            keys = set(sorted(keys)[:MAX_SHINGLES])
        found = postings_by_rarity(keys, shards)
        votes: dict[int, Counter[int]] = {}
        rare: list[tuple[int, int]] = []
        total = 0
        for n, (df, _, ranges) in enumerate(found):
            if n >= MIN_KEEP and total + df > BUDGET:
                break
            if not rare and n >= MIN_KEEP and total + df > RARE_BUDGET:
                rare = top_units(votes, RARE_UNITS)
            total += df
            for sid, a, b in ranges:
                cnt = votes.get(sid)
                if cnt is None:
                    cnt = votes[sid] = Counter()
                cnt.update(shards[sid].pu[a:b])
        per: dict[int, set[int]] = {}
        for sid, u in top_units(votes, TOP_UNITS) + rare:
            ws = per.get(sid)
            if ws is None:
                ws = per[sid] = set()
            shard = shards[sid]
            ws.update(range(shard.u_wf[u], shard.u_wl[u]))
        return [sid << 32 | w for sid in sorted(per) for w in sorted(per[sid])]

    def score(self, qnorm: str, gws: Iterable[int], cutoff: float = CUTOFF,
              shards: dict[int, Shard] | None = None,
              texts: Callable[[int], str] | None = None) -> list[tuple[float, int]]:
        """``(score, id)`` of the passages scoring at least ``cutoff``, best first."""
        shards = self.shards if shards is None else shards
        ids = list(gws)
        if texts is not None:
            choices = [texts(g) for g in ids]
        else:
            choices = []
            for sid, group in groupby(ids, key=lambda g: g >> 32):
                shard = shards[sid]
                norm, n0, n1, wu0, wu1 = shard.norm, shard.u_n0, shard.u_n1, shard.w_u0, shard.w_u1
                choices += [str(norm[n0[wu0[w]] : n1[wu1[w] - 1]], "utf-8", "surrogatepass")
                            for w in (g & 0xFFFFFFFF for g in group)]
        return sorted(((s, ids[i]) for s, i in extract(qnorm, choices, cutoff)),
                      key=lambda x: (-x[0], x[1]))

    def pick(self, scored: list[tuple[float, int]], top: int,
             shards: dict[int, Shard] | None = None) -> list[tuple[float, int, int, int]]:
        """The best ``top`` regions as ``(score, shard, first unit, end unit)``. A passage
        that overlaps or touches a region already picked extends it when it scores nearly
        as well (a long reused stretch is one match), else it is left out."""
        shards = self.shards if shards is None else shards
        picked: list[list] = []  # [score, sid, doc, u0, u1]
        for s, g in scored:
            sid, w = g >> 32, g & 0xFFFFFFFF
            shard = shards[sid]
            u0, u1 = shard.w_u0[w], shard.w_u1[w]
            d = -1
            taken = False
            for p in picked:
                if p[1] != sid or u0 > p[4] or u1 < p[3]:
                    continue
                if u0 == p[4] or u1 == p[3]:  # touching: the same document?
                    d = shard.doc_of_unit(u0) if d < 0 else d
                    if p[2] != d:
                        continue
                taken = True  # overlapping or touching: the same region
                lo, hi = min(p[3], u0), max(p[4], u1)
                if s >= p[0] - EXTEND_MARGIN and hi - lo <= REGION_UNITS:
                    p[3], p[4] = lo, hi
                break
            if not taken and len(picked) < top:
                picked.append([s, sid, shard.doc_of_unit(u0) if d < 0 else d, u0, u1])
        return [(p[0], p[1], p[3], p[4]) for p in picked]

    def matches(self, picked: list[tuple[float, int, int, int]],
                shards: dict[int, Shard] | None = None) -> list[Match]:
        shards = self.shards if shards is None else shards
        texts: dict[tuple[int, int], str | None] = {}
        out = []
        for s, sid, u0, u1 in picked:
            shard = shards[sid]
            d = shard.doc_of_unit(u0)
            if (sid, d) not in texts:
                try:
                    texts[sid, d] = shard.read_text(d)[0]
                except (OSError, ShardError):
                    texts[sid, d] = None
            display = texts[sid, d]
            if display is None:
                text = shard.units_norm(u0, u1)
            else:
                text = display[shard.u_d0[u0] : shard.u_d1[u1 - 1]]
            t0, t1 = shard.units_times(u0, u1)
            out.append(Match(round(s, 2), shard.docs[d][0], shard.u_r0[u0], shard.u_r1[u1 - 1],
                             text, t0, t1))
        return out

    # -- for the benchmark and tests -----------------------------------------------------------
    def all_passages(self) -> tuple[list[int], list[str]]:
        """Every passage id and normalised text (for a brute-force comparison)."""
        ids: list[int] = []
        texts: list[str] = []
        for sid in sorted(self.shards):
            shard = self.shards[sid]
            for w in range(len(shard.w_u0)):
                ids.append(sid << 32 | w)
                texts.append(shard.window_norm(w))
        return ids, texts

    def brute_force(self, qnorm: str, ids: list[int], texts: list[str], top: int = 10,
                    cutoff: float = CUTOFF, exclude_key: str | None = None) -> list[Match]:
        """The same ranking over every passage (no inverted index)."""
        skip = exclude_doc(self.shards, self._docs.get(exclude_key)) if exclude_key else None
        scored = sorted(((s, ids[i]) for s, i in extract(qnorm, texts, cutoff)),
                        key=lambda x: (-x[0], x[1]))
        if skip is not None:
            scored = [(s, g) for s, g in scored if not skip(g >> 32, g & 0xFFFFFFFF)]
        return self.matches(self.pick(scored, top))
