"""Start-up time and memory of ``gloss``, timed from outside in a real terminal.

Each launch is a fresh tmux session (a real pseudo-terminal, 120×40) on a
private tmux server (``tmux -L gloss-bench-PID``, killed at the end)::

    tmux new-session -d -x 120 -y 40 'env GLOSS_EXIT_ON_READY=1 gloss PATH; \\
        echo $? > CODE; tmux wait-for -S done-K'

* **first paint**: from just before ``new-session`` to the first moment the
  pane shows any text (the first frame: Header and body), polled every ~2 ms
  through a tmux control-mode client (no process spawned per poll). This is
  the figure. Textual draws the Footer a frame later; the time until the bottom
  row is drawn too ("whole screen") is in the note. Paint runs do not set
  ``GLOSS_EXIT_ON_READY``: the session is closed once the screen is whole, so
  tear-down (for gloss, perhaps waiting for a scan thread) is not counted.
* **exit on ready**: launch to the ``wait-for`` signal (the app exits from
  ``on_ready``), reported in the note.
* **peak RSS**: the app runs under this module's ``--wrap`` mode, a small
  Python parent that starts it (same pty), waits, and writes
  ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` as JSON. With 10,000 documents the
  app is started with ``GLOSS_EXIT_WHEN_LOADED=1`` (exit once the list is fully
  loaded); if it ignores that, the bench presses ``q`` after ``LOADED_WAIT``
  seconds and says so in the note.

Baseline: ``bench/baseline_app.py`` (Header, Static, Footer) launched the same way.
Every figure includes the same tmux + ``sh -c`` launch overhead (measured with
``true`` and given in the note).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, Row, quick

TMUX = shutil.which("tmux") or "tmux"
WIDTH, HEIGHT = 120, 40
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
GLOSS = str(ROOT / ".venv" / "bin" / "gloss")
BASELINE = [PYTHON, str(ROOT / "bench" / "baseline_app.py")]
LOADED_WAIT = float(os.environ.get("GLOSS_BENCH_LOADED_WAIT", "60"))


@dataclass(slots=True)
class Launch:
    paint: float | None = None  # seconds to the first frame (any text on screen)
    complete: float | None = None  # seconds until the bottom row (Footer) is drawn too
    exit: float | None = None  # seconds to the done signal
    code: int | None = None  # exit status of the command
    rss_mb: float | None = None  # --wrap only
    inner: float | None = None  # --wrap only: the child's life time
    idle: bool = False  # "loaded": measured once the app went idle (it did not exit)
    screen: str = ""  # non-blank pane lines, when something went wrong

    def good(self, until: str) -> bool:
        if until == "paint":
            return self.code == 0 and self.complete is not None
        if until == "loaded":
            return self.code == 0 and self.rss_mb is not None
        return self.code == 0 and self.exit is not None


class Tmux:
    """A private tmux server with one control-mode client for cheap polling."""

    def __init__(self) -> None:
        self.sock = f"gloss-bench-{os.getpid()}"
        self.tmp = Path(tempfile.mkdtemp(prefix="gloss-startup-"))
        conf = self.tmp / "tmux.conf"
        conf.write_text(
            'set -g default-terminal "xterm-256color"\nset -g remain-on-exit on\n'
            "set -g history-limit 200\nset -g status off\n"
        )
        self.base = [TMUX, "-L", self.sock, "-f", str(conf)]
        for attempt in range(3):  # a server has been seen to exit at birth: retry
            self.run("new-session", "-d", "-s", "ctl", "-x", "40", "-y", "5", "sleep 86400")
            self.ctl = subprocess.Popen(
                [*self.base, "-C", "attach-session", "-t", "ctl"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, errors="replace",
                bufsize=1,
            )
            try:
                if self.query("display-message -p ok") == ["ok"]:
                    break
            except (OSError, RuntimeError):
                pass
            self._stop_client()
            self.run("kill-server")
            if attempt == 2:
                raise RuntimeError("could not start a private tmux server")
            time.sleep(0.5)

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=timeout)

    def query(self, command: str) -> list[str]:
        """Send one command through the control client; return its output lines."""
        assert self.ctl.stdin and self.ctl.stdout
        self.ctl.stdin.write(command + "\n")
        self.ctl.stdin.flush()
        block: list[str] | None = None
        while True:
            line = self.ctl.stdout.readline()
            if not line:
                raise RuntimeError("tmux control client ended")
            line = line.rstrip("\n")
            if block is None:
                # "%begin TIME NUMBER FLAGS": FLAGS is 1 for a command from this
                # client; the attach's own block (FLAGS 0) may come at any time.
                if line.startswith("%begin") and line.split()[-1] == "1":
                    block = []
                continue
            if line.startswith(("%end", "%error")):
                return block
            block.append(line)

    def screen(self, target: str) -> str:
        lines = [x.rstrip() for x in self.query(f"capture-pane -p -t ={target}:")]
        return " | ".join(x for x in lines if x.strip())[-400:]

    def _stop_client(self) -> None:
        if self.ctl.poll() is None:
            self.ctl.terminate()  # our control client, by its handle
            try:
                self.ctl.wait(5)
            except subprocess.TimeoutExpired:
                self.ctl.kill()
                self.ctl.wait()

    def close(self) -> None:
        try:
            self.run("kill-server", timeout=10)  # our private server only
        except (OSError, subprocess.SubprocessError):
            pass
        self._stop_client()
        shutil.rmtree(self.tmp, ignore_errors=True)
        socket = Path(f"/tmp/tmux-{os.getuid()}") / self.sock
        socket.unlink(missing_ok=True)  # our private server's socket


def _quote(argv: list[str]) -> str:
    import shlex

    return " ".join(shlex.quote(a) for a in argv)


def _proc_cpu(pid: int) -> float | None:
    """CPU seconds used so far by ``pid`` (Linux /proc), or None when gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_hwm_mb(pid: int) -> float | None:
    """Peak resident set (VmHWM) of ``pid`` in MB (Linux /proc), or None.

    Live child processes (a worker pool) are added: an upper bound of the peak.
    """
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
                break
        else:
            return None
        kids = [int(c) for t in Path(f"/proc/{pid}/task").iterdir()
                for c in (t / "children").read_text().split()]
    except (OSError, ValueError):
        return None
    return own + sum(_proc_hwm_mb(c) or 0.0 for c in kids)


def _wait_idle(pid: int, deadline: float, window: float = 1.5, share: float = 0.15) -> bool:
    """Wait until ``pid`` uses under ``share`` of one CPU over ``window`` seconds."""
    last = _proc_cpu(pid)
    while last is not None and time.perf_counter() < deadline:
        time.sleep(window)
        now = _proc_cpu(pid)
        if now is None:
            return False
        if now - last < share * window:
            return True
        last = now
    return False


def launch(tm: Tmux, k: int, argv: list[str], env: dict[str, str], *, until: str = "paint",
           timeout: float = 60) -> Launch:
    """Run ``argv`` in a new 120×40 tmux session.

    ``until``: "paint" (time the first frame and the whole screen, then close the session),
    "exit" (time the done signal: the app exits by itself) or "loaded" (run
    under ``--wrap``; wait for the app to exit by itself or to go idle, then read
    its peak RSS).
    """
    name = f"run{k}"
    code_file, wrap_file = tm.tmp / f"{name}.code", tm.tmp / f"{name}.json"
    if until == "loaded":
        argv = [PYTHON, "-m", "bench.bench_startup", "--wrap", str(wrap_file), "--", *argv]
    envs = " ".join(f"{key}={_quote([v])}" for key, v in env.items())
    cmd = (f"cd {_quote([str(ROOT)])} && env {envs} {_quote(argv)}; echo $? > {code_file}; "
           f"{_quote(tm.base)} wait-for -S done-{k}")
    out = Launch()
    waiter = subprocess.Popen([*tm.base, "wait-for", f"done-{k}"])
    t0 = time.perf_counter()
    deadline = t0 + timeout
    tm.run("new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), cmd)
    try:
        if until != "exit":
            while time.perf_counter() < deadline and waiter.poll() is None:
                lines = tm.query(f"capture-pane -p -t ={name}:")
                now = time.perf_counter() - t0
                if any(x.strip() for x in lines) and tm.query(
                    f"display-message -p -t ={name}: '#{{pane_dead}}'"
                ) == ["0"]:
                    out.paint = now if out.paint is None else out.paint
                    if lines and len(lines) >= HEIGHT and lines[HEIGHT - 1].strip():
                        out.complete = now  # the bottom row (Footer) is drawn too
                        break
                time.sleep(0.001)
        if until == "loaded":
            pid = _child_pid(wrap_file, deadline)
            idle = pid is not None and _wait_idle(pid, deadline)
            hwm = _proc_hwm_mb(pid) if pid is not None and idle else None
            if hwm is not None:  # still running and idle: loaded
                out.rss_mb, out.inner, out.code = hwm, time.perf_counter() - t0, 0
                out.idle = True
        if until == "exit" or waiter.poll() is not None or until == "loaded" and not out.idle:
            waiter.wait(max(0.0, deadline - time.perf_counter()))
            out.exit = time.perf_counter() - t0
            text = code_file.read_text().strip() if code_file.exists() else ""
            out.code = int(text) if text.lstrip("-").isdigit() else None
        elif until == "paint" and out.complete is not None:
            out.code = 0
    except subprocess.TimeoutExpired:
        pass
    finally:
        if waiter.poll() is None:
            waiter.kill()  # our own `tmux wait-for` client
            waiter.wait()
    if out.rss_mb is None and wrap_file.exists():
        data = json.loads(wrap_file.read_text())
        if "maxrss_mb" in data:
            out.rss_mb, out.inner = data["maxrss_mb"], data["elapsed"]
    if not out.good(until):
        out.screen = tm.screen(name) or "(blank screen)"
    tm.run("kill-session", "-t", f"={name}")
    return out


def _child_pid(wrap_file: Path, deadline: float) -> int | None:
    """The app's pid, written by ``--wrap`` when it starts the app."""
    while time.perf_counter() < deadline:
        try:
            return int(json.loads(wrap_file.read_text())["pid"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.01)
    return None


def _median(values: list[float | None]) -> float | None:
    xs = [v for v in values if v is not None]
    return statistics.median(xs) if xs else None


def _why(runs: list[Launch], until: str) -> str:
    bad = next((r for r in runs if not r.good(until)), None)
    if bad is None:
        return ""
    what = "no first paint" if until == "paint" and bad.paint is None else (
        f"exit status {bad.code}" if bad.code else "timed out")
    return f"{what}: {bad.screen}"


def _env(store: Path, **extra: str) -> dict[str, str]:
    return {"GLOSS_STORE": str(store), "GLOSS_AUTHOR": "bench", **extra}


def run() -> list[Row]:
    from bench.generate import ensure_corpus

    runs = 3 if quick() else 7
    exit_runs = 1 if quick() else 3
    corpus = ensure_corpus(10_000)
    store = Path(tempfile.mkdtemp(prefix="gloss-bench-store-"))
    plain, ready = _env(store), _env(store, GLOSS_EXIT_ON_READY="1")
    cases = {"bare": BASELINE, "sample": [GLOSS, str(ROOT / "sample_docs")],
             "10k": [GLOSS, str(corpus)]}
    paint: dict[str, list[Launch]] = {c: [] for c in cases}
    exits: dict[str, list[Launch]] = {c: [] for c in cases}
    tm = Tmux()
    try:
        overhead = [launch(tm, 900 + i, ["true"], {}, until="exit").exit for i in range(3)]
        for c, argv in cases.items():  # warm-up: disk cache, .pyc files
            launch(tm, 1000 + len(c), argv, plain)
        k = 0
        for i in range(runs):  # interleaved, so drift hits every case alike
            for c, argv in cases.items():
                k += 1
                paint[c].append(launch(tm, k, argv, plain))
                if i < exit_runs:
                    k += 1
                    exits[c].append(launch(tm, k, argv, ready, until="exit"))
        loaded = _env(store, GLOSS_EXIT_WHEN_LOADED="1")
        bare_mem = launch(tm, 2000, BASELINE, loaded, until="loaded")
        mem = launch(tm, 2001, [GLOSS, str(corpus)], loaded, until="loaded", timeout=LOADED_WAIT)
    finally:
        tm.close()
        shutil.rmtree(store, ignore_errors=True)

    over = _median(overhead) or 0.0
    bare = _median([r.paint for r in paint["bare"] if r.good("paint")])
    bare_ms = None if bare is None else bare * 1000
    baseline = "bare Textual app (Header, Static, Footer)"
    rows: list[Row] = []

    def note(c: str) -> str:
        ok = [r for r in paint[c] if r.good("paint")]
        parts = [f"median of {len(ok)}/{len(paint[c])} runs in a 120×40 tmux pane "
                 f"(launch overhead {over * 1000:.0f} ms included)"]
        full, bare_full = _median([r.complete for r in ok]), _median(
            [r.complete for r in paint["bare"] if r.good("paint")])
        if full is not None and bare_full is not None:
            parts.append(f"whole screen with Footer {full * 1000:.0f} ms (bare {bare_full * 1000:.0f} ms)")
        ex = _median([r.exit for r in exits[c] if r.good("exit")])
        bare_ex = _median([r.exit for r in exits["bare"] if r.good("exit")])
        if ex is not None:
            parts.append(f"GLOSS_EXIT_ON_READY exit signal {ex * 1000:.0f} ms"
                         + (f" (bare {bare_ex * 1000:.0f} ms)" if bare_ex else ""))
        why = _why(paint[c], "paint") or _why(exits[c], "exit")
        return "; ".join(parts + ([why] if why else []))

    for c, label, target in (("sample", "sample_docs", "<= 1.5 × bare app"),
                             ("10k", "10,000 documents", "<= 2 s")):
        ok = [r.paint for r in paint[c] if r.good("paint")]
        value = (_median(ok) or math.nan) * 1000 if len(ok) * 2 > len(paint[c]) else math.nan
        limit = 1.5 * bare_ms if c == "sample" and bare_ms is not None else 2000.0
        rows.append(Row(f"start-up to first paint, {label}", value, "ms", target,
                        value <= limit, baseline, bare_ms, note(c)))

    if mem.idle:
        how = (f"measured when the app went idle after {mem.inner:.1f} s "
               "(it did not exit on GLOSS_EXIT_WHEN_LOADED)")
    elif mem.rss_mb is not None:
        how = f"app exited on GLOSS_EXIT_WHEN_LOADED after {mem.inner or 0:.1f} s"
    else:
        how = _why([mem], "loaded") or "no measurement"
    rss = mem.rss_mb if mem.rss_mb is not None else math.nan
    rows.append(Row("peak RSS, 10,000 documents loaded", rss, "MB", "<= 300 MB", rss <= 300,
                    baseline, bare_mem.rss_mb, how))
    return rows


# -- --wrap: run a command as a child in the same terminal, record its peak RSS ----------
def _wrap(out: Path, argv: list[str]) -> int:
    signal.signal(signal.SIGHUP, lambda *_: None)  # outlive the child on kill-session
    t = time.perf_counter()
    try:
        child = subprocess.Popen(argv)
    except OSError as exc:
        print(f"bench_startup --wrap: {exc}", file=sys.stderr)
        return 127
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps({"pid": child.pid}))
    tmp.replace(out)
    code = child.wait()
    elapsed = time.perf_counter() - t
    import resource

    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    tmp.write_text(json.dumps({"pid": child.pid, "elapsed": elapsed, "maxrss_mb": rss, "code": code}))
    tmp.replace(out)
    return code


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--wrap" and "--" in argv:
        i = argv.index("--")
        return _wrap(Path(argv[1]), argv[i + 1 :])
    from bench.__main__ import table

    print(table(run()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
