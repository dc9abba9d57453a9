"""``gloss similar``: JSON shape, text output, errors (one line, exit 2), store folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import gloss
from tests.core.test_similar import QUOTE_A, QUOTE_B, write_similar_corpus

FIELDS = {"score", "key", "title", "channel", "date", "path", "raw_start", "raw_end",
          "time_start", "time_end", "text"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_similar_corpus(tmp_path_factory.mktemp("similar") / "corpus")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


def run(capsys: object, *args: str) -> tuple[int, str, str]:
    r = gloss("similar", *args)
    return r.code, r.out, r.err


def test_json_list_of_objects(corpus: Path, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(corpus), "--text", QUOTE_A, "--json", "--store", str(store))
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) >= 3
    assert all(set(r) == FIELDS for r in rows)
    beta = next(r for r in rows if r["key"] == "vidBETA0002")
    assert beta["title"] == "Harbour wall delays" and beta["channel"] == "TWO"
    assert beta["date"] == "2024-02-10" and beta["path"] == "en_TWO/beta.txt"
    raw = (corpus / "en_TWO/beta.txt").read_text(encoding="utf-8")
    assert "Tollington" in raw[raw.index("<doc>\n") + 6 :][beta["raw_start"] : beta["raw_end"]]
    assert rows[0]["score"] >= rows[-1]["score"] >= 65
    assert "indexing passages" in err or not err  # progress only while building
    assert list((store / "similar").glob("shard-*.idx"))


def test_doc_and_offset(corpus: Path, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (corpus / "en_THREE/delta.txt").read_text(encoding="utf-8")
    offset = body[body.index("<doc>\n") + 6 :].index(QUOTE_B) + 20
    code, out, _ = run(capsys, str(corpus), "--doc", "vidDELTA003", "--offset", str(offset),
                       "--store", str(store), "--json")
    assert code == 0
    assert all(r["key"] != "vidDELTA003" for r in json.loads(out))
    code, out, _ = run(capsys, str(corpus), "--doc", "vidDELTA003", "--offset", str(offset),
                       "--store", str(store), "--same", "--top", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Similar to: “") and "Wendle" in lines[0]
    assert "Frost in the Wendle valley" in lines[1] and "THREE" in lines[1]
    assert "vidDELTA003  raw " in lines[2]
    assert len(lines) == 4


def test_text_output_and_no_match(corpus: Path, store: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(corpus), "--text", QUOTE_A, "--top", "2", "--store", str(store))
    assert code == 0 and out.count("raw ") == 2
    code, out, _ = run(capsys, str(corpus), "--text", "entirely different words about opera "
                       "houses in distant mountain towns", "--store", str(store))
    assert code == 0 and "No passages scored" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--doc", "nope", "--offset", "3"], "no document with key 'nope'"),
        (["--doc", "vidDELTA003", "--offset", "999999"], "outside the document"),
        (["--doc", "vidDELTA003", "--offset", "-5"], "outside the document"),
        (["--doc", "vidDELTA003"], "--doc needs --offset"),
        ([], "either --doc KEY --offset N or --text TEXT"),
        (["--text", "x", "--doc", "vidDELTA003", "--offset", "1"], "either --doc"),
        (["--text", "  "], "--text is empty"),
    ],
)
def test_errors_are_one_line(corpus: Path, store: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    code, out, err = run(capsys, str(corpus), *args, "--store", str(store))
    lines = [x for x in err.splitlines() if not x.startswith("indexing passages")]
    assert code == 2 and out == ""
    assert len(lines) == 1 and lines[0].startswith("gloss: error: ") and message in lines[0]


def test_missing_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(tmp_path / "missing"), "--text", "hello there")
    assert code == 2 and out == "" and err.startswith("gloss: error: no such file or folder")
    assert len(err.splitlines()) == 1


def test_default_store_is_in_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    root = write_similar_corpus(tmp_path / "c")
    code, out, _ = run(capsys, str(root), "--text", QUOTE_B, "--json")
    assert code == 0 and json.loads(out)[0]["key"] == "vidDELTA003"
    assert list((root / ".gloss" / "similar").glob("shard-*.idx"))
