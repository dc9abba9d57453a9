"""Similar passages on real captions: a labelled evaluation over ../shared/corpus.

``bench/similar_eval.json`` holds pairs of passages in different videos that a
fact-checker would link (``words``: the same words, a quote or figure repeated;
``claim``: the same fact in other words) and hard negatives (``negative``: the
same event, another claim: other casualty figures, opposite positions). Only
file names, raw offsets and short SHA-1 prefixes are stored: the corpus has no
licence, its text is read from ``../shared/corpus`` at run time (no rows when it
is absent; a changed file gives a FAIL row). Pairs with ``"set": "s3"`` were
added later and labelled blind (without running the finder): ``words`` needs about
six words in order or a reproduced statement (caption errors allowed), each span
the 10-60-word clause that carries it; ``negative`` is lexically close but another
figure, actor or stance. Pairs without ``set`` are the original set.

Every pair is asked both ways (A -> B and B -> A). Figures:

* **recall@5** per kind: the other passage is among the top 5 of its kind's
  group (a result in the other file of the same video counts when it holds the
  same words).
* **MRR** over every positive query (rank in its kind's group, top 20).
* **negatives in the top 5**: share of negative queries whose other passage is
  in the top 5 of either group.

Baseline: the passage index as it was before the two kinds (one flat list of
20-60-word windows scored with ``fuzz.ratio``), asked the same questions
(its one list stands for both kinds).

``python -m bench.bench_similar_eval`` prints the rows.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import ROOT, SHARED, Row, percentile

LABELS = ROOT / "bench" / "similar_eval.json"
TOP = 5

# A ranked result as the evaluation sees it: (doc key, raw start, raw end, text, level).
Result = tuple[str, int, int, str, str]
# engine(doc key, raw start, raw end) -> {"words": [...], "claim": [...]}
Engine = Callable[[str, int, int], dict[str, list[Result]]]


def load_labels(corpus: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The labelled pairs resolved to document keys, and problems (changed files)."""
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    by_path = {i.rel_path: i for i in corpus.infos}
    raws: dict[str, str] = {}
    problems: list[str] = []
    out = []
    for p in data["pairs"]:
        ok = True
        sides = []
        for side in (p["a"], p["b"]):
            info = by_path.get(side["path"])
            if info is None:
                problems.append(f"{side['path']} missing")
                ok = False
                break
            raw = raws.setdefault(info.key, corpus.load(info).raw)
            span = raw[side["start"] : side["end"]]
            if hashlib.sha1(span.encode("utf-8")).hexdigest()[:12] != side["sha1"]:
                problems.append(f"{side['path']} changed at {side['start']}")
                ok = False
                break
            sides.append((info.key, side["start"], side["end"], span))
        if ok:
            out.append({"kind": p["kind"], "a": sides[0], "b": sides[1],
                        "set": p.get("set", "s2")})
    return out, problems


def _bigrams(text: str) -> set[tuple[str, str]]:
    from annotations.similar.text import norm_tokens

    t = norm_tokens(text)
    return set(zip(t, t[1:], strict=False))


def is_hit(result: Result, target: tuple[str, int, int, str], video_of: Callable[[str], str]) -> bool:
    """The result shows the target passage: the same file, overlapping; or the other file of
    the same video, half of the word pairs of the shorter of the two shared."""
    key, s, e, text = result[:4]
    tkey, ts, te, ttext = target
    if key == tkey:
        return s < te and ts < e
    if video_of(key) != video_of(tkey):
        return False
    want, got = _bigrams(ttext), _bigrams(text)
    return bool(want and got) and len(want & got) >= min(len(want), len(got)) / 2


def evaluate(pairs: list[dict[str, Any]], engine: Engine,
             video_of: Callable[[str], str]) -> dict[str, Any]:
    stats: dict[str, Any] = {"words": [0, 0], "claim": [0, 0], "neg": [0, 0], "rr": [],
                             "times": [], "missed": [], "neg_confirmed": 0, "confirmed": [0, 0]}
    for p in pairs:
        for q, t in ((p["a"], p["b"]), (p["b"], p["a"])):
            t0 = time.perf_counter()
            groups = engine(q[0], q[1], q[2])
            stats["times"].append(time.perf_counter() - t0)
            if p["kind"] == "negative":
                top = groups.get("words", [])[:TOP] + groups.get("claim", [])[:TOP]
                stats["neg"][0] += any(is_hit(r, t, video_of) for r in top)
                stats["neg"][1] += 1
                stats["neg_confirmed"] += any(r[4] == "confirmed" and is_hit(r, t, video_of)
                                              for r in top)
                continue
            ranked = groups.get(p["kind"], [])
            rank = next((i for i, r in enumerate(ranked[:20], 1) if is_hit(r, t, video_of)), 0)
            stats[p["kind"]][0] += 0 < rank <= TOP
            stats["confirmed"][0] += 0 < rank <= TOP and ranked[rank - 1][4] == "confirmed"
            stats["confirmed"][1] += 1
            stats[p["kind"]][1] += 1
            stats["rr"].append(1 / rank if rank else 0.0)
            if not 0 < rank <= TOP:
                stats["missed"].append((p["kind"], q[0], q[1], t[0], rank))
    return stats


def _merged(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of several :func:`evaluate` runs taken together (counts summed, lists
    joined)."""
    out: dict[str, Any] = {}
    for st in stats:
        for k, v in st.items():
            if k in ("words", "claim", "neg", "confirmed"):  # [found, asked]
                a = out.setdefault(k, [0, 0])
                a[0] += v[0]
                a[1] += v[1]
            elif isinstance(v, list):
                out.setdefault(k, []).extend(v)
            else:
                out[k] = out.get(k, 0) + v
    return out


def _share(x: list[int]) -> float:
    return x[0] / x[1] if x[1] else float("nan")


def today_engine(index: Any) -> Engine:
    def run(key: str, s: int, e: int) -> dict[str, list[Result]]:
        ms = index.query_span(key, s, e, top=20)
        flat = [(m.doc_key, m.raw_start, m.raw_end, m.text, "") for m in ms]
        return {"words": flat, "claim": flat}

    return run


def new_engine(finder: Any) -> Engine:
    def run(key: str, s: int, e: int) -> dict[str, list[Result]]:
        res = finder.find_span(key, s, e, kind="all", top=20)
        return {k: [(h.doc_key, h.raw_start, h.raw_end, h.text, h.level) for h in hits]
                for k, hits in res.groups().items()}

    return run


def _rows(name: str, st: dict[str, Any], base: dict[str, Any] | None, base_name: str) -> list[Row]:
    def b(key: str) -> float | None:
        return None if base is None else 100 * _share(base[key])

    w, c, n = _share(st["words"]), _share(st["claim"]), _share(st["neg"])
    mrr = sum(st["rr"]) / max(len(st["rr"]), 1)
    rows = [
        Row(f"{name}: same words recall@5", 100 * w, "%", ">= 90 %", w >= 0.9, base_name,
            b("words"), note=f"{st['words'][0]}/{st['words'][1]} queries"),
        Row(f"{name}: same claim recall@5", 100 * c, "%", ">= 60 %", c >= 0.6, base_name,
            b("claim"), note=f"{st['claim'][0]}/{st['claim'][1]} queries"),
        Row(f"{name}: MRR (both kinds)", mrr, "ratio", "informational", True, base_name,
            None if base is None else sum(base["rr"]) / max(len(base["rr"]), 1)),
        Row(f"{name}: negatives in the top 5", 100 * n, "%", "<= 10 %", n <= 0.10, base_name,
            b("neg"), note=f"{st['neg'][0]}/{st['neg'][1]} negative queries; "
                           f"{st['neg_confirmed']} of them confirmed; positives found and "
                           f"confirmed: {st['confirmed'][0]}/{st['confirmed'][1]}"),
        Row(f"{name}: query p95", percentile(st["times"], 95) * 1000, "ms", "<= 100 ms",
            percentile(st["times"], 95) <= 0.1, base_name,
            None if base is None else percentile(base["times"], 95) * 1000),
    ]
    return rows


def run() -> list[Row]:
    from annotations.corpus import Corpus
    from annotations.similar import PassageIndex, SimilarFinder
    from annotations.similar.videos import VideoGroups

    root = SHARED / "corpus"
    if not root.is_dir() or not LABELS.is_file():
        return []
    corpus = Corpus(root)
    list(corpus.scan())
    pairs, problems = load_labels(corpus)
    if problems:
        return [Row("similar eval: labelled spans", len(problems), "changed", "= 0", False,
                    note="; ".join(problems[:5]))]
    videos = VideoGroups(corpus.infos)
    with tempfile.TemporaryDirectory(prefix="gloss-eval-") as tmp:
        index = PassageIndex.open(corpus, Path(tmp) / "similar", workers=1)
        finder = SimilarFinder(index, videos)
        # each set asked once (the original s2, the pairs labelled blind later s3);
        # the figures over every pair are their sums
        sets = {s: [p for p in pairs if p["set"] == s] for s in ("s2", "s3")}
        done = {s: (evaluate(sub, new_engine(finder), videos.video_of),
                    evaluate(sub, today_engine(index), videos.video_of))
                for s, sub in sets.items() if sub}
    rows: list[Row] = []
    for label, subset, (new, base) in (
            ("", pairs, (_merged([n for n, _ in done.values()]),
                         _merged([b for _, b in done.values()]))),
            *((f" [{'original' if s == 's2' else 'added'} set]", sets[s], done[s])
              for s in done)):
        n_words = sum(p["kind"] == "words" for p in subset)
        n_claim = sum(p["kind"] == "claim" for p in subset)
        n_neg = sum(p["kind"] == "negative" for p in subset)
        part = _rows(f"similar eval (real captions){label}", new, base,
                     "one flat list (before)")
        part[0].note += (f"; {n_words} pairs of same words, {n_claim} of same claim, "
                         f"{n_neg} negatives")
        rows += part if not label else [r for r in part if "p95" not in r.name]
    return rows


def main(argv: list[str]) -> int:
    for r in run():
        base = f"  [{r.baseline}: {r.baseline_value:.2f}]" if r.baseline_value is not None else ""
        print(f"{r.name}: {r.value:.3f} {r.unit} ({r.target}, met={r.met}){base}  {r.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
