"""`gloss list | head`, `gloss export … | head`: a closed pipe ends a command quietly.

Runs the installed console script (the entry point is where this is handled,
:mod:`tui.entry`) with its standard output a pipe whose reader has already
gone: the first write (or the final flush) meets EPIPE. Expected: status 0, and
nothing on stderr (no traceback, no "Exception ignored … BrokenPipeError").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.pty_session import gloss_argv

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX pipes")


def corpus(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"report_{i:04d}.txt").write_text(
            f"Harbor report number {i}\nThe council met on ferry fares. Item {i} was read.\n",
            encoding="utf-8")
    return root


def run_into_closed_pipe(*args: str, stdin: int | None = None) -> subprocess.CompletedProcess[bytes]:
    r, w = os.pipe()
    os.close(r)  # the reader is gone before gloss writes a byte
    try:
        return subprocess.run(gloss_argv(*args), stdout=w, stderr=subprocess.PIPE,
                              stdin=stdin, timeout=120, check=False)
    finally:
        os.close(w)


@pytest.mark.parametrize("docs", [2, 400], ids=["buffered-until-exit", "written-at-once"])
def test_list_into_closed_pipe(tmp_path: Path, docs: int) -> None:
    root = corpus(tmp_path / "c", docs)
    done = run_into_closed_pipe("list", str(root))
    assert done.stderr.decode() == ""
    assert done.returncode == 0


@pytest.mark.parametrize("notes", [1, 300], ids=["buffered-until-exit", "written-at-once"])
def test_export_into_closed_pipe(tmp_path: Path, notes: int) -> None:
    from annotations.anchor import annotate_span
    from annotations.corpus import Corpus
    from annotations.store import AnnotationStore

    root = corpus(tmp_path / "c", 3)
    store = tmp_path / "store"
    docs = Corpus(root)
    doc = docs.load(next(i for i in docs.scan() if i.rel_path == "report_0000.txt"))
    start = doc.raw.index("The council met")
    AnnotationStore(store).bulk_load(
        annotate_span(doc, start, start + 15, note=f"note {i}") for i in range(notes))
    done = run_into_closed_pipe("export", str(root), "--store", str(store), "--format", "json")
    assert done.stderr.decode() == ""
    assert done.returncode == 0


def test_closed_stdin_and_closed_pipe(tmp_path: Path) -> None:
    """Standard input closed too (``<&-``): the command does not need it."""
    root = corpus(tmp_path / "c", 2)
    r, w = os.pipe()
    os.close(r)
    try:
        done = subprocess.run(
            ["/bin/sh", "-c", 'exec "$@" <&-', "sh", *gloss_argv("list", str(root))],
            stdout=w, stderr=subprocess.PIPE, timeout=120, check=False)
    finally:
        os.close(w)
    assert done.stderr.decode() == ""
    assert done.returncode == 0


def test_entry_returns_status_and_message(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Unit: the wrapper passes ordinary statuses through."""
    from tui import entry

    monkeypatch.setattr(sys, "argv", ["gloss", "no-such-command-or-path"])
    assert entry.run() == 2
    assert "no such file or folder" in capsys.readouterr().err
