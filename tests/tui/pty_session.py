"""Run gloss in a real pseudo-terminal, as a user would, for the terminal-guard tests.

The child is started with ``pty.fork``: a new session whose controlling terminal
is the pty, so closing the master side is what a dropped SSH connection or a
killed tmux server does. The output is drained while waiting (a full pty would
block the app) and searched with escape sequences removed. Waits poll with a
generous deadline; nothing here measures speed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
DEADLINE = 20.0  # seconds: a bound for "it exits", not a speed requirement
TICK = os.sysconf("SC_CLK_TCK")


def proc_stat(pid: int) -> tuple[str, int, float] | None:
    """(state, parent pid, CPU seconds used) of ``pid``; None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    f = raw.rsplit(")", 1)[1].split()
    return f[0], int(f[1]), (int(f[11]) + int(f[12])) / TICK


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie)."""
    st = proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def poll(check, deadline: float = DEADLINE) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


def gloss_argv(*args: str) -> list[str]:
    """The installed ``gloss`` console script (what users run)."""
    script = Path(sys.executable).with_name("gloss")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from tui.cli import main; main()", *args]


class PtySession:
    """``argv`` in a pty of 100x30 (the pty's own default size)."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], *,
                 ignore_sighup: bool = False) -> None:
        full_env = {**os.environ, **env, "TERM": "xterm-256color"}
        full_env.pop("NO_COLOR", None)
        argv = list(argv)
        pid, fd = pty.fork()
        if pid == 0:  # the child: exec at once (the parent may have threads)
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
                if ignore_sighup:
                    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # inherited through exec
                os.chdir(ROOT)
                os.execve(argv[0], argv, full_env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd: int | None = fd
        self.out = bytearray()
        self.status: int | None = None
        self.cpu_at_close: float | None = None
        self.cpu_last: float | None = None

    # -- output ------------------------------------------------------------------------
    def pump(self, seconds: float = 0.05) -> None:
        """Read what the app wrote (for up to ``seconds``)."""
        if self.fd is None:
            return
        ready, _, _ = select.select([self.fd], [], [], seconds)
        if ready:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            self.out.extend(data)

    def screen_text(self) -> str:
        return ANSI.sub(b"", bytes(self.out)).decode("utf-8", "replace")

    def wait_for(self, text: str, deadline: float = 30.0) -> None:
        end = time.monotonic() + deadline
        start = len(self.out)
        while time.monotonic() < end:
            self.pump(0.1)
            if text in self.screen_text():
                return
            if self.exited():
                break
        tail = ANSI.sub(b"", bytes(self.out[start:]))[-2000:].decode("utf-8", "replace")
        raise AssertionError(f"{text!r} never appeared; recent output: {tail!r}")

    def send(self, keys: str | bytes) -> None:
        assert self.fd is not None
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    # -- the end ------------------------------------------------------------------------------
    def close_terminal(self) -> None:
        """Close the master side: the terminal is gone (as when tmux or sshd dies)."""
        st = proc_stat(self.pid)
        self.cpu_at_close = st[2] if st else None
        assert self.fd is not None
        os.close(self.fd)
        self.fd = None

    def signal(self, sig: int) -> None:
        st = proc_stat(self.pid)
        self.cpu_at_close = st[2] if st else None
        os.kill(self.pid, sig)

    def exited(self) -> bool:
        if self.status is not None:
            return True
        st = proc_stat(self.pid)
        if st is not None:
            self.cpu_last = st[2]
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid:
            self.status = status
        return self.status is not None

    def wait_exit(self, deadline: float = DEADLINE) -> bool:
        """Poll until the process has exited (draining output if the pty is open)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.exited():
                return True
            if self.fd is not None:
                self.pump(0.05)
            else:
                time.sleep(0.05)
        return self.exited()

    @property
    def exit_code(self) -> int | None:
        if self.status is None:
            return None
        return os.waitstatus_to_exitcode(self.status)

    def cpu_while_exiting(self) -> float:
        """CPU seconds the process used between the close/signal and its last sample."""
        assert self.cpu_at_close is not None and self.cpu_last is not None
        return self.cpu_last - self.cpu_at_close

    def kill(self) -> None:
        """Clean up after a failed test."""
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.status = -9
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
