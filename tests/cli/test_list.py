"""``gloss list PATH [--json]``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli.runner import gloss as run_gloss
from tests.conftest import ROOT, MakeCorpus


def gloss(*args: str) -> tuple[int, str, str]:
    """``gloss list ARGS…`` in-process (click's CliRunner)."""
    r = run_gloss("list", *args)
    return r.code, r.out, r.err


def test_table_lists_sample_docs(sample_docs: Path) -> None:
    code, out, err = gloss(str(sample_docs))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["TITLE", "CHANNEL", "DATE", "WORDS", "FORMAT", "KEY", "PATH",
                                "PROBLEMS"]
    assert any("US intel: Hezbollah" in line and "2023-11-03" in line and "1074" in line
               and "_BjBr7Kf8rA" in line for line in lines)
    assert any(" vtt " in line and "kentucky-dam" in line for line in lines)
    assert lines[-1] == "4 documents"
    assert out.isascii()  # the samples have ASCII titles: no box drawing, no ellipsis


def test_json_fields_and_problems(make_corpus: MakeCorpus) -> None:
    root = make_corpus({
        "en_DW/a.txt": "<video_id>id1</video_id>\n<publish_date>20240131</publish_date>\n"
                       "<doc>\none two three",
        "bin.txt": b"\x00\x00\x00binary",
    })
    code, out, _ = gloss(str(root), "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["path"] for r in rows] == ["bin.txt", "en_DW/a.txt"]
    assert set(rows[0]) == {"title", "channel", "date", "words", "format", "key", "path",
                            "problems", "sources"}
    assert rows[0]["problems"] == ["binary file (contains NUL bytes)"] and rows[0]["words"] is None
    a = rows[1]
    assert (a["key"], a["channel"], a["date"], a["words"], a["format"]) == (
        "id1", "DW", "2024-01-31", 3, "tagged")
    assert a["problems"] == ["unclosed <doc>: text runs to end of file"]


def test_text_is_data_not_markup(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"x.txt": "[bold red]Loud[/] \x1b[2J title\tend\nbody"})
    code, out, _ = gloss(str(root))
    assert code == 0
    assert "[bold red]Loud[/]" in out and "\x1b" not in out and "\t" not in out


def test_missing_path_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = gloss(str(tmp_path / "absent"))
    assert code == 2 and out == ""
    assert err.splitlines() == [f"gloss: error: no such file or folder: {tmp_path / 'absent'}"]


def test_single_file(sample_docs: Path) -> None:
    code, out, _ = gloss(str(sample_docs / "riverton-transit-strike.srt"),
                         "--json")
    rows = json.loads(out)
    assert code == 0 and [r["key"] for r in rows] == ["riverton-transit-strike.srt"]
    assert rows[0]["words"] == 286


def test_gloss_list_subprocess(sample_docs: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("gloss")
    ok = subprocess.run([str(exe), "list", str(sample_docs), "--json"], cwd=ROOT,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)) == 4
    bad = subprocess.run([str(exe), "list", str(tmp_path / "nope")], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1


def test_json_escapes_every_terminal_control(make_corpus: MakeCorpus) -> None:
    title = "C1\x9b2J DEL\x7f sep\u2028 bidi\u202e end"
    root = make_corpus({"x.txt": f"{title}\nbody text"})
    code, out, _ = gloss(str(root), "--json")
    assert code == 0 and json.loads(out)[0]["title"].startswith("C1\x9b2J DEL\x7f")
    assert not any(c in out for c in "\x9b\x7f\u2028\u202e")
