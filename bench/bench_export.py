"""Export of 100,000 annotations: time per format and peak memory, beside a naive baseline.

Setup (cached under ``bench/.data/export-…``): the generated corpus
(``bench.generate.ensure_corpus(500)``) and a store of ``N`` annotations spread
over ``DOCS`` of its documents, random spans with real quotes, loaded with the
store's ``bulk_load``.

Figures (warm page cache; the repair lexicon is warmed first, as in the app):

* **time**: ``annotations.exchange.export(store.iter_all(), fmt, file, corpus)``:
  reads the store, looks up titles and paths, loads and repairs each document
  once (repaired quote), writes item by item. Best of two.
* **baseline**: the naive way: every annotation in a list, ``json.dumps`` of the
  whole list at once, then one write (stored fields only: no corpus, no repair).
* **peak memory**: ``tracemalloc`` peak of the Python heap during the export
  (streaming) and during the baseline; the store's own reading is in both.

``DOCS`` matters: each document is repaired once, about 15 ms for these 2,000–20,000
word transcripts, so the same 100,000 annotations over 500 documents are also timed.
"""

from __future__ import annotations

import gc
import json
import os
import random
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from annotations.anchor import doc_hash, selector
from annotations.annotation import Annotation
from annotations.corpus import Corpus
from annotations.exchange import export
from annotations.store import AnnotationStore
from bench.common import DATA, Row, quick

TARGET_S = 5.0
MB = 1024 * 1024


def sizes() -> tuple[int, int, int]:
    """(annotations, documents for the main figure, documents for the spread figure)."""
    return (10_000, 20, 50) if quick() else (100_000, 200, 500)


def corpus_root() -> Path:
    from bench.generate import ensure_corpus

    return ensure_corpus(500)


def build_store(corpus: Corpus, n: int, docs: int) -> Path:
    """A store of ``n`` annotations over the first ``docs`` documents (made once)."""
    root = DATA / f"export-store-{n}-{docs}"
    if (root / ".done").exists():
        return root
    store = AnnotationStore(root, fsync=False)
    infos = [i for i in corpus.infos if i.ok][:docs]
    per, extra = divmod(n, len(infos))

    def gen() -> object:
        for k, info in enumerate(infos):
            raw = corpus.load(info).raw
            h = doc_hash(raw)
            rng = random.Random(f"export:{info.key}")
            for j in range(per + (1 if k < extra else 0)):
                start = rng.randrange(0, max(1, len(raw) - 120))
                end = min(len(raw), start + rng.randint(20, 120))
                quote, prefix, suffix = selector(raw, start, end)
                yield Annotation(
                    doc_key=info.key, raw_start=start, raw_end=end, quote=quote, prefix=prefix,
                    suffix=suffix, doc_hash=h, id=f"{info.key}:{j}", author=f"checker{j % 5}",
                    tags=[f"topic{j % 7}"] + (["claim"] if j % 3 == 0 else []),
                    note="Needs a source." if j % 4 == 0 else "",
                    verdict=("unverified", "true", "misleading", "false")[j % 4],
                    created=f"2024-0{1 + j % 9}-1{j % 10}T12:00:00.000000Z")

    store.bulk_load(gen())  # type: ignore[arg-type]
    (root / ".done").write_text("ok")
    return root


def _records(store: AnnotationStore) -> list[dict[str, object]]:
    return [a.to_dict() for a in store.iter_all()]


def baseline(store: AnnotationStore, path: Path) -> None:
    """Everything in memory: the list, then the whole JSON string, then one write."""
    text = json.dumps({"schema": "gloss.annotations/1", "annotations": _records(store)},
                      ensure_ascii=False)
    path.write_text(text, encoding="utf-8")


def streaming(store: AnnotationStore, corpus: Corpus, fmt: str, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as out:
        return export(store.iter_all(), fmt, out, corpus)


def best(fn: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of ``runs`` calls."""
    results = []
    for _ in range(runs):
        gc.collect()
        t, c = time.perf_counter(), time.process_time()
        fn()
        results.append((time.perf_counter() - t, time.process_time() - c))
    return min(results)


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def run() -> list[Row]:
    n, docs, spread = sizes()
    corpus = Corpus(corpus_root())
    list(corpus.scan())
    store = AnnotationStore(build_store(corpus, n, docs), fsync=False)
    wide = AnnotationStore(build_store(corpus, n, spread), fsync=False)
    try:
        from annotations.repair import warm

        warm()
    except ImportError:  # pragma: no cover - repair layer absent: raw quotes
        pass
    out = DATA / "export-out"
    out.mkdir(parents=True, exist_ok=True)
    label = f"{n:,} annotations, {docs} docs"
    rows: list[Row] = []

    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    times: dict[str, tuple[float, float]] = {}
    for fmt in ("json", "w3c", "csv", "markdown"):
        path = out / f"export.{fmt}"
        times[fmt] = best(lambda fmt=fmt, path=path: streaming(store, corpus, fmt, path))
    sizes_mb = {fmt: os.path.getsize(out / f"export.{fmt}") / MB for fmt in times}
    base_path = out / "baseline.json"
    base_s, _ = best(lambda: baseline(store, base_path))
    base_name = "json.dumps of the whole list at once (no corpus)"
    for fmt in ("json", "w3c", "csv", "markdown"):
        wall, cpu = times[fmt]
        extra = ("; titles, paths, repaired quotes: each document loaded and repaired once"
                 if fmt == "json" else "")
        rows.append(Row(f"export {fmt}, {label}", wall, "s", f"<= {TARGET_S:.0f} s",
                        wall <= TARGET_S, base_name, base_s,
                        f"best of 3; CPU {cpu:.2f} s; {sizes_mb[fmt]:.0f} MB written{extra}; "
                        f"{load}"))

    stream_peak = peak_mb(lambda: streaming(store, corpus, "json", out / "peak.json"))
    base_peak = peak_mb(lambda: baseline(store, base_path))
    rows.append(Row(f"export json peak memory, {label}", stream_peak, "MB",
                    "<= 25% of baseline", stream_peak <= 0.25 * base_peak,
                    "json.dumps of the whole list at once", base_peak,
                    "tracemalloc peak of the Python heap during the export (store reading "
                    "included in both)"))

    wide_s, wide_cpu = best(lambda: streaming(wide, corpus, "json", out / "wide.json"), runs=2)
    wide_base, _ = best(lambda: baseline(wide, out / "wide-base.json"), runs=2)
    rows.append(Row(f"export json, {n:,} annotations, {spread} docs", wide_s, "s",
                    f"<= {TARGET_S:.0f} s", wide_s <= TARGET_S, base_name, wide_base,
                    f"best of 2; CPU {wide_cpu:.2f} s; one repair per document, so time grows "
                    f"with the number of documents; {load}"))
    for p in out.iterdir():
        p.unlink()
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
