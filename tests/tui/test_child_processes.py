"""Stopping child processes (index workers) on exit, and the guarded terminal output."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.tui.helpers import ROOT
from tests.tui.pty_session import alive, poll

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")

# Run in a process of its own: stop_children stops *every* child of its caller.
SCRIPT = textwrap.dedent("""
    import json, os, signal, subprocess, sys
    from tui.child_processes import child_pids, stop_children

    r, w = os.pipe()
    # A real index worker that never finishes (it holds its own input open) ...
    worker = subprocess.Popen([sys.executable, "-m", "annotations.similar.worker"],
                              stdin=r, pass_fds=(w,))
    # ... and a child that ignores SIGTERM: it gets SIGKILL after the grace period.
    stubborn = subprocess.Popen([sys.executable, "-c",
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(600)"], stdout=subprocess.PIPE)
    stubborn.stdout.readline()
    before = child_pids()
    stopped = stop_children(grace=0.5)
    print(json.dumps({"before": before, "stopped": stopped,
                      "pids": [worker.pid, stubborn.pid], "after": child_pids()}))
    worker.wait(); stubborn.wait()
""")


def test_stop_children_stops_busy_workers() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(out["before"]) == sorted(out["pids"]) == sorted(out["stopped"])
    assert out["after"] == []
    for pid in out["pids"]:
        assert poll(lambda pid=pid: not alive(pid))


def test_stop_children_without_children_does_nothing() -> None:
    code = "from tui.child_processes import stop_children; print(stop_children())"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_guarded_output_reports_a_gone_terminal_once() -> None:
    from tui.terminal_guard import GuardedOutput

    r, w = os.pipe()
    os.close(r)
    gone: list[str] = []
    out = GuardedOutput(os.fdopen(w, "w", buffering=1), gone.append)
    out.write("frame\n")  # EPIPE: the writer thread must not die of it
    out.write("next frame\n")
    out.flush()
    assert out.dead and len(gone) == 1 and "write failed" in gone[0]


# A child in a session of its own that forks a worker (as the search indexer's process
# pool does); the pids of both are printed.
FORKER = ("import os, sys, time\n"
          "pid = os.fork()\n"
          "if pid == 0:\n"
          "    time.sleep(600); os._exit(0)\n"
          "print(os.getpid(), pid, flush=True); time.sleep(600)\n")


def _forker() -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen([sys.executable, "-c", FORKER], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    _, worker = map(int, proc.stdout.readline().split())
    return proc, worker


def test_terminate_group_stops_the_workers_a_child_forked() -> None:
    """Stopping the search indexer stops the workers it forked: none is left orphaned."""
    from tui.child_processes import terminate_group

    proc, worker = _forker()
    try:
        terminate_group(proc)
        proc.wait(timeout=30)
        assert poll(lambda: not alive(worker)), "the forked worker was left behind"
    finally:
        with contextlib.suppress(OSError):
            os.kill(worker, signal.SIGKILL)


SCRIPT_GROUP = textwrap.dedent("""
    import json, subprocess, sys
    from tui.child_processes import stop_children
    proc = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    _, worker = map(int, proc.stdout.readline().split())
    stop_children(grace=0.5)
    proc.wait()
    print(json.dumps({"worker": worker}))
""")


def test_stop_children_stops_a_childs_own_workers() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT_GROUP, FORKER], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    worker = json.loads(done.stdout.strip().splitlines()[-1])["worker"]
    try:
        assert poll(lambda: not alive(worker)), "the child's forked worker was left behind"
    finally:
        with contextlib.suppress(OSError):
            os.kill(worker, signal.SIGKILL)
