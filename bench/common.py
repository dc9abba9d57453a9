"""Shared helpers for benchmark scripts.

Every ``bench/bench_*.py`` module exposes ``run() -> list[Row]``. Each row is
one figure beside the baseline it beats, both measured in the same run.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"  # generated corpora (git-ignored)
SHARED = ROOT.parent / "shared"  # real input, evaluation only; may be absent


@dataclass(slots=True)
class Row:
    name: str  # what is measured
    value: float
    unit: str  # "ms", "s", "MB", "MB/s", "%", "ratio"…
    target: str  # e.g. "<= 100 ms"
    met: bool
    baseline: str = ""  # what the baseline is
    baseline_value: float | None = None
    note: str = ""


def timed(fn: Callable[[], object]) -> float:
    """Seconds taken by one call."""
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def percentile(values: list[float], p: float) -> float:
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def quick() -> bool:
    """`GLOSS_BENCH_QUICK=1` shrinks sizes for a smoke run."""
    return os.environ.get("GLOSS_BENCH_QUICK") == "1"
