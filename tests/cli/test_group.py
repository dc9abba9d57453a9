"""The ``gloss`` click group: option placement, ``gloss PATH``, lazy imports, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotations.store import AnnotationStore
from tests.cli.runner import gloss
from tests.conftest import ROOT

DOC = "The minister said the dam was inspected in March.\nResidents disagree.\n"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.setenv("GLOSS_AUTHOR", "tester")
    monkeypatch.setenv("GLOSS_CONFIG", str(tmp_path / "config" / "settings.toml"))
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "plain.txt").write_text(DOC, encoding="utf-8")
    return root


class FakeApp:
    """Stands in for ``GlossApp``: records how the CLI constructed it."""

    made: list[tuple[Path, dict[str, Any]]] = []

    def __init__(self, path: Path, **kwargs: Any) -> None:
        FakeApp.made.append((path, kwargs))

    def run(self) -> int:
        return 0


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> type[FakeApp]:
    import tui.app

    FakeApp.made = []
    monkeypatch.setattr(tui.app, "GlossApp", FakeApp)
    for name in ("TEXTUAL_ANIMATIONS", "TEXTUAL_FPS"):  # `gloss PATH` sets them: restore
        monkeypatch.delenv(name, raising=False)
    return FakeApp


@pytest.mark.parametrize("where", ["group", "before", "after"])
def test_store_option_anywhere(corpus: Path, tmp_path: Path, where: str) -> None:
    store = tmp_path / "S"
    add = ["annotate", corpus, "--doc", "plain.txt", "--quote", "minister"]
    args = {
        "group": ["--store", store, *add],
        "before": ["annotate", "--store", store, *add[1:]],
        "after": [*add, "--store", store],
    }[where]
    r = gloss(*args)
    assert r.code == 0, r.err
    assert AnnotationStore(store).counts() == {"plain.txt": 1}
    assert not (corpus / ".gloss").exists()
    listed = gloss("--store", store, "annotations", corpus, "--json")
    assert [a["quote"] for a in json.loads(listed.out)] == ["minister"]


def test_import_with_store_between_arguments(corpus: Path, tmp_path: Path) -> None:
    store, other = tmp_path / "S", tmp_path / "T"
    assert gloss("annotate", corpus, "--doc", "plain.txt", "--quote", "dam",
                 "--store", store).code == 0
    dump = tmp_path / "dump.json"
    assert gloss("export", corpus, "--store", store, "-o", dump).code == 0
    r = gloss("import", dump, "--store", other, corpus)  # issue 11, defect 12
    assert r.code == 0 and "1 added" in r.out
    assert AnnotationStore(other).counts() == {"plain.txt": 1}


def test_group_author_applies_to_annotate(corpus: Path) -> None:
    r = gloss("--author", "lead", "annotate", corpus, "--doc", "plain.txt", "--quote", "dam")
    assert r.code == 0
    (ann,) = AnnotationStore(corpus / ".gloss").list("plain.txt")
    assert ann.author == "lead"


def test_gloss_path_opens_folder(corpus: Path, fake_app: type[FakeApp]) -> None:
    assert gloss(corpus).code == 0
    assert gloss("--store", "/tmp/s1", corpus, "--author", "x").code == 0
    assert gloss("open", corpus).code == 0
    (p1, k1), (p2, k2), (p3, _) = fake_app.made
    assert p1 == p2 == p3 == corpus
    assert k1["open_key"] is None and k1["store_dir"] is None
    assert k2["store_dir"] == Path("/tmp/s1") and k2["author"] == "x"


def test_gloss_file_opens_that_document(corpus: Path, fake_app: type[FakeApp]) -> None:
    assert gloss(corpus / "plain.txt").code == 0  # issue 11, defect 7
    ((path, kwargs),) = fake_app.made
    assert path == corpus / "plain.txt" and kwargs["open_key"] == "plain.txt"


def test_gloss_alone_opens_the_current_folder(corpus: Path, fake_app: type[FakeApp],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus)
    assert gloss().code == 0 and gloss("--store", "/tmp/s2").code == 0
    assert [p for p, _ in fake_app.made] == [Path("."), Path(".")]
    assert fake_app.made[1][1]["store_dir"] == Path("/tmp/s2")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lst"], "no such file or folder: lst (and not a command: list,"),
        (["list", "--frob"], "No such option '--frob' (see `gloss list --help`)"),
        (["annotate", "."], "Missing option '--doc'"),
        (["repair"], "Missing argument 'FILE'"),
        (["export", "--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_errors_are_one_line(corpus: Path, args: list[str], message: str,
                             fake_app: type[FakeApp]) -> None:
    r = gloss(*args)
    assert r.code == 2 and r.out == "" and not fake_app.made
    assert r.err.count("\n") == 1 and r.err.startswith("gloss: error: ") and message in r.err


def test_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys; from tui.cli import main; main(['--help']);"
        "print(sorted(m for m in sys.modules if m.startswith(('annotations', 'textual', "
        "'tui.cli.', 'tui.app'))))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    *_, loaded = r.stdout.splitlines()
    assert loaded == "['tui.cli.group', 'tui.cli.options']"
    for name in ("open", "list", "annotations", "annotate", "tags", "export", "import",
                 "similar", "repair"):
        assert f"\n  {name} " in r.stdout


def test_command_help_and_h(corpus: Path) -> None:
    r = gloss("annotations", "-h")
    assert r.code == 0 and "--store DIR" in r.out and "--json" in r.out


def test_every_command_has_help_and_takes_group_options() -> None:
    from tui.cli.group import COMMANDS

    for name in COMMANDS:
        r = gloss("--store", "/nonexistent", "--author", "x", name, "--help")
        assert r.code == 0 and r.out.startswith(f"Usage: gloss {name} "), (name, r.err)


@pytest.mark.parametrize("where", ["group", "after"])
def test_store_placement_for_tags_and_export(corpus: Path, tmp_path: Path, where: str) -> None:
    store = tmp_path / "S"
    assert gloss("annotate", corpus, "--doc", "plain.txt", "--quote", "dam", "--tag", "#Dam",
                 "--store", store).code == 0
    for cmd in (["tags", corpus], ["export", corpus, "-f", "csv"]):
        args = ["--store", store, *cmd] if where == "group" else [*cmd, "--store", store]
        r = gloss(*args)
        assert r.code == 0 and "Dam" in r.out, (cmd, r.err)


def test_closed_pipe_is_quiet(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"  # far more than a pipe holds: the writer meets EPIPE
    big.write_text("The river rose again overnight. " * 40_000, encoding="utf-8")
    exe = Path(sys.executable).with_name("gloss")
    r = subprocess.run(f"'{exe}' repair '{big}' | head -c 10; exit ${{PIPESTATUS[0]}}",
                       shell=True, executable="/bin/bash", capture_output=True, text=True,
                       timeout=120)
    assert r.stdout == "The river " and r.stderr == "" and r.returncode == 0


def test_version() -> None:
    r = gloss("--version")
    assert r.code == 0 and r.out.startswith("gloss ")


@pytest.mark.parametrize("args", [
    ["no\x1b[2Jsuch\nfolder"],
    ["list", "--fr\x1b]0;pwned\x07ob"],
    ["annotate", ".", "--doc", "k\x1b[31m", "--quote", "x"],
])
def test_error_messages_show_control_characters(args: list[str], corpus: Path,
                                                fake_app: type[FakeApp],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus)
    r = gloss(*args)
    assert r.code == 2 and r.err.startswith("gloss: error: ") and r.err.count("\n") == 1
    assert "\x1b" not in r.err and "\x07" not in r.err  # shown, never sent to the terminal
    assert "␛" in r.err or "\\x1b" in r.err
