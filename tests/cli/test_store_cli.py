"""``gloss store check|fix [CORPUS]`` and ``gloss list --follow-links``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations.annotation import Annotation
from annotations.store import AnnotationStore
from tests.cli.runner import gloss

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _shared_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o2775)
    (corpus / "a.txt").write_text("The levee held through the night, officials said.\n")
    store = AnnotationStore(corpus / ".gloss", fsync=False)
    store.add(Annotation(doc_key="a.txt", raw_start=4, raw_end=9, quote="levee", author="t"))
    return corpus


def test_store_check_ok_then_problem_then_fix(tmp_path: Path) -> None:
    corpus = _shared_corpus(tmp_path)
    r = gloss("store", "check", corpus)
    assert r.code == 0, r.err
    assert f"Store: {corpus / '.gloss'} (shared with group" in r.out and "OK:" in r.out
    doc = next((corpus / ".gloss" / "docs").glob("*.json"))
    doc.chmod(0o600)
    (corpus / ".gloss" / "index.log").unlink()
    os.mkfifo(corpus / ".gloss" / "index.log")
    r = gloss("store", "check", corpus)
    assert r.code == 1
    assert f"docs/{doc.name}" in r.out and "group cannot read it" in r.out
    assert "index.log" in r.out and "FIFO" in r.out
    r = gloss("store", "fix", corpus)
    assert r.code == 0, r.out + r.err
    assert "fixed: index.log: removed" in r.out and "OK:" in r.out
    assert doc.stat().st_mode & 0o060 == 0o060


def test_store_check_private_corpus_says_how_to_share(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o755)
    AnnotationStore(corpus / ".gloss", fsync=False)
    r = gloss("store", "check", corpus)
    assert r.code == 0 and "(private)" in r.out and "Team setup" in r.out


def test_store_check_no_store_yet(tmp_path: Path) -> None:
    r = gloss("store", "check", tmp_path)
    assert r.code == 0 and "does not exist yet" in r.out


def test_list_follow_links(tmp_path: Path) -> None:
    (tmp_path / "private.txt").write_text("Private words of one user only.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leak.txt").symlink_to(tmp_path / "private.txt")
    r = gloss("list", corpus)
    assert "link outside the corpus" in r.out and "Private words" not in r.out
    r = gloss("list", corpus, "--follow-links")
    assert "Private words" in r.out
