"""Stop this process's child processes when gloss exits.

The passage index is built by worker processes (``python -m
annotations.similar.worker``) fed through pipes. A worker busy on a shard does
not notice that gloss has gone until it finishes that shard, so on every exit
gloss asks its children to stop (SIGTERM), waits briefly, then kills the
stragglers (SIGKILL).

A child that leads a process group of its own (started with
``start_new_session``, as the search indexer is) is signalled with its whole
group: the worker processes it forked itself stop with it instead of being left
behind, orphaned, when it goes (:func:`terminate_group`).

Children are found in ``/proc`` (Linux): every process whose parent is this
one. Each is opened as a pidfd before it is signalled when the platform has
them, so a pid recycled in between is never signalled. Children are not
reaped here (``waitpid``): their ``Popen`` owners do that; a zombie counts as
stopped. Elsewhere (no ``/proc``) this does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path
from typing import Any

PROC = Path("/proc")
GRACE = 2.0  # seconds a child gets to stop after SIGTERM before SIGKILL


def _stat(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of ``pid``; None when it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[-1].split()  # the command name may hold spaces and ')'
    try:
        return fields[0], int(fields[1])
    except (IndexError, ValueError):
        return None


def child_pids(parent: int | None = None) -> list[int]:
    """Live (non-zombie) children of ``parent`` (default: this process)."""
    parent = os.getpid() if parent is None else parent
    try:
        names = os.listdir(PROC)
    except OSError:
        return []
    pids = []
    for name in names:
        if not name.isdigit():
            continue
        info = _stat(int(name))
        if info is not None and info[1] == parent and info[0] not in ("Z", "X"):
            pids.append(int(name))
    return sorted(pids)


def _alive(pid: int, parent: int) -> bool:
    info = _stat(pid)
    return info is not None and info[1] == parent and info[0] not in ("Z", "X")


class _Child:
    """One child, signalled through a pidfd when possible (no pid-reuse races)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fd: int | None = None
        opener = getattr(os, "pidfd_open", None)
        if opener is not None:
            with contextlib.suppress(OSError):
                self.fd = opener(pid)

    def send(self, sig: int) -> None:
        _signal_group(self.pid, sig)
        with contextlib.suppress(OSError):
            sender = getattr(signal, "pidfd_send_signal", None)
            if self.fd is not None and sender is not None:
                sender(self.fd, sig)
            else:
                os.kill(self.pid, sig)

    def close(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def _signal_group(pid: int, sig: int) -> bool:
    """Signal the process group that ``pid`` leads (itself and its own forked workers), if
    it leads one other than ours; False when it does not."""
    with contextlib.suppress(OSError):
        if os.getpgid(pid) == pid and pid != os.getpgrp():
            os.killpg(pid, sig)
            return True
    return False


def terminate_group(proc: Any) -> None:
    """SIGTERM a child started with ``start_new_session`` and every process of its group
    (a ``subprocess.Popen``; nothing when it has ended)."""
    if proc.poll() is not None or _signal_group(proc.pid, signal.SIGTERM):
        return
    with contextlib.suppress(OSError):
        proc.terminate()


def stop_children(grace: float = GRACE) -> list[int]:
    """SIGTERM every child, SIGKILL those still running after ``grace`` seconds.

    Returns the pids that were signalled. Takes no time when there are none.
    """
    me = os.getpid()
    children = [_Child(pid) for pid in child_pids(me)]
    # A child that ended between the listing and its pidfd is not ours to signal.
    children = [c for c in children if _alive(c.pid, me)]
    try:
        for child in children:
            child.send(signal.SIGTERM)
        deadline = time.monotonic() + grace
        waiting = list(children)
        while waiting and time.monotonic() < deadline:
            waiting = [c for c in waiting if _alive(c.pid, me)]
            if waiting:
                time.sleep(0.02)
        for child in waiting:
            child.send(signal.SIGKILL)
    finally:
        for child in children:
            child.close()
    return [c.pid for c in children]
