"""``gloss export`` / ``gloss import`` through click's CliRunner (tests/cli/runner.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotations.corpus import Corpus
from annotations.store import AnnotationStore
from tests.cli.runner import gloss
from tests.core.test_exchange import PLAIN, SRT, TAGGED, ann_on, copy_samples, validator


@pytest.fixture()
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A corpus with three annotations in a store under tmp; cwd is the corpus."""
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    corpus = copy_samples(tmp_path / "corpus")
    store_dir = tmp_path / "store"
    store = AnnotationStore(store_dir, fsync=False)
    store.add(ann_on(corpus, PLAIN, 10, 35, tags=["claim"], verdict="misleading",
                     author="ann", note="=cmd|' /C calc'!A0"))
    store.add(ann_on(corpus, TAGGED, 0, 40, tags=["Claim", "missiles"], author="bob"))
    second = ann_on(corpus, SRT, 5, 40, verdict="false", author="ann")
    second.created = second.updated = "2020-01-01T00:00:00.000000Z"
    store.add(second)
    monkeypatch.chdir(corpus.root)
    return corpus.root, store_dir


def run(args: list[str], capsys: object = None) -> tuple[int, str, str]:
    r = gloss(*args)
    return r.code, r.out, r.err


def test_export_json_to_stdout_by_default(setup: tuple[Path, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _, store = setup
    code, out, err = run(["export", "--store", str(store)], capsys)
    assert code == 0
    doc = json.loads(out)
    validator("gloss.annotations-2").validate(doc)
    assert doc["count"] == 3 and err.strip() == "gloss: exported 3 annotations as json to stdout"


@pytest.mark.parametrize(("flags", "count"), [
    (["--doc", PLAIN], 1),
    (["--tag", "claim"], 2),
    (["--verdict", "false"], 1),
    (["--author", "ann"], 2),
    (["--since", "2021-01-01"], 2),
    (["--author", "ann", "--since", "2021-01-01"], 1),
    (["--doc", "nope"], 0),
    (["--tag", "claim", "--tag", "missiles"], 2),
    (["--verdict", "false", "--verdict", "misleading"], 2),
    (["--match", "tag:claim -author:bob"], 1),
    (["--match", "channel:cnn"], 1),
])
def test_export_filters(setup: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                        flags: list[str], count: int) -> None:
    corpus, store = setup
    code, out, _ = run(["export", str(corpus), "--store", str(store), *flags], capsys)
    assert code == 0 and json.loads(out)["count"] == count


def test_export_formats_to_files(setup: tuple[Path, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = setup
    for fmt in ("w3c", "csv", "markdown"):
        dest = tmp_path / f"out.{fmt}"
        code, out, err = run(["export", str(corpus), "--store", str(store), "--format", fmt,
                              "-o", str(dest)], capsys)
        assert code == 0 and out == "" and f"as {fmt} to {dest}" in err
        assert not dest.with_name(dest.name + ".part").exists()
    validator("w3c-annotation-collection").validate(
        json.loads((tmp_path / "out.w3c").read_text(encoding="utf-8")))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 3 and rows[0]["note"] == "'=cmd|' /C calc'!A0"
    md = (tmp_path / "out.markdown").read_text(encoding="utf-8")
    assert md.count("\n## ") == 3 and "*CNN · 2023-11-03 · key `_BjBr7Kf8rA`*" in md


def test_export_errors(setup: tuple[Path, Path], tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = setup
    code, _, err = run(["export", "--store", str(store), "--since", "last week"], capsys)
    assert code == 2 and err.startswith("gloss: error: --since: not a date")
    code, _, err = run(["export", str(tmp_path / "missing")], capsys)
    assert code == 2 and "no such file or folder" in err
    code, _, err = run(["export", "--store", str(store), "-o", str(tmp_path / "no/dir/x.json")],
                       capsys)
    assert code == 2 and err.count("\n") == 1 and "cannot write" in err


def test_round_trip_and_idempotent_import(setup: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = setup
    for fmt in ("json", "w3c"):
        dest = tmp_path / f"a.{fmt}"
        assert run(["export", "--store", str(store), "-f", fmt, "-o", str(dest)], capsys)[0] == 0
        other = tmp_path / f"store-{fmt}"
        code, out, err = run(["import", str(dest), str(corpus), "--store", str(other)], capsys)
        assert code == 0 and err == ""
        assert out.strip() == f"gloss: imported 3 annotations from a.{fmt} ({fmt}): 3 added, " \
                              "0 updated, 0 unchanged"
        code, out, _ = run(["import", str(dest), "--store", str(other)], capsys)
        assert code == 0 and "0 added, 0 updated, 3 unchanged" in out
        back = tmp_path / f"b.{fmt}"
        assert run(["export", "--store", str(other), "-f", fmt, "-o", str(back)], capsys)[0] == 0
        key = "annotations" if fmt == "json" else "first"
        assert json.loads(back.read_text())[key] == json.loads(dest.read_text())[key]


def test_import_errors_write_nothing(setup: tuple[Path, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = setup
    good = tmp_path / "good.json"
    assert run(["export", "--store", str(store), "-o", str(good)], capsys)[0] == 0
    text = good.read_text(encoding="utf-8")
    target = tmp_path / "target"
    cases = {
        "cut.json": (text[: len(text) // 2], "invalid JSON: unexpected end of file (truncated?)"),
        "off.json": (text.replace('"raw_end": 35', '"raw_end": 36'),
                     "annotations[0].raw_end: 36 does not match the quote"),
        "other.json": ('{"hello": "world"}', "not a gloss export"),
    }
    for name, (body, message) in cases.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        code, out, err = run(["import", str(path), str(corpus), "--store", str(target)], capsys)
        assert code == 2 and out == ""
        assert err.startswith(f"gloss: error: {name}: ") and err.count("\n") == 1
        assert message in err
    assert not list((target / "docs").glob("*.json"))
    code, _, err = run(["import", str(tmp_path / "nope.json"), "--store", str(target)], capsys)
    assert code == 2 and "no such file" in err


def test_import_reports_orphans_and_dry_run(setup: tuple[Path, Path], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = setup
    dump = tmp_path / "all.json"
    assert run(["export", "--store", str(store), "-o", str(dump)], capsys)[0] == 0
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    target = tmp_path / "t"
    code, out, _ = run(["import", str(dump), str(empty), "--store", str(target), "--dry-run"],
                       capsys)
    assert code == 0 and "dry run" in out and "3 kept as orphans" in out
    assert not list((target / "docs").glob("*.json"))
    code, out, _ = run(["import", str(dump), str(empty), "--store", str(target)], capsys)
    assert code == 0 and "3 added" in out and "not in the corpus: " in out
    assert len(AnnotationStore(target, fsync=False)) == 3
    assert isinstance(Corpus(corpus), Corpus)


def test_stdout_export_summary_starts_its_own_line(setup: tuple[Path, Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary on stderr shares the terminal with stdout: output not ending its line
    (a writer's last line) must not make ``…to stdoutgloss: note: …`` run together."""
    import tui.cli.exchange_cmd as exchange_cmd

    def export(anns: object, fmt: str, out: io.StringIO, corpus: object) -> int:
        out.write("# report\n\nlast line without newline")
        return 0

    monkeypatch.setattr(exchange_cmd, "export", export)
    _, store = setup
    code, out, err = run(["export", "--store", str(store), "--format", "markdown"])
    assert code == 0 and out.endswith("without newline\n")
    assert err.endswith("to stdout\n")
