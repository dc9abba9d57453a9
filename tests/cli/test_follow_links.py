"""``--follow-links`` reaches every command that reads a corpus, and the app."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import gloss

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks")

SECRET = "Private words of one user only, never to be shared."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "private.txt").write_text(SECRET + "\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The levee held through the night, officials said.\n")
    (corpus / "leak.txt").symlink_to(tmp_path / "private.txt")
    return corpus


@pytest.mark.parametrize("where", ["group", "command"])
def test_list_option_on_group_or_command(corpus: Path, where: str) -> None:
    args = (["--follow-links", "list", corpus] if where == "group"
            else ["list", corpus, "--follow-links"])
    assert "Private words" in gloss(*args).out
    assert "Private words" not in gloss("list", corpus).out


def test_search_reads_linked_files_only_when_asked(corpus: Path) -> None:
    assert "Private" not in gloss("search", corpus, "private").out
    r = gloss("search", corpus, "private", "--follow-links")
    assert r.code == 0 and "Private" in r.out


def test_cite_reads_linked_file_only_when_asked(corpus: Path) -> None:
    r = gloss("cite", corpus, "--doc", "leak.txt", "--quote", "Private words")
    assert r.code != 0 and "Private words of" not in r.out
    r = gloss("cite", corpus, "--doc", "leak.txt", "--quote", "Private words",
              "--follow-links")
    assert r.code == 0 and "Private words" in r.out


@pytest.mark.parametrize("command", ["annotations", "export", "similar"])
def test_other_commands_accept_the_option(corpus: Path, command: str) -> None:
    extra = ["--text", "levee held"] if command == "similar" else []
    r = gloss(command, corpus, *extra, "--follow-links")
    assert r.code == 0, r.err


@pytest.mark.parametrize("args", [["--follow-links", "{c}"], ["{c}", "--follow-links"],
                                  ["open", "{c}", "--follow-links"]])
def test_open_passes_it_to_the_app(corpus: Path, args: list[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app import GlossApp

    seen: dict[str, Any] = {}

    def run(self: GlossApp) -> int:
        seen["follow"] = self.follow_links
        seen["corpus"] = self.corpus.follow_links
        return 0

    monkeypatch.setattr(GlossApp, "run", run)
    r = gloss(*[a.format(c=corpus) for a in args])
    assert r.code == 0, r.err
    assert seen == {"follow": True, "corpus": True}
    gloss(corpus)
    assert seen == {"follow": False, "corpus": False}


def test_app_corpus_honours_follow_links(corpus: Path) -> None:
    from tui.app import GlossApp

    keys = {i.key: i for i in GlossApp(corpus, follow_links=True).corpus.scan()}
    assert not keys["leak.txt"].error
    keys = {i.key: i for i in GlossApp(corpus).corpus.scan()}
    assert keys["leak.txt"].error
