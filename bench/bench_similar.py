"""Similar passages on the generated corpus (10,000 documents, planted near-duplicates).

Figures, each beside a baseline measured in the same run:

* **index build** (fresh cache, 2 worker processes: load, repair, cut, index) in a
  child process: wall time, CPU time and peak RSS (the parent plus its largest
  worker, times two workers). Baseline: what load + repair alone cost on one core,
  measured on a sample and scaled by words (the part of the build that is not ours).
* **reload** (``PassageIndex.open`` on an unchanged corpus, corpus already scanned,
  as the app does) in a child process: wall time and peak RSS. Baseline: the build.
* **incremental update** after 20 documents change. Baseline: the build.
* **query p95** over 200 ``query_span`` queries (planted occurrences and random
  passages). Baseline: brute force (``rapidfuzz.process.extract`` of the same scorer
  over every passage text) on a sample of the same queries.
* **recall@10 of planted matches**: every occurrence of every plant is a query;
  each other occurrence must overlap one of the top 10 matches. Baseline: brute force
  on the sample.
* **agreement with brute force**: share of the brute-force top-10 matches (above the
  cutoff) that the index also returns, over the sample. The brute force's own memory
  (all passage texts held as ``str``) is given in the note.

``GLOSS_BENCH_QUICK=1``: 500 documents. ``python -m bench.bench_similar`` prints the rows.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, SHARED, Row, percentile, quick

SEED = 7
WORKERS = 2
SAMPLE = 40  # brute-force queries (half planted, half random)


def _n() -> int:
    return 500 if quick() else 10_000


# -- child processes (fresh memory figures) -----------------------------------------------------
def _child(mode: str, root: str, cache: str) -> dict[str, float]:
    from annotations.corpus import Corpus
    from annotations.similar import PassageIndex

    t = time.perf_counter()
    corpus = Corpus(root)
    list(corpus.scan())
    scan = time.perf_counter() - t
    cpu = time.process_time()
    t = time.perf_counter()
    index = PassageIndex.open(corpus, Path(cache), workers=WORKERS if mode == "build" else 1)
    wall = time.perf_counter() - t
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": wall, "scan": scan,
        "cpu": time.process_time() - cpu + kids.ru_utime + kids.ru_stime,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss": kids.ru_maxrss / 1024,
        "docs": index.doc_count, "passages": len(index), "postings": index.postings(),
        "cut": index.last_update.cut, "load": os.getloadavg()[0],
    }


def _status() -> dict[str, float]:
    """VmRSS, VmHWM, RssAnon and RssFile of this process, in MB."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[name] = int(rest.split()[0]) / 1024
    return out


def _open_child(root: str, cache: str, queries: str) -> dict[str, Any]:
    """As the app: scan the corpus, open the index (mapped), answer queries of both kinds."""
    from annotations.corpus import Corpus
    from annotations.similar import PassageIndex, SimilarFinder
    from annotations.similar.videos import VideoGroups

    corpus = Corpus(root)
    list(corpus.scan())
    before = _status()
    index = PassageIndex.open(corpus, Path(cache), workers=1)
    finder = SimilarFinder(index, VideoGroups(corpus.infos))
    opened = _status()
    qs = json.loads(Path(queries).read_text())
    times, cpu = [], []
    for key, s, e in qs:
        t = time.perf_counter()
        c = time.process_time()
        finder.find_span(key, s, e, kind="all", top=10)
        cpu.append(time.process_time() - c)
        times.append(time.perf_counter() - t)
    after = _status()
    return {"before": before, "opened": opened, "after": after, "times": times, "cpu": cpu}


def _in_child(mode: str, root: Path, cache: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_similar", "--child", mode,
                          str(root), str(cache)], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{mode} child failed: {out.stderr.strip()[-300:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _repair_rate(root: Path, sample: int = 200) -> float:
    """Seconds per word of load + repair on one core (warm word list)."""
    from annotations.corpus import Corpus
    from annotations.similar.build import repaired_of

    corpus = Corpus(root)
    infos = list(corpus.scan())
    rng = random.Random(SEED)
    docs = rng.sample(infos, min(sample, len(infos)))
    repaired_of(corpus.load(docs[0]))  # warm
    words = 0
    t = time.perf_counter()
    for info in docs:
        doc = corpus.load(info)
        repaired_of(doc)
        words += len(doc.raw.split())
    return (time.perf_counter() - t) / max(words, 1)


# -- queries --------------------------------------------------------------------------------------
def _hit(matches: list, key: str, start: int, end: int) -> bool:
    return any(m.doc_key == key and m.raw_start < end and start < m.raw_end for m in matches)


def _queries(index: object, plants: list, n: int, rng: random.Random) -> list[tuple[str, int, int]]:
    """Half planted occurrences, half random passages."""
    occ = [tuple(o) for p in plants for o in p["occurrences"]]
    planted = rng.sample(occ, min(n // 2, len(occ)))
    keys = sorted(index._docs)  # type: ignore[attr-defined]
    randoms: list[tuple[str, int, int]] = []
    while len(randoms) < n - len(planted):
        key = rng.choice(keys)
        sid, d = index._docs[key]  # type: ignore[attr-defined]
        raw_len = index.shards[sid].docs[d][4]  # type: ignore[attr-defined]
        p = index.passage_at(key, rng.randrange(raw_len + 1))  # type: ignore[attr-defined]
        if p is not None:
            randoms.append((key, p.raw_start, p.raw_end))
    out = [(str(k), int(s), int(e)) for k, s, e in planted] + randoms
    rng.shuffle(out)
    return out


def run() -> list[Row]:
    from annotations.corpus import Corpus
    from annotations.similar import PassageIndex
    from annotations.similar.index import CUTOFF
    from bench.generate import ensure_corpus

    n = _n()
    root = ensure_corpus(n, SEED)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    plants = manifest["plants"]
    words = sum(d["words"] for d in manifest["docs"])
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="gloss-bench-similar-"))
    try:
        cache = tmp / "similar"
        rate = _repair_rate(root)
        build = _in_child("build", root, cache)
        reload = _in_child("reload", root, cache)
        repair_est = rate * words
        label = f"{n:,} docs, {words / 1e6:.1f} M words"
        rows.append(Row(
            f"similar: index build ({label}, {WORKERS} workers)", build["wall"], "s", "<= 60 s",
            build["wall"] <= 60, "load + repair alone, 1 core (sampled)", repair_est,
            note=f"CPU {build['cpu']:.0f} s in all processes ({repair_est / WORKERS:.0f} s of "
                 f"wall time is load+repair at 2 cores); load average {build['load']:.1f} at "
                 f"the end; {build['passages']:,} passages, "
                 f"{build['postings']:,} postings; cache {_du(cache):.0f} MB"))
        peak = build["rss"] + WORKERS * build["worker_rss"]
        rows.append(Row("similar: build peak RSS (parent + workers)", peak, "MB", "<= 1024 MB",
                        peak <= 1024, note=f"parent {build['rss']:.0f} MB, largest worker "
                                            f"{build['worker_rss']:.0f} MB"))
        rows.append(Row("similar: reload from cache (unchanged corpus)", reload["wall"], "s",
                        "<= 3 s", reload["wall"] <= 3, "full build", build["wall"],
                        note=f"corpus scan before it: {reload['scan']:.1f} s; "
                             f"documents cut: {reload['cut']:.0f}"))
        rows.append(Row("similar: reload peak RSS", reload["rss"], "MB", "<= 1024 MB",
                        reload["rss"] <= 1024))

        corpus = Corpus(root)
        list(corpus.scan())
        index = PassageIndex.open(corpus, cache, workers=1)
        rng = random.Random(SEED)
        changed = [corpus.get(k) for k in rng.sample(sorted(index._docs), 20)]
        stamps = [(i.path, i.path.stat()) for i in changed if i is not None]
        try:
            for path, st in stamps:  # a new mtime: the fingerprint changes
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
            t = time.perf_counter()
            cpu = _cpu_all()
            stats = index.update(workers=WORKERS)
            inc = time.perf_counter() - t
            inc_cpu = _cpu_all() - cpu
        finally:  # the generated corpus is shared with other benchmarks: put mtimes back
            for path, st in stamps:
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        rows.append(Row("similar: update after 20 documents change", inc, "s", "<= 25 % of build",
                        inc <= 0.25 * build["wall"] and stats.cut == 20, "full build", build["wall"],
                        note=f"{stats.cut} documents cut again, {stats.shards_rebuilt} shards "
                             f"rebuilt; CPU {inc_cpu:.1f} s in all processes; load average "
                             f"{os.getloadavg()[0]:.1f}"))

        queries = _queries(index, plants, 200, rng)
        times = []
        for key, s, e in queries:
            t = time.perf_counter()
            index.query_span(key, s, e, top=10)
            times.append(time.perf_counter() - t)

        rows += _finder_rows(root, cache, index, plants, queries, tmp,
                             percentile(times, 95) * 1000)

        targets = hits = 0
        for p in plants:
            occ = p["occurrences"]
            for key, s, e in occ:
                found = index.query_span(key, s, e, top=10)
                for k2, s2, e2 in occ:
                    if k2 != key:
                        targets += 1
                        hits += _hit(found, k2, s2, e2)
        recall = hits / max(targets, 1)

        # brute force over every passage, same scorer, on a sample of the queries
        import gc

        gc.collect()
        before = _rss_now()
        ids, texts = index.all_passages()
        bf_mem = _rss_now() - before
        sample = [q for q in queries if any(q == tuple(o) for p in plants
                                             for o in p["occurrences"])][: SAMPLE // 2]
        sample += [q for q in queries if q not in sample][: SAMPLE - len(sample)]
        bf_times, agree, agree_n, bf_targets, bf_hits = [], 0.0, 0, 0, 0
        by_kind: dict[str, list[float]] = {"planted": [], "random": []}
        occ_of = {(k, s, e): p for p in plants for k, s, e in map(tuple, p["occurrences"])}
        for key, s, e in sample:
            mine = index.query_span(key, s, e, top=10)
            q = _qnorm(index, key, s, e)
            t = time.perf_counter()
            brute = index.brute_force(q, ids, texts, top=10, exclude_key=key)
            bf_times.append(time.perf_counter() - t)
            plant = occ_of.get((key, s, e))
            if brute:
                a = sum(_hit(mine, m.doc_key, m.raw_start, m.raw_end) for m in brute) / len(brute)
                agree += a
                agree_n += 1
                by_kind["planted" if plant else "random"].append(a)
            if plant:
                for k2, s2, e2 in plant["occurrences"]:
                    if k2 != key:
                        bf_targets += 1
                        bf_hits += _hit(brute, k2, s2, e2)
        del texts, ids
        p95 = percentile(times, 95) * 1000
        bf_p95 = percentile(bf_times, 95) * 1000
        rows.append(Row("similar: query p95 (200 queries: planted + random)", p95, "ms",
                        "<= 50 ms", p95 <= 50, f"brute force p95 ({len(sample)} queries)", bf_p95,
                        note=f"median {percentile(times, 50) * 1000:.1f} ms; cutoff {CUTOFF:g}"))
        rows.append(Row("similar: recall@10 of planted matches", 100 * recall, "%", ">= 95 %",
                        recall >= 0.95, f"brute force ({bf_targets} targets)",
                        100 * bf_hits / max(bf_targets, 1),
                        note=f"{hits}/{targets} other occurrences found, {len(plants)} plants"))
        share = agree / max(agree_n, 1)
        rows.append(Row("similar: agreement with brute-force top 10", 100 * share, "%",
                        ">= 95 %", share >= 0.95, "brute force (itself)", 100.0,
                        note=f"planted queries {_mean(by_kind['planted'])}, random passages "
                             f"{_mean(by_kind['random'])} (their brute-force top 10 are near-ties "
                             f"among thousands of clones of the generator's 40 sentence "
                             f"templates); {agree_n} of {len(sample)} sampled queries had "
                             f"brute-force matches above the cutoff; brute force holds "
                             f"{len(index):,} passage texts: +{bf_mem:.0f} MB"))
        rows += _shared_rows(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def _finder_rows(root: Path, cache: Path, index: Any, plants: list, queries: list,
                 tmp: Path, flat_p95: float) -> list[Row]:
    """Both kinds (``SimilarFinder``): query p95 and memory in a fresh process that opens
    the index as the app does; recall of planted copies in the same-words group."""
    from annotations.similar import SimilarFinder
    from annotations.similar.videos import VideoGroups

    qfile = tmp / "queries.json"
    qfile.write_text(json.dumps(queries))
    out = subprocess.run([sys.executable, "-m", "bench.bench_similar", "--open-child", str(root),
                          str(cache), str(qfile)], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"open child failed: {out.stderr.strip()[-300:]}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    times = got["times"]
    p95 = percentile(times, 95) * 1000
    rows = [Row("similar: both kinds, query p95 (200 queries: planted + random)", p95, "ms",
                "<= 100 ms", p95 <= 100, "one flat list (before), same queries, same run",
                flat_p95, note=f"median {percentile(times, 50) * 1000:.1f} ms; fresh process, "
                           f"index mapped, not read; load average {os.getloadavg()[0]:.1f}")]
    o, a, b = got["opened"], got["after"], got["before"]
    rows.append(Row("similar: process RSS with the index open, after 200 queries", a["VmRSS"],
                    "MB", "<= 150 MB", a["VmRSS"] <= 150,
                    "the same process before opening the index", b["VmRSS"],
                    note=f"corpus scanned first; just opened {o['VmRSS']:.0f} MB; after the "
                         f"queries anon {a.get('RssAnon', 0):.0f} MB + file pages (shared page "
                         f"cache) {a.get('RssFile', 0):.0f} MB; peak {a['VmHWM']:.0f} MB"))
    finder = SimilarFinder(index, VideoGroups(index.corpus.infos))
    targets = hits = 0
    for p in plants:
        occ = p["occurrences"]
        for key, s, e in occ:
            found = finder.find_span(key, s, e, kind="words", top=10).words
            for k2, s2, e2 in occ:
                if k2 != key:
                    targets += 1
                    hits += _hit(found, k2, s2, e2)
    recall = hits / max(targets, 1)
    rows.append(Row("similar: same words recall@10 of planted copies", 100 * recall, "%",
                    ">= 95 %", recall >= 0.95, "", None,
                    note=f"{hits}/{targets} other occurrences found, {len(plants)} plants"))
    return rows


def _qnorm(index: Any, key: str, s: int, e: int) -> str:
    """The normalised query text ``query_span`` uses for raw ``[s, e)`` of ``key``."""
    from annotations.similar.cut import display_span
    from annotations.similar.text import normalise

    sid, d = index._docs[key]
    shard = index.shards[sid]
    display, edits = shard.read_text(d)
    ds, de = display_span(edits, shard.docs[d][4], len(display), s, e)
    return normalise(display[ds:de])


def _mean(xs: list[float]) -> str:
    return f"{100 * sum(xs) / len(xs):.0f} % (n={len(xs)})" if xs else "n/a"


def _shared_rows(tmp: Path) -> list[Row]:
    """Agreement with brute force on the real captions of ../shared/corpus (when present)."""
    from annotations.corpus import Corpus
    from annotations.similar import PassageIndex

    root = SHARED / "corpus"
    if not root.is_dir():
        return []
    corpus = Corpus(root)
    list(corpus.scan())
    index = PassageIndex.open(corpus, tmp / "shared", workers=1)
    ids, texts = index.all_passages()
    rng = random.Random(SEED)
    queries = _queries(index, [], SAMPLE, rng)
    share, n, times = 0.0, 0, []
    for key, s, e in queries:
        t = time.perf_counter()
        mine = index.query_span(key, s, e, top=10)
        times.append(time.perf_counter() - t)
        brute = index.brute_force(_qnorm(index, key, s, e), ids, texts, top=10, exclude_key=key)
        if brute:
            share += sum(_hit(mine, m.doc_key, m.raw_start, m.raw_end) for m in brute) / len(brute)
            n += 1
    value = 100 * share / n if n else 100.0
    return [Row("similar: agreement with brute-force top 10, real captions (../shared)", value,
                "%", ">= 95 %", value >= 95, "brute force (itself)", 100.0,
                note=f"{index.doc_count} documents, {len(index):,} passages; {n} of "
                     f"{len(queries)} random-passage queries had matches above the cutoff "
                     f"(mostly the .txt/.vtt copy of the same video); query p95 "
                     f"{percentile(times, 95) * 1000:.1f} ms")]


def _cpu_all() -> float:
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_now() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        print(json.dumps(_child(argv[1], argv[2], argv[3])))
        return 0
    if argv[:1] == ["--open-child"]:
        print(json.dumps(_open_child(argv[1], argv[2], argv[3])))
        return 0
    for r in run():
        base = f"  [{r.baseline}: {r.baseline_value:.2f}]" if r.baseline_value is not None else ""
        print(f"{r.name}: {r.value:.2f} {r.unit} ({r.target}, met={r.met}){base}  {r.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
