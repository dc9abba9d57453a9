"""``gloss config path|show`` and settings used by the CLI (store, author, cutoff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from tests.cli.runner import gloss
from tui import settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cfg" / "settings.toml"
    monkeypatch.setenv("GLOSS_CONFIG", str(path))
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.delenv("GLOSS_AUTHOR", raising=False)
    monkeypatch.setattr(settings, "_CACHE", {})
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("The dam was inspected in March.\n", encoding="utf-8")
    return root


def test_path_and_show_without_a_file(config: Path) -> None:
    assert gloss("config", "path").out == f"{config}\n"
    r = gloss("config", "show")
    assert r.code == 0 and r.err == ""
    assert r.out.startswith(f"# {config} (absent: all defaults)\n")
    assert "# theme = …" in r.out and 'animation = "auto"' in r.out


def test_show_values_visible_and_problems_on_stderr(config: Path) -> None:
    config.parent.mkdir()
    config.write_text('theme = "nord"\nfps = "fast"\n[keys]\n"app.quit" = "ctrl+q"\n'
                      '"x\\u001b[2J" = "f2"\n', encoding="utf-8")
    r = gloss("config", "show")
    assert r.code == 0
    assert 'theme = "nord"' in r.out and '"app.quit" = "ctrl+q"' in r.out
    assert "\x1b" not in r.out + r.err
    assert f"gloss: warning: {config}: line 2: fps: expected a whole number" in r.err


def test_broken_file_message_names_the_line(config: Path, corpus: Path) -> None:
    config.parent.mkdir()
    config.write_text('author = "ann"\nstore = \n', encoding="utf-8")
    r = gloss("config", "show")
    assert r.code == 0 and "line 2, column 9" in r.err and "defaults used" in r.err
    r = gloss("annotate", corpus, "--doc", "a.txt", "--quote", "dam")
    assert r.code == 0 and r.err.count("line 2, column 9") == 1  # said once, then defaults
    assert config.read_text(encoding="utf-8") == 'author = "ann"\nstore = \n'


def test_settings_store_and_author_are_defaults(config: Path, corpus: Path,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared-store"
    config.parent.mkdir()
    config.write_text(f'store = "{shared}"\nauthor = "Ann Reporter"\n', encoding="utf-8")
    assert gloss("annotate", corpus, "--doc", "a.txt", "--quote", "dam").code == 0
    (ann,) = AnnotationStore(shared).list("a.txt")
    assert ann.author == "Ann Reporter" and not (corpus / ".gloss").exists()
    # --store and $GLOSS_STORE win over the settings file; --author over it too
    other = tmp_path / "other"
    assert gloss("annotate", corpus, "--doc", "a.txt", "--quote", "March", "--store", other,
                 "--author", "bob").code == 0
    assert [a.author for a in AnnotationStore(other).list("a.txt")] == ["bob"]
    env_store = tmp_path / "env"
    monkeypatch.setenv("GLOSS_STORE", str(env_store))
    assert gloss("annotate", corpus, "--doc", "a.txt", "--quote", "inspected").code == 0
    assert AnnotationStore(env_store).counts() == {"a.txt": 1}


def test_set_changes_one_value_and_refuses_bad_ones(config: Path) -> None:
    config.parent.mkdir()
    config.write_text("# mine\ntheme = \"nord\"\n", encoding="utf-8")
    assert gloss("config", "set", "similar_cutoff", "72.5").code == 0
    assert gloss("config", "set", "keys.tag", "t,ctrl+t").code == 0
    assert gloss("config", "set", "store", "/srv/gloss").code == 0
    s = settings.read_settings(config)
    assert (s.similar_cutoff, s.keys, s.store, s.theme) == (72.5, {"tag": "t,ctrl+t"},
                                                            "/srv/gloss", "nord")
    assert config.read_text(encoding="utf-8").startswith("# mine\n")
    before = config.read_text(encoding="utf-8")
    for args, message in [
        (["fps", "fast"], "fps: not a number: 'fast'"),
        (["fps", "0"], "not saved: fps: expected a whole number from 1 to 240"),
        (["animation", "wild"], "animation: expected one of"),
        (["colour", "red"], "colour: unknown setting"),
        (["highlight.yellow", "sparkly"], "highlight.yellow: not a colour or style"),
    ]:
        r = gloss("config", "set", *args)
        assert r.code == 2 and r.err.count("\n") == 1 and message in r.err, (args, r.err)
    assert config.read_text(encoding="utf-8") == before
