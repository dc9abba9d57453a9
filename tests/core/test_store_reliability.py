"""Reliability of the store under concurrent writers and writers killed mid-write.

Plain TinyDB (one JSONStorage file, no lock) loses records when several processes
insert at once, and a kill during its in-place ``write`` leaves truncated JSON:
``bench/bench_store.py`` measures the loss in the same run as these figures. The
tests below do not depend on that; they check our store.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import signal
import time
from pathlib import Path

import pytest

from annotations.annotation import Annotation
from annotations.store import AnnotationStore

PROCS, EACH = 8, 250
TRIALS = 50
SEED = 20240611


def _make(doc: str, n: int, who: str) -> Annotation:
    quote = f"{who} quote {n}"
    return Annotation(
        doc_key=doc,
        raw_start=n,
        raw_end=n + len(quote),
        quote=quote,
        author=who,
        tags=[who, f"n{n % 5}"],
    )


def _inserter(root: str, who: str, count: int, start: mp.synchronize.Event) -> None:
    store = AnnotationStore(Path(root))
    start.wait()
    for n in range(count):
        store.add(_make("shared-doc", n, who))


@pytest.mark.skipif(os.name != "posix", reason="POSIX processes")
def test_eight_processes_insert_into_one_document(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    start = ctx.Event()
    root = tmp_path / "store"
    AnnotationStore(root)
    procs = [
        ctx.Process(target=_inserter, args=(str(root), f"w{i}", EACH, start)) for i in range(PROCS)
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(600)  # a hang guard: 800 fsynced writes take ~100 s on a loaded machine
        assert p.exitcode == 0
    store = AnnotationStore(root)
    anns = store.list("shared-doc")
    assert len(anns) == PROCS * EACH == len({a.id for a in anns})
    assert Counter_of(a.author for a in anns) == {f"w{i}": EACH for i in range(PROCS)}
    for path in root.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every file valid JSON
    assert store.counts() == {"shared-doc": PROCS * EACH}
    assert store.tag_counts()["w3"] == EACH
    assert AnnotationStore(root).counts() == store.counts()


def Counter_of(items: object) -> dict[str, int]:  # noqa: N802 - reads like collections.Counter
    from collections import Counter

    return dict(Counter(items))  # type: ignore[arg-type]


def _writer(root: str, fd: int, seed: int) -> None:
    """Insert (and sometimes update/delete) forever; report each id after add returns."""
    store = AnnotationStore(Path(root))
    rng = random.Random(seed)
    n = 0
    while True:
        doc = f"doc{rng.randrange(3)}"
        a = store.add(_make(doc, n, f"s{seed}"))
        os.write(fd, f"{doc} {a.id}\n".encode())
        if rng.random() < 0.2:
            store.update(Annotation.from_dict({**a.to_dict(), "note": "edited"}))
            os.write(fd, f"{doc} {a.id}\n".encode())
        n += 1


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_writer_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    ctx = mp.get_context("fork")
    root = tmp_path / "store"
    AnnotationStore(root)
    confirmed: set[tuple[str, str]] = set()
    for trial in range(TRIALS):
        r, w = os.pipe()
        p = ctx.Process(target=_writer, args=(str(root), w, SEED + trial))
        p.start()
        os.close(w)
        time.sleep(rng.uniform(0.005, 0.12))
        os.kill(p.pid, signal.SIGKILL)
        p.join()
        with os.fdopen(r, "rb") as fh:
            lines = fh.read().decode().splitlines()
        confirmed.update(tuple(line.split()) for line in lines if line.count(" ") == 1)  # type: ignore[misc]
        store = AnnotationStore(root)  # opens after every kill
        per_doc = {d: {a.id for a in store.list(d)} for d in ("doc0", "doc1", "doc2")}
        missing = [(d, i) for d, i in confirmed if i not in per_doc[d]]
        assert not missing, f"trial {trial}: {len(missing)} confirmed annotations lost"
        assert store.counts() == {d: len(ids) for d, ids in per_doc.items() if ids}, trial
        for path in (root / "docs").glob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))
    assert len(confirmed) > TRIALS  # the writers did get work done
