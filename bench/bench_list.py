"""Listing a 10,000-file corpus: ``Corpus.scan`` (heads only), ``Corpus.scan(words=True)``
and ``gloss list --json`` in a subprocess, each beside a baseline measured in the same run:
a bare ``os.walk`` that reads every file whole (no decoding, no parsing).

The corpus is ``bench.generate.ensure_corpus(n)`` (shared with the other benchmarks) when
that generator exists, else a simple deterministic one written here under
``bench/.data/list-{n}``. Page cache: the baseline runs first and warms it, so every
figure is a warm-cache figure; each is the best of a few runs.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from annotations.corpus import Corpus
from bench.common import DATA, ROOT, Row, quick

TARGET_S = 2.0
GLOSS = ROOT / ".venv" / "bin" / "gloss"
# `gloss list` with only the list command registered (when the full CLI cannot start).
LIST_ONLY = ("import sys, tui.cli as c; c.COMMANDS = {'list': 'list_cmd'}; "
             "sys.exit(c.main(sys.argv[1:]))")


def _simple_corpus(root: Path, n: int, seed: int = 7) -> None:
    """Tagged transcripts in channel folders, 300–3,000 words each (deterministic)."""
    words = ("the minister said aid trucks were waiting at the crossing while talks went on "
             "into the night and officials warned of more strikes near the border").split()
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        folder = root / f"en_{('CNN', 'AJ', 'DW', 'BBCNews')[i % 4]}"
        folder.mkdir(parents=True, exist_ok=True)
        body = " ".join(rng.choice(words) for _ in range(rng.randint(300, 3000)))
        (folder / f"doc-{i:05d}.txt").write_text(
            f"<video_id>v{i:09d}</video_id>\n<video_title>Story {i}</video_title>\n"
            f"<publish_date>2024{1 + i % 12:02d}{1 + i % 28:02d}</publish_date>\n\n"
            f"<doc>\n{body}\n</doc>", encoding="utf-8")


def corpus(n: int) -> tuple[Path, str]:
    try:
        from bench.generate import ensure_corpus
    except ImportError:
        root = DATA / f"list-{n}"
        if not (root / ".done").exists():
            _simple_corpus(root, n)
            (root / ".done").write_text("ok")
        return root, "simple generator"
    return ensure_corpus(n), "bench.generate"


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def walk_and_read(root: Path) -> int:
    total = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            with open(os.path.join(folder, name), "rb") as fh:
                total += len(fh.read())
    return total


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def gloss_list(root: Path) -> tuple[float, float, str]:
    """Best of two runs of ``gloss list ROOT --json`` (output discarded): wall seconds,
    CPU seconds (user + sys, workers included: robust to a busy machine), which CLI."""
    for cmd, note in (([str(GLOSS)], "full CLI"),
                      ([sys.executable, "-c", LIST_ONLY], "list command only")):
        times: list[tuple[float, float]] = []
        for _ in range(2):
            t, cpu = time.perf_counter(), _children_cpu()
            done = subprocess.run([*cmd, "list", str(root), "--json"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
            times.append((time.perf_counter() - t, _children_cpu() - cpu))
            if done.returncode != 0:
                break
        else:
            wall, cpu = min(times)
            return wall, cpu, note
    raise RuntimeError(f"gloss list failed: {done.stderr.decode(errors='replace')[-200:]}")


def run() -> list[Row]:
    n = 1000 if quick() else 10_000
    root, source = corpus(n)
    count = sum(1 for _ in Corpus(root).scan())
    base = best(lambda: walk_and_read(root))
    size_mb = walk_and_read(root) / 1e6
    baseline = f"os.walk + read every file whole ({size_mb:.0f} MB)"
    scan = best(lambda: list(Corpus(root).scan()))
    words = best(lambda: list(Corpus(root).scan(words=True)), runs=2)
    cli, cli_cpu, how = gloss_list(root)
    load = os.getloadavg()[0]
    note = f"{count:,} documents from {source}, warm cache, load average {load:.1f}"
    target = f"<= {TARGET_S:g} s"
    return [
        Row(f"Corpus.scan, {count:,} files (heads)", scan, "s", target, scan <= TARGET_S,
            baseline, base, note),
        Row(f"Corpus.scan(words=True), {count:,} files", words, "s", target,
            words <= TARGET_S, baseline, base, note),
        Row(f"gloss list --json, {count:,} files", cli, "s", target, cli <= TARGET_S,
            baseline, base,
            f"{note}; subprocess ({how}, {os.cpu_count()} CPUs), includes start-up; "
            f"CPU {cli_cpu:.2f} s"),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
