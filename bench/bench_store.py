"""Annotation store: insert and load latency at 100,000 annotations over 10,000 documents.

Baseline, measured in the same run: plain TinyDB, one JSON file holding every
annotation (its default ``JSONStorage``), which rewrites the whole file on each
insert; and the same plain TinyDB under concurrent writers (no lock), which
loses records or leaves a corrupt file.

Populating 100,000 annotations goes through ``AnnotationStore.bulk_load`` (one
locked write per document, no fsync); the figures come from real ``add`` and
``list`` calls afterwards (fsync on).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import shutil
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB

from annotations.annotation import Annotation
from annotations.store import AnnotationStore
from bench.common import DATA, Row, percentile, quick

SEED = 7
_ID = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_WORDS = (
    "the minister said dam river crest tonight officials report residents strike "
    "ceasefire aid convoy hospital border talks vote court ruling"
).split()
_TAGS = [f"topic-{i}" for i in range(40)] + ["claim", "gaza", "economy", "needs-source"]
_VERDICTS = ["unverified", "true", "mostly true", "misleading", "false"]


def doc_keys(n: int, rng: random.Random) -> list[str]:
    """YouTube-like video ids (the key of a tagged transcript)."""
    return ["".join(rng.choice(_ID) for _ in range(11)) for _ in range(n)]


def synthetic(key: str, rng: random.Random) -> Annotation:
    start = rng.randrange(0, 60_000)
    quote = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 30)))
    return Annotation(
        doc_key=key,
        raw_start=start,
        raw_end=start + len(quote),
        quote=quote,
        prefix=" ".join(rng.choice(_WORDS) for _ in range(6))[:32],
        suffix=" ".join(rng.choice(_WORDS) for _ in range(6))[:32],
        doc_hash=f"{rng.getrandbits(64):016x}",
        tags=rng.sample(_TAGS, rng.randint(0, 3)),
        note=" ".join(rng.choice(_WORDS) for _ in range(rng.choice([0, 0, 5, 20]))),
        verdict=rng.choice(_VERDICTS),
        author=rng.choice(["ana", "ben", "chloe"]),
    )


def _plain_inserter(path: str, who: int, count: int, start: mp.synchronize.Event) -> None:
    db = TinyDB(path)
    start.wait()
    for n in range(count):
        try:
            db.insert({"who": who, "n": n})
        except Exception:  # noqa: BLE001 - a torn file: plain TinyDB gives up
            return


def _store_inserter(root: str, who: int, count: int, start: mp.synchronize.Event) -> None:
    store = AnnotationStore(Path(root))
    rng = random.Random(who)
    start.wait()
    for _ in range(count):
        store.add(synthetic("shared", rng))


def _race(target: object, where: str, procs: int, each: int) -> None:
    ctx = mp.get_context("fork")
    start = ctx.Event()
    ps = [ctx.Process(target=target, args=(where, i, each, start)) for i in range(procs)]  # type: ignore[arg-type]
    for p in ps:
        p.start()
    start.set()
    for p in ps:
        p.join()


def concurrency_rows(tmp: Path, procs: int, each: int) -> list[Row]:
    plain = tmp / "plain-race.json"
    _race(_plain_inserter, str(plain), procs, each)
    try:
        kept = len(json.loads(plain.read_text()).get("_default", {}))
        note = f"plain TinyDB kept {kept} of {procs * each}"
    except ValueError:
        kept, note = 0, "plain TinyDB file left as invalid JSON"
    root = tmp / "race-store"
    _race(_store_inserter, str(root), procs, each)
    ours = len(AnnotationStore(root).list("shared"))
    return [
        Row(
            f"records kept, {procs} processes x {each} inserts into one document",
            ours,
            "records",
            f"= {procs * each}",
            ours == procs * each,
            "plain TinyDB, same writers, no lock",
            kept,
            note,
        )
    ]


def run() -> list[Row]:
    small = quick()
    n_docs, n_anns = (1_000, 10_000) if small else (10_000, 100_000)
    n_adds, n_lists, n_plain = (100, 100, 5) if small else (500, 500, 20)
    rng = random.Random(SEED)
    DATA.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-", dir=DATA))
    rows: list[Row] = []
    try:
        keys = doc_keys(n_docs, rng)
        anns = [synthetic(keys[i % n_docs], rng) for i in range(n_anns)]
        store = AnnotationStore(tmp / "store")
        t = time.perf_counter()
        store.bulk_load(anns)
        populate = time.perf_counter() - t

        # Plain TinyDB: everything in one file, default JSONStorage.
        plain_path = tmp / "plain.json"
        plain = TinyDB(plain_path)
        plain.insert_multiple(a.to_dict() for a in anns)
        plain_times = []
        for _ in range(n_plain):
            rec = synthetic(rng.choice(keys), rng).to_dict()
            t = time.perf_counter()
            plain.insert(rec)
            plain_times.append(time.perf_counter() - t)
        plain_load = []
        for _ in range(5):
            key = rng.choice(keys)
            t = time.perf_counter()
            TinyDB(plain_path).search(lambda d, k=key: d.get("doc_key") == k)  # type: ignore[misc]
            plain_load.append(time.perf_counter() - t)
        plain.close()

        add_times = []
        for _ in range(n_adds):
            ann = synthetic(rng.choice(keys), rng)
            t = time.perf_counter()
            store.add(ann)
            add_times.append(time.perf_counter() - t)
        reader = AnnotationStore(tmp / "store")  # another "process": nothing cached
        list_times = []
        for _ in range(n_lists):
            key = rng.choice(keys)
            t = time.perf_counter()
            reader.list(key)
            list_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        counts = AnnotationStore(tmp / "store").counts()
        counts_cold = time.perf_counter() - t
        reader.counts()  # first call loads the snapshot; later ones replay the log tail
        store.add(synthetic(rng.choice(keys), rng))
        t = time.perf_counter()
        reader.counts()
        counts_warm = time.perf_counter() - t
        total = sum(counts.values())

        p95_add = percentile(add_times, 95) * 1000
        p95_list = percentile(list_times, 95) * 1000
        plain_p50 = percentile(plain_times, 50) * 1000
        rows += [
            Row(
                f"insert p95 ({n_anns:,} annotations / {n_docs:,} docs, fsync)",
                p95_add,
                "ms",
                "<= 20 ms",
                p95_add <= 20,
                f"plain TinyDB single file, median of {n_plain}",
                plain_p50,
                f"our median {percentile(add_times, 50) * 1000:.1f} ms",
            ),
            Row(
                "load one document's annotations p95",
                p95_list,
                "ms",
                "<= 10 ms",
                p95_list <= 10,
                "plain TinyDB single file, median of 5 searches",
                percentile(plain_load, 50) * 1000,
            ),
            Row(
                f"counts() over {n_docs:,} docs, fresh instance",
                counts_cold * 1000,
                "ms",
                "<= 500 ms",
                counts_cold <= 0.5,
                "",
                None,
                f"warm, after one more write: {counts_warm * 1000:.1f} ms; {total:,} annotations",
            ),
            Row(
                f"bulk populate {n_anns:,} annotations",
                populate,
                "s",
                "informational",
                True,
                note=f"{n_anns / populate:,.0f} annotations/s",
            ),
        ]
        procs, each = (4, 50) if small else (8, 100)
        rows += concurrency_rows(tmp, procs, each)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        base = (
            "" if row.baseline_value is None else f"  vs {row.baseline_value:.2f} ({row.baseline})"
        )
        print(
            f"{'ok ' if row.met else 'BAD'} {row.name}: {row.value:.2f} {row.unit} "
            f"[{row.target}]{base}  {row.note}"
        )
