"""``gloss cite``: the citation of a quote, in text, markdown and json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tui.cli as cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
TWINS = ROOT / "tests" / "core" / "twins"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["cite", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cite_text_with_brackets_and_link(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(SAMPLES), "--doc", "_BjBr7Kf8rA", "--quote",
                       "arrives in Lebanon now")  # as the reader shows it
    assert code == 0
    assert out.startswith("“arrives in Lebano[n.] Now” — CNN, US intel: Hezbollah")
    assert "3 Nov 2023" in out and "https://www.youtube.com/watch?v=_BjBr7Kf8rA" in out


def test_cite_json_merged_twin_has_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(TWINS), "--doc", "harbor-bridge-closes.en.vtt", "--quote",
                       "The mayor said", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["time_start"] == 9.0 and d["url"] == "https://www.youtube.com/watch?v=Qx7Lm2Rt9Vb&t=9s"
    assert d["quote"] == "The mayor said" and d["doc_key"] == "Qx7Lm2Rt9Vb"
    assert "00:00:09" in d["citation"]


def test_cite_markdown_offsets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(TWINS), "--doc", "Qx7Lm2Rt9Vb", "--start", "0", "--end",
                       "7", "--format", "markdown")
    assert code == 0 and out.startswith("“A barge” — WNN, *Harbor bridge closes after")


@pytest.mark.parametrize(("args", "message"), [
    (["--doc", "nope", "--quote", "x"], "no document 'nope'"),
    (["--doc", "Qx7Lm2Rt9Vb"], "give --quote TEXT"),
    (["--doc", "Qx7Lm2Rt9Vb", "--quote", "not in there"], "quote not found"),
    (["--doc", "Qx7Lm2Rt9Vb", "--start", "5", "--end", "999999"], "--start/--end must"),
])
def test_cite_errors(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, str(TWINS), *args)
    assert code == 2 and message in err
