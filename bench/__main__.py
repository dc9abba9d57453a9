"""``python -m bench``: run every ``bench/bench_*.py`` and print one table.

Each module runs in its own child process (``python -m bench --child NAME``) so
that a crash, a hang or a memory figure (peak RSS) in one cannot spoil another;
an exception or a crash becomes a failed row. ``--in-process`` runs them here
instead (for debugging).

    python -m bench                      # all benchmarks, plain table
    python -m bench --only startup,list  # some (module names with or without bench_)
    python -m bench --markdown           # the table as Markdown
    python -m bench --record             # also append the run to docs/benchmarks.md
    python -m bench --quick              # GLOSS_BENCH_QUICK=1: smaller sizes, a smoke run
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.common import ROOT, Row

BENCH_DIR = ROOT / "bench"
RECORD = ROOT / "docs" / "benchmarks.md"
HEADERS = ("benchmark", "figure", "target", "baseline (value)", "met?")


def discover() -> list[str]:
    """Module names (``bench_x``) of every benchmark, sorted."""
    return sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))


def select(names: list[str], only: Sequence[str]) -> list[str]:
    wanted = {w.strip().removeprefix("bench_").removesuffix(".py") for o in only for w in o.split(",")}
    wanted.discard("")
    if not wanted:
        return names
    unknown = wanted - {n.removeprefix("bench_") for n in names}
    if unknown:
        raise SystemExit(f"bench: no such benchmark: {', '.join(sorted(unknown))} "
                         f"(have: {', '.join(n.removeprefix('bench_') for n in names)})")
    return [n for n in names if n.removeprefix("bench_") in wanted]


def failed(module: str, why: str) -> Row:
    line = " ".join(why.split())[:300]
    return Row(f"{module.removeprefix('bench_')}: did not run", math.nan, "", "", False, note=line)


def _rows_from(data: object) -> list[Row]:
    return [Row(**r) for r in data] if isinstance(data, list) else []


def run_in_process(module: str) -> list[Row]:
    try:
        mod = importlib.import_module(f"bench.{module}")
        rows = list(mod.run())
        if not all(isinstance(r, Row) for r in rows):
            return [failed(module, "run() must return a list of bench.common.Row")]
        return rows or [failed(module, "run() returned no rows")]
    except BaseException as exc:  # noqa: BLE001 - a failed row, never a crash
        if isinstance(exc, KeyboardInterrupt):
            raise
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
        return [failed(module, f"{type(exc).__name__}: {exc}{where}")]


def run_child(module: str, timeout: float) -> list[Row]:
    """Run one module in a child process; its output goes to our stderr."""
    with tempfile.TemporaryDirectory(prefix="gloss-bench-") as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "bench", "--child", module, "--child-out", str(out)]
        tail: list[str] = []
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                sys.stderr.write(f"  {line}")
                tail[:] = [*tail[-4:], line.strip()]

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.terminate()  # our own child, by its handle: lets it clean up (tmux…)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            return [failed(module, f"timed out after {timeout:.0f} s")]
        reader.join(5)
        if out.exists():
            return _rows_from(json.loads(out.read_text())) or [failed(module, "no rows")]
        last = next((x for x in reversed(tail) if x), f"exit status {code}")
        return [failed(module, f"crashed (exit {code}): {last}")]


def _child(module: str, out: Path) -> int:
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(f"stopped by signal {signum}")  # runs the module's finally blocks

    signal.signal(signal.SIGTERM, stop)
    rows = run_in_process(module)
    out.write_text(json.dumps([dataclasses.asdict(r) for r in rows]))
    return 0


# -- formatting ------------------------------------------------------------------------------
def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    if math.isnan(value):
        return "—"
    a = abs(value)
    s = f"{value:,.0f}" if a >= 100 else f"{value:.1f}" if a >= 10 else f"{value:.2f}" if a >= 0.1 \
        else f"{value:.3g}"
    return f"{s} {unit}".strip() if unit not in ("ratio", "x", "×") else f"{s}×"


def cells(row: Row) -> tuple[str, str, str, str, str]:
    base = row.baseline or ""
    if row.baseline_value is not None:
        value = fmt(row.baseline_value, row.unit)
        base = f"{base} ({value})" if base else value
    met = "FAIL" if math.isnan(row.value) else "yes" if row.met else "NO"
    return (row.name, fmt(row.value, row.unit), row.target or "—", base or "—", met)


def table(rows: list[Row], markdown: bool = False) -> str:
    body = [cells(r) for r in rows]
    notes = [(i, r.note) for i, r in enumerate(rows, 1) if r.note]
    marks = {i: f" [{n}]" for n, (i, _) in enumerate(notes, 1)}
    body = [(c[0] + marks.get(i, ""), *c[1:]) for i, c in enumerate(body, 1)]
    if markdown:
        def esc(s: str) -> str:
            return s.replace("|", "\\|")
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---"] * len(HEADERS)) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in body]
    else:
        widths = [max(len(h), *(len(r[j]) for r in body)) if body else len(h)
                  for j, h in enumerate(HEADERS)]
        def line(cs: Sequence[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cs, widths, strict=True)).rstrip()
        lines = [line(HEADERS), line(["-" * w for w in widths])] + [line(r) for r in body]
    if notes:
        lines.append("")
        lines += [f"[{n}] {note}" + ("  " if markdown else "") for n, (_, note) in enumerate(notes, 1)]
    return "\n".join(lines)


def machine() -> str:
    try:
        import textual

        tv = textual.__version__
    except Exception:  # noqa: BLE001
        tv = "?"
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"Python {platform.python_version()}, Textual {tv}, {platform.system()} "
            f"{platform.release()} {platform.machine()}, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def record(rows: list[Row], argv: Sequence[str], elapsed: float, path: Path = RECORD) -> None:
    now = datetime.now(UTC)
    cmd = " ".join(["python -m bench", *argv])
    section = (f"\n## Run {now:%Y-%m-%d %H:%M} UTC\n\n`{cmd}` · {machine()} · "
               f"{elapsed:.0f} s{' · quick (GLOSS_BENCH_QUICK=1)' if os.environ.get('GLOSS_BENCH_QUICK') == '1' else ''}\n\n"
               f"{table(rows, markdown=True)}\n")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(text.rstrip("\n") + "\n" + section, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks.")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="run only these (comma-separated or repeated): startup, list…")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--record", action="store_true", help="append the run to docs/benchmarks.md")
    p.add_argument("--quick", action="store_true", help="smaller sizes (GLOSS_BENCH_QUICK=1)")
    p.add_argument("--in-process", action="store_true", help="no child processes (debugging)")
    p.add_argument("--timeout", type=float,
                   default=float(os.environ.get("GLOSS_BENCH_TIMEOUT", "1800")),
                   help="seconds per module (default 1800)")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return _child(args.child, args.child_out)
    names = select(discover(), args.only)
    if args.list:
        print("\n".join(n.removeprefix("bench_") for n in names))
        return 0
    if args.quick:
        os.environ["GLOSS_BENCH_QUICK"] = "1"
    rows: list[Row] = []
    start = time.perf_counter()
    for name in names:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        t = time.perf_counter()
        got = run_in_process(name) if args.in_process else run_child(name, args.timeout)
        rows += got
        print(f"bench: {name}: {len(got)} rows in {time.perf_counter() - t:.1f} s",
              file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    print(table(rows, markdown=args.markdown))
    if args.record:
        record(rows, [a for a in argv if a != "--record"], elapsed)
        print(f"bench: recorded in {RECORD.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
