"""The ``gloss`` console script: :func:`tui.cli.main`, quiet when its pipes or terminal go.

Wrapped around the command line whatever parses it (argparse or click), so
every command gets the same ending:

* **Closed pipe** (``gloss export … | head``, ``gloss list | head``): no
  traceback and no "Exception ignored … BrokenPipeError" at exit; standard
  output is pointed at ``/dev/null`` and the status is **0**: the reader of the
  pipe took what it wanted, as ``tui.cli.group`` also answers a closed pipe met
  inside a command. (Not 141, 128 + SIGPIPE, which ``set -o pipefail`` scripts
  would take for a failure of ``gloss … | head``.) Buffered output that meets the
  closed pipe only at the final flush is caught here too.
* **Closed input / terminal gone** (reading stdin fails with EIO, or input ends
  where a command needed it): one line on stderr when it can still be written,
  status 129 (terminal gone) or 2 (no input).
* **SIGHUP/SIGTERM** during a headless command: child processes (index workers
  of ``gloss similar``) are stopped, then the command unwinds (its store writes
  are atomic) and exits 128 + the signal. The app installs its own handlers
  while it runs (:mod:`tui.terminal_guard`).
* **Ctrl+C**: status 130, no traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import sys
from types import FrameType
from typing import NoReturn

EXIT_BROKEN_PIPE = 0  # see the module doc
EXIT_HANGUP = 128 + signal.SIGHUP  # 129
EXIT_INTERRUPT = 130


def _on_signal(sig: int, frame: FrameType | None) -> None:
    from tui.child_processes import stop_children

    signal.signal(sig, signal.SIG_DFL)  # a second one ends it at once
    with contextlib.suppress(Exception):
        stop_children(grace=1.0)
    raise SystemExit(128 + sig)


def _install_signals() -> None:
    for sig in (signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(sig) == signal.SIG_DFL:  # ignored (nohup) stays ignored
            signal.signal(sig, _on_signal)


def stdout_pipe_closed(fd: int = 1) -> bool:
    """True when ``fd`` is a pipe or socket whose reader has gone (POLLERR/POLLHUP)."""
    try:
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        events = poller.poll(0)
    except (OSError, ValueError):
        return False
    return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in events)


def _click_saw_broken_pipe() -> bool:
    """click's own EPIPE handling swaps stdout for a flush-pacifying wrapper."""
    return type(sys.stdout).__name__.endswith("PacifyFlushWrapper")


def _silence_stdout() -> None:
    """Later writes and the interpreter's final flush go to /dev/null, not to an error."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.dup2(null, 1)
    os.close(null)


def _say(message: str) -> None:
    with contextlib.suppress(Exception):
        print(f"gloss: {message}", file=sys.stderr)


def run() -> int:
    """Run the command line; returns the exit status (never raises for pipes or input)."""
    broken = False
    code: object
    try:
        from tui.cli import main as cli_main

        code = cli_main()
    except SystemExit as exc:
        code = exc.code
    except BrokenPipeError:
        broken = True
        code = EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        code = EXIT_INTERRUPT
    except EOFError:
        _say("error: the input ended before the command had what it needed")
        code = 2
    except OSError as exc:
        if exc.errno not in (errno.EIO, errno.ENXIO, errno.EBADF):
            raise
        _say(f"the terminal went away ({exc.strerror or exc})")
        code = EXIT_HANGUP
    if not broken:
        try:
            sys.stdout.flush()  # now, while a closed pipe can still be caught
        except BrokenPipeError:
            broken = True
        except (OSError, ValueError, AttributeError):
            pass
    if broken or (_click_saw_broken_pipe() and stdout_pipe_closed()):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _say(str(code))  # SystemExit("message"), as sys.exit("…") prints it
    return 1


def main() -> NoReturn:
    _install_signals()
    sys.exit(run())
