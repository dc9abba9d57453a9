"""``gloss annotate`` / ``annotations`` / ``tags`` run headless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from tests.cli.runner import Run
from tests.cli.runner import gloss as run_gloss

PLAIN = (
    "The minister said the dam was inspected in March.\n"
    "Residents disagree. The river is expected to crest tonight.\n"
)
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
The levee held overnight

00:00:04.500 --> 00:00:08.000
but crews are still pumping water
"""


LAST: list[Run] = []


def gloss(*argv: str) -> int:
    """Exit status of ``gloss ARGV``; its output is ``last()``."""
    LAST[:] = [run_gloss(*argv)]
    return LAST[0].code


def last() -> Run:
    return LAST[0]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.setenv("GLOSS_AUTHOR", "cli-tester")
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "plain.txt").write_text(PLAIN, encoding="utf-8")
    (root / "levee.vtt").write_text(VTT, encoding="utf-8")
    return root


def _store(corpus: Path) -> AnnotationStore:
    return AnnotationStore(corpus / ".gloss")


def test_annotate_by_offsets_and_quote(corpus: Path) -> None:
    assert (
        gloss(
            "annotate",
            str(corpus),
            "--doc",
            "plain.txt",
            "--start",
            "4",
            "--end",
            "12",
            "--tag",
            "claim",
            "--tag",
            "dam",
            "--note",
            "check",
            "--verdict",
            "false",
            "--color",
            "red",
        )
        == 0
    )
    ann_id = last().out.strip()
    a = _store(corpus).get("plain.txt", ann_id)
    assert a is not None and a.quote == "minister" and a.tags == ["claim", "dam"]
    assert (a.note, a.verdict, a.color, a.author) == ("check", "false", "red", "cli-tester")
    assert a.prefix == "The " and a.suffix.startswith(" said") and a.doc_hash
    assert a.time_start is None  # plain text has no cues
    assert (
        gloss(
            "annotate",
            str(corpus),
            "--doc",
            "plain.txt",
            "--quote",
            "expected to crest",
            "--author",
            "someone",
        )
        == 0
    )
    a2 = _store(corpus).get("plain.txt", last().out.strip())
    assert a2 is not None and PLAIN[a2.raw_start : a2.raw_end] == "expected to crest"
    assert a2.author == "someone"


def test_annotate_caption_gets_time_span(corpus: Path) -> None:
    assert gloss("annotate", str(corpus), "--doc", "levee.vtt", "--quote", "crews are still") == 0
    a = _store(corpus).get("levee.vtt", last().out.strip())
    assert a is not None and (a.time_start, a.time_end) == (4.5, 8.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--doc", "nope.txt", "--start", "0", "--end", "3"], "unknown document key"),
        (["--doc", "plain.txt", "--quote", "not in there"], "quote not found"),
        (["--doc", "plain.txt", "--start", "5", "--end", "100000"], "out of range"),
        (["--doc", "plain.txt", "--start", "5", "--end", "5"], "out of range"),
        (
            ["--doc", "plain.txt", "--start", "0", "--end", "3", "--verdict", "maybe"],
            "unknown verdict",
        ),
        (
            ["--doc", "plain.txt", "--start", "0", "--end", "3", "--color", "plaid"],
            "unknown colour",
        ),
        (["--doc", "plain.txt"], "--start N --end M, or --quote"),
    ],
)
def test_annotate_errors_write_nothing(
    corpus: Path, args: list[str], message: str
) -> None:
    assert gloss("annotate", str(corpus), *args) == 2
    captured = last()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("gloss: error: ") and message in err and "\n" not in err
    assert _store(corpus).counts() == {}


def test_annotations_lists_reanchored_and_orphans(
    corpus: Path
) -> None:
    for quote in ("Residents disagree.", "inspected in March", "The minister"):
        assert (
            gloss("annotate", str(corpus), "--doc", "plain.txt", "--quote", quote, "--tag", "t")
            == 0
        )
    # The document changes: text inserted in front, one quoted sentence removed.
    (corpus / "plain.txt").write_text(
        "UPDATE: " + PLAIN.replace("Residents disagree. ", ""), encoding="utf-8"
    )
    assert gloss("annotations", str(corpus), "--json") == 0
    rows = json.loads(last().out)
    by_quote = {r["quote"]: r for r in rows}
    new = (corpus / "plain.txt").read_text(encoding="utf-8")
    moved = by_quote["inspected in March"]
    assert moved["status"] == "moved" and not moved["orphan"]
    assert new[moved["raw_start"] : moved["raw_end"]] == "inspected in March"
    gone = by_quote["Residents disagree."]
    assert gone["status"] == "orphan" and gone["orphan"] is True  # listed, not deleted
    assert len(_store(corpus).list("plain.txt")) == 3
    assert gloss("annotations", str(corpus), "--doc", "plain.txt") == 0
    header, *lines = last().out.splitlines()
    assert header.split("\t")[:3] == ["DOC", "START-END", "STATUS"]
    assert len(lines) == 3 and sum("orphan" in line for line in lines) == 1
    assert last().err == "3 annotations in 1 document, 1 orphaned (filter: doc:plain.txt)\n"
    assert gloss("annotations", str(corpus), "--doc", "missing.txt") == 2


def test_tags_list_and_rename(corpus: Path) -> None:
    for tags in (["claim", "gaza"], ["claim"], ["#Claim", "CLAIM"]):
        extra = [x for t in tags for x in ("--tag", t)]
        assert (
            gloss("annotate", str(corpus), "--doc", "plain.txt", "--quote", "minister", *extra) == 0
        )
    assert gloss("tags", str(corpus)) == 0  # one tag, spelled as first used (defect 10)
    assert last().out.splitlines() == ["3\tclaim", "1\tgaza"]
    # A store written before tags were normalised may hold both spellings: merge them.
    old = _store(corpus).list("plain.txt")[-1]
    old.tags = ["Claim"]
    _store(corpus).update(old)
    assert gloss("tags", str(corpus)) == 0
    assert last().out.splitlines() == ["2\tclaim", "1\tClaim", "1\tgaza"]
    assert gloss("tags", str(corpus), "--rename", "Claim", "claim") == 0
    assert "merged into 'claim' on 1 annotation" in last().out
    assert gloss("tags", str(corpus), "--rename", "#GAZA", "#region") == 0
    assert "renamed to 'region'" in last().out
    assert _store(corpus).tag_counts() == {"claim": 3, "region": 1}
    assert gloss("tags", str(corpus), "--rename", "absent", "x") == 2
    assert "no annotation has the tag" in last().err


def test_store_flag_and_read_only_store(
    corpus: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert (
        gloss(
            "annotate",
            str(corpus),
            "--doc",
            "plain.txt",
            "--quote",
            "minister",
            "--store",
            str(elsewhere),
        )
        == 0
    )
    assert AnnotationStore(elsewhere).counts() == {"plain.txt": 1}
    assert not (corpus / ".gloss").exists()
    doc_file = AnnotationStore(elsewhere).path("plain.txt")
    before = doc_file.read_bytes()
    doc_file.chmod(0o444)
    try:
        assert (
            gloss(
                "annotate",
                str(corpus),
                "--doc",
                "plain.txt",
                "--quote",
                "minister",
                "--store",
                str(elsewhere),
            )
            == 2
        )
        err = last().err
        assert str(doc_file) in err and "read-only" in err
        assert doc_file.read_bytes() == before
    finally:
        doc_file.chmod(0o644)


def test_unknown_corpus(tmp_path: Path) -> None:
    assert gloss("annotations", str(tmp_path / "nowhere")) == 2
    assert "no such file or folder" in last().err


def test_through_the_gloss_entry_point(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    assert main(["annotate", str(corpus), "--doc", "plain.txt", "--quote", "minister"]) == 0
    ann_id = capsys.readouterr().out.strip()
    assert main(["annotations", str(corpus), "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [ann_id]
