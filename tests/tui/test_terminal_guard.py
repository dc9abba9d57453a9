"""gloss leaves cleanly when its terminal goes away, and keeps the note being typed.

Each test runs the real app in a pseudo-terminal (``pty.fork``: the pty is its
controlling terminal) and ends it the way a dropped connection does: the master
side closed with SIGHUP ignored (``su``/``sudo`` in a killed tmux: no SIGHUP
reaches the app), the master closed with SIGHUP delivered, or SIGTERM. The
process must exit within a generous bound (polled, not timed) without spinning
(CPU used while exiting stays low: the unguarded app burns a full core), with
the annotation acknowledged just before on disk, its index worker gone and an
unsaved note kept as a draft that the next start offers back.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from tests.tui.pty_session import ROOT, PtySession, alive, gloss_argv, poll, proc_stat
from tui import drafts

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux pty and /proc")

DOC = (
    "Harbor council delays vote on ferry fares\n"
    "The harbor council put off its vote on ferry fares until next month. "
    "Councillor Dana Reyes said the figures were not ready. "
    "Commuters packed the hall and several spoke against the rise. "
    "The ferry operator said costs had grown by a third since the spring.\n"
)
OTHER = (
    "Storm closes mountain pass for a second day\n"
    "Snow and high winds kept the pass closed on Tuesday. "
    "Crews said the road could reopen by the weekend.\n"
)
CPU_WHILE_EXITING = 3.0  # seconds of CPU; the unguarded app spins a core until killed


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[dict[str, Path]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_harbor.txt").write_text(DOC, encoding="utf-8")
    (corpus / "b_storm.txt").write_text(OTHER, encoding="utf-8")
    paths = {"corpus": corpus, "store": tmp_path / "store", "data": tmp_path / "data",
             "pid": tmp_path / "worker.pid"}
    yield paths
    if paths["pid"].exists():  # a failed test must not leave its stand-in worker behind
        worker = int(paths["pid"].read_text())
        if alive(worker):
            os.kill(worker, signal.SIGKILL)


def env_for(paths: dict[str, Path]) -> dict[str, str]:
    return {
        "XDG_DATA_HOME": str(paths["data"]),  # drafts go to a private temporary folder
        "GLOSS_EXIT_DEADLINE": "120",  # the watchdog must not be what ends the app here
        "PYTHONPATH": str(ROOT),
    }


def start(paths: dict[str, Path], *, ignore_sighup: bool = False, with_worker: bool = False,
          stuck: bool = False, deadline: str = "120") -> PtySession:
    if with_worker:
        argv = [sys.executable, str(ROOT / "tests" / "tui" / "guard_launcher.py"),
                str(paths["corpus"]), str(paths["store"]), str(paths["pid"])]
        argv += ["stuck"] if stuck else []
    else:
        argv = gloss_argv(str(paths["corpus"]), "--store", str(paths["store"]))
    env = {**env_for(paths), "GLOSS_EXIT_DEADLINE": deadline}
    session = PtySession(argv, env, ignore_sighup=ignore_sighup)
    session.wait_for("Harbor council delays")
    return session


def highlight_first_sentence(session: PtySession) -> None:
    session.send("\r")  # open the document under the cursor
    session.wait_for(" words ·")  # its status line: the text is on screen
    session.send("s")  # select the sentence at the cursor
    session.wait_for("selected raw")
    session.send("h")  # highlight: acknowledged once the store has it
    session.wait_for("Saved highlight")


def stored(paths: dict[str, Path]) -> list:  # type: ignore[type-arg]
    return list(AnnotationStore(paths["store"]).iter_all())


def assert_left_cleanly(session: PtySession, code: int) -> None:
    exited = session.wait_exit()
    if not exited:
        st = proc_stat(session.pid)
        session.kill()
        pytest.fail(f"gloss still running after the terminal went away ({st})")
    assert session.exit_code == code
    assert session.cpu_while_exiting() < CPU_WHILE_EXITING


@pytest.fixture
def sessions():  # type: ignore[no-untyped-def]
    started: list[PtySession] = []
    yield started
    for s in started:
        s.kill()


def test_terminal_closed_without_sighup(setup, sessions) -> None:  # type: ignore[no-untyped-def]
    """The issue's case: the terminal vanishes and no SIGHUP arrives."""
    session = start(setup, ignore_sighup=True, with_worker=True)
    sessions.append(session)
    highlight_first_sentence(session)
    assert poll(lambda: setup["pid"].exists())
    worker = int(setup["pid"].read_text())
    assert alive(worker)
    session.close_terminal()
    assert_left_cleanly(session, 129)
    assert poll(lambda: not alive(worker)), "the index worker outlived gloss"
    anns = stored(setup)
    assert len(anns) == 1 and "put off its vote" in anns[0].quote and anns[0].quote in DOC


def test_a_thread_that_never_ends_does_not_keep_gloss(setup, sessions) -> None:  # type: ignore[no-untyped-def]
    """Python waits for running thread workers at exit; the exit watchdog does not."""
    session = start(setup, ignore_sighup=True, with_worker=True, stuck=True, deadline="2")
    sessions.append(session)
    highlight_first_sentence(session)
    assert poll(lambda: setup["pid"].exists())
    worker = int(setup["pid"].read_text())
    session.close_terminal()
    assert_left_cleanly(session, 129)
    assert poll(lambda: not alive(worker))
    assert len(stored(setup)) == 1


def test_terminal_closed_with_sighup(setup, sessions) -> None:  # type: ignore[no-untyped-def]
    session = start(setup)
    sessions.append(session)
    highlight_first_sentence(session)
    session.close_terminal()
    assert_left_cleanly(session, 129)
    assert len(stored(setup)) == 1


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_with_terminal_alive(setup, sessions, sig) -> None:  # type: ignore[no-untyped-def]
    """Terminal still there: the modes are restored and the reason is said."""
    session = start(setup, with_worker=True)
    sessions.append(session)
    highlight_first_sentence(session)
    assert poll(lambda: setup["pid"].exists())
    worker = int(setup["pid"].read_text())
    session.signal(sig)
    assert_left_cleanly(session, 128 + sig)
    tail = bytes(session.out[-600:])
    assert b"\x1b[?1049l" in tail  # left the alternate screen
    assert f"stopped by {signal.Signals(sig).name}" in session.screen_text()
    assert poll(lambda: not alive(worker)), "the index worker outlived gloss"
    assert len(stored(setup)) == 1


def test_unsaved_note_is_kept_and_offered_back(setup, sessions) -> None:  # type: ignore[no-untyped-def]
    session = start(setup, ignore_sighup=True)
    sessions.append(session)
    highlight_first_sentence(session)
    session.send("e")  # the note editor on the highlight
    session.wait_for("Ctrl+S save")
    session.send("Reyes denies this")
    session.wait_for("Reyes denies this")
    session.close_terminal()
    assert_left_cleanly(session, 129)

    kept = drafts.load(setup["data"] / "gloss" / "drafts")
    (ann,) = stored(setup)
    assert ann.note == ""  # never saved: only a draft
    assert [(d.note, d.quote, d.ann_id) for d in kept] == [("Reyes denies this", ann.quote, ann.id)]

    again = start(setup)
    sessions.append(again)
    again.wait_for("Unsaved note kept")
    again.send("\x10")  # Ctrl+P: the command palette
    again.wait_for("Search for commands")
    again.send("restore unsaved")
    again.wait_for("Notes: restore unsaved draft")
    again.send("\r")
    again.wait_for("Ctrl+S save")
    again.send(" at all")
    again.wait_for("at all")
    again.send("\x13")  # Ctrl+S
    again.wait_for("Saved note")
    assert [a.note for a in stored(setup)] == ["Reyes denies this at all"]
    assert drafts.load(setup["data"] / "gloss" / "drafts") == []
    again.send("q")
    assert again.wait_exit()
    assert again.exit_code == 0


@pytest.mark.parametrize("redirect", ["< /dev/null", "<&-"])
def test_no_terminal_on_stdin_is_one_line(setup, sessions, redirect) -> None:  # type: ignore[no-untyped-def]
    """stdin at its end or closed (``gloss DIR < /dev/null`` in a terminal): no app, no traceback."""
    argv = ["/bin/sh", "-c", f'exec "$@" {redirect}', "sh",
            *gloss_argv(str(setup["corpus"]), "--store", str(setup["store"]))]
    session = PtySession(argv, env_for(setup))
    sessions.append(session)
    assert session.wait_exit(), "gloss kept running without input"
    assert session.exit_code == 2
    text = session.screen_text()
    assert "gloss: error: standard input is" in text and "Traceback" not in text
