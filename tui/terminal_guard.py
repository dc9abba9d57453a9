"""Terminal guard: gloss leaves cleanly when its terminal goes away.

On a shared server connections drop. When the terminal of a Textual 8.2.8 app
disappears without a SIGHUP reaching it (``su``/``sudo`` in a tmux pane whose
server dies, an SSH session under ``su``), reads of the hung-up terminal return
end-of-file at once and Textual's input thread selects and reads again for ever:
one full core per orphan (upstream: Textualize/textual PR #6690, unreleased).

:class:`GuardedDriver` is Textual's Linux driver with three changes:

* **Input loop**: the same loop, but end of input (a read of ``b""``) or a read
  failing (EIO, EBADF…) ends it and starts the exit. While the terminal is alive
  nothing is added to Textual's own loop, so idle CPU stays where Textual has it.
* **Output**: the writer thread writes through :class:`GuardedOutput`; a write
  failing with EIO/EPIPE starts the exit instead of killing the writer thread
  (after which the app would block for ever on the writer's full queue).
* **Signals**: SIGHUP and SIGTERM (unless inherited as ignored, as ``nohup``
  does) start the same exit; a second one exits at once.

The exit (:meth:`GuardedDriver.leave`) runs on the app's event loop, between two
messages, so no store write is cut in half (writes are synchronous: an
acknowledged annotation is already on disk). It asks the app to keep what cannot
wait (``app.save_drafts()``: the unsaved note in the editor, see
:mod:`tui.note_drafts`), then exits the app with status 129 (128 + SIGHUP: the
terminal hung up) or 143 (SIGTERM). When the terminal is gone its file
descriptors are pointed at ``/dev/null`` first, so restoring the terminal modes,
the exit message and Python's last flush write nowhere instead of failing.
Child processes (index workers) are stopped when the driver closes, on every
exit (:mod:`tui.child_processes`). A watchdog thread, started only once the exit
has begun, ends the process after :data:`DEADLINE` seconds if something (a long
thread worker Python would wait for) holds it up; flock locks go with the
process.

The hook is :class:`TerminalGuardMixin`, a base of ``GlossApp`` that picks this
driver; Pilot tests (headless driver) are unaffected.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import signal
import sys
import threading
from codecs import getincrementaldecoder
from typing import IO, TYPE_CHECKING, Any

from textual.driver import Driver

if TYPE_CHECKING:
    from textual.app import App

EXIT_HANGUP = 128 + signal.SIGHUP  # terminal gone or SIGHUP: 129
EXIT_TERM = 128 + signal.SIGTERM  # SIGTERM: 143
DEADLINE = 10.0  # seconds from the start of the exit to a forced one
# A read or write failing with one of these means the terminal is gone.
GONE_ERRNOS = frozenset({errno.EIO, errno.EPIPE, errno.EBADF, errno.ENXIO, errno.ENODEV,
                         errno.ENOTTY, errno.ECONNRESET})


class GuardedOutput:
    """The writer thread's file: write errors end the app instead of the thread."""

    def __init__(self, file: IO[str], on_gone: Any) -> None:
        self._file = file
        self._on_gone = on_gone
        self.dead = False

    def _guard(self, call: Any, *args: Any) -> Any:
        if self.dead:
            return None
        try:
            return call(*args)
        except (OSError, ValueError) as exc:  # ValueError: the file was closed
            if isinstance(exc, OSError) and exc.errno not in GONE_ERRNOS:
                return None  # e.g. EAGAIN: this frame is lost, the next repaints
            self.dead = True
            self._on_gone(f"terminal write failed: {getattr(exc, 'strerror', None) or exc}")
            return None

    def write(self, text: str) -> int:
        self._guard(self._file.write, text)
        return len(text)

    def flush(self) -> None:
        self._guard(self._file.flush)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _tty_fds() -> list[int]:
    """Which of stdin, stdout and stderr are terminals (the one that may vanish)."""
    return [fd for fd in (0, 1, 2) if _isatty(fd)]


def silence(fds: list[int]) -> None:
    """Point ``fds`` at /dev/null: later reads see end of input, writes vanish."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    try:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
    finally:
        if null not in fds:
            os.close(null)


def _linux_driver() -> type[Driver]:
    from textual.drivers.linux_driver import LinuxDriver

    return LinuxDriver


def _make_guarded_driver() -> type[Driver]:
    LinuxDriver: Any = _linux_driver()  # noqa: N806 - a class

    class GuardedDriver(LinuxDriver):
        """Textual's Linux driver that leaves when its terminal does (see module doc)."""

        def __init__(self, app: App[Any], **kwargs: Any) -> None:
            super().__init__(app, **kwargs)
            self._tty = _tty_fds()
            stream = sys.__stderr__  # what Textual's driver writes to (its ``_file``)
            assert stream is not None
            self._output = GuardedOutput(stream, self.terminal_gone)
            self._file = self._output
            self._leaving: str | None = None
            self._lock = threading.Lock()
            self._signals: list[int] = []

        # -- start and stop -----------------------------------------------------------
        def start_application_mode(self) -> None:
            # Also runs on SIGCONT (resume), which a hangup sends with SIGHUP: a
            # terminal that was there and is not any more has hung up.
            if self.input_tty and not _isatty(self.fileno):
                self.terminal_gone("terminal hung up")
                return
            super().start_application_mode()
            if not self._signals:
                self._install_signals()

        def close(self) -> None:
            self._remove_signals()
            super().close()
            from tui.child_processes import stop_children

            stop_children()

        def _install_signals(self) -> None:
            for sig in (signal.SIGHUP, signal.SIGTERM):
                if signal.getsignal(sig) == signal.SIG_IGN:
                    continue  # ignored by whoever started us (nohup): keep it so
                try:
                    self._loop.add_signal_handler(sig, self._on_signal, sig)
                except (RuntimeError, ValueError, NotImplementedError):
                    continue  # not the main thread: the default action stays
                self._signals.append(sig)

        def _remove_signals(self) -> None:
            for sig in self._signals:
                with contextlib.suppress(Exception):
                    self._loop.remove_signal_handler(sig)
            self._signals.clear()

        # -- the ways out -------------------------------------------------------------
        def _on_signal(self, sig: int) -> None:
            """On the event loop (asyncio's signal handling)."""
            if self._leaving is not None:
                _force_exit(128 + sig)  # a second signal: no more waiting
            name = signal.Signals(sig).name
            self.leave(f"stopped by {name}", 128 + sig)

        def terminal_gone(self, reason: str) -> None:
            """From any thread: the terminal cannot be read or written any more."""
            silence(self._tty)
            self._output.dead = True
            _start_watchdog(EXIT_HANGUP)  # even if the event loop never gets to leave()
            try:
                self._loop.call_soon_threadsafe(self.leave, f"terminal closed ({reason})",
                                                EXIT_HANGUP)
            except RuntimeError:  # the loop is closed: the app has already gone
                pass

        def leave(self, reason: str, code: int) -> None:
            """On the event loop: keep unsaved work, then exit the app with ``code``."""
            with self._lock:
                if self._leaving is not None:
                    return
                self._leaving = reason
            _start_watchdog(code)
            app = self._app
            kept = ""
            save = getattr(app, "save_drafts", None)
            if save is not None:
                try:
                    n = int(save() or 0)
                except Exception as exc:  # noqa: BLE001 - leaving must not fail
                    kept = f"; unsaved note NOT kept: {exc}"
                else:
                    if n:
                        kept = f"; {n} unsaved note{'s' if n > 1 else ''} kept as a draft"
            from rich.text import Text

            app.exit(code, return_code=code, message=Text(f"gloss: {reason}{kept}."))

        # -- input ----------------------------------------------------------------------
        def run_input_thread(self) -> None:
            """Textual's input loop, ending on end of input or a failed read."""
            from textual._parser import ParseError
            from textual._xterm_parser import XTermParser

            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = XTermParser(self._debug)
            feed, tick = parser.feed, parser.tick
            decode = getincrementaldecoder("utf-8")().decode
            try:
                while not self.exit_event.is_set():
                    if selector.select(0.1):
                        try:
                            data = os.read(fileno, 4096)
                        except (InterruptedError, BlockingIOError):
                            continue
                        except OSError as exc:
                            self._input_ended(f"read failed: {exc.strerror or exc}")
                            return
                        if not data:
                            self._input_ended("end of input")
                            return
                        for event in feed(decode(data)):
                            self.process_message(event)
                    for event in tick():
                        self.process_message(event)
            finally:
                selector.close()
                with contextlib.suppress(EOFError, ParseError):
                    for _event in feed(""):
                        pass

        def _input_ended(self, reason: str) -> None:
            if self.input_tty:
                self.terminal_gone(reason)  # a terminal reads b"" only once hung up
            else:
                # stdin was a file or pipe: its end is not the screen's; leave politely.
                self._loop.call_soon_threadsafe(self.leave, f"input closed ({reason})",
                                                EXIT_HANGUP)

    return GuardedDriver


_watchdog_started = False


def _force_exit(code: int) -> None:
    """Leave now: stop the children, then end the process without waiting for threads."""
    from tui.child_processes import stop_children

    with contextlib.suppress(Exception):
        stop_children(grace=1.0)
    os._exit(code)


def _start_watchdog(code: int) -> None:
    """After :data:`DEADLINE` seconds of exiting, exit whatever still runs."""
    global _watchdog_started
    if _watchdog_started:
        return
    _watchdog_started = True
    deadline = float(os.environ.get("GLOSS_EXIT_DEADLINE", DEADLINE))
    timer = threading.Timer(deadline, _force_exit, args=(code,))
    timer.daemon = True
    timer.name = "gloss-exit-watchdog"
    timer.start()


_DRIVER: type[Driver] | None = None


def guarded_driver(base: type[Driver]) -> type[Driver]:
    """The guarded driver when ``base`` is Textual's Linux driver, else ``base``."""
    global _DRIVER
    if os.name != "posix" or base is not _linux_driver():
        return base
    if _DRIVER is None:
        _DRIVER = _make_guarded_driver()
    return _DRIVER


def terminal_problem() -> str | None:
    """Why the app cannot run on this process's standard input, or None."""
    stdin = sys.__stdin__
    try:
        if stdin is None:
            raise OSError(errno.EBADF, "closed")
        fd = stdin.fileno()
        os.fstat(fd)
    except (OSError, ValueError):
        return "standard input is closed: the app reads its keys from a terminal"
    if not _isatty(fd):
        return ("standard input is not a terminal: the app reads its keys from one "
                "(in scripts use a command: gloss --help)")
    return None


class TerminalGuardMixin:
    """Mixed into GlossApp: run on :class:`GuardedDriver` (see the module doc)."""

    def get_driver_class(self) -> type[Driver]:
        return guarded_driver(super().get_driver_class())  # type: ignore[misc]

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse, in one line, to start without a terminal to read keys from."""
        if not kwargs.get("headless"):
            problem = terminal_problem()
            if problem is not None:
                with contextlib.suppress(Exception):
                    print(f"gloss: error: {problem}", file=sys.stderr)
                return 2
        return super().run(*args, **kwargs)  # type: ignore[misc]
