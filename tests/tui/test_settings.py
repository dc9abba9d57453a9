"""Settings file (tui/settings.py): reading, problems with their line, writing, SSH."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui import settings as st
from tui.settings import (
    Settings,
    apply_motion_env,
    motion_for,
    read_settings,
    save_theme,
    update,
)

GOOD = """# my gloss settings
theme = "nord"   # picked in the palette
author = "Ann Reporter"
store = "/srv/gloss/store"
similar_cutoff = 70
animation = "basic"
fps = 30

[highlight]
yellow = "black on #ffd75f"

[keys]
"reader.find" = "slash,ctrl+f"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_absent_file_is_all_defaults(tmp_path: Path) -> None:
    s = read_settings(tmp_path / "none.toml")
    assert (s.theme, s.author, s.store, s.similar_cutoff, s.fps) == (None,) * 5
    assert s.animation == "auto" and not s.problems and not s.broken


def test_good_file(tmp_path: Path) -> None:
    s = read_settings(write(tmp_path, GOOD))
    assert (s.theme, s.author, s.store) == ("nord", "Ann Reporter", "/srv/gloss/store")
    assert (s.similar_cutoff, s.animation, s.fps) == (70.0, "basic", 30)
    assert s.highlight == {"yellow": "black on #ffd75f"}
    assert s.keymap == {"reader.find": "slash,ctrl+f"} and not s.problems


def test_broken_file_names_the_line_uses_defaults_and_is_left_alone(tmp_path: Path) -> None:
    text = GOOD.replace('fps = 30', 'fps = = 30')
    path = write(tmp_path, text)
    before = path.stat().st_mtime_ns
    s = read_settings(path)
    assert s.broken and s.theme is None and s.keys == {}
    (problem,) = s.problems
    assert problem.startswith(f"{path}: line 7, column ") and "defaults used" in problem
    assert "not changed" in problem
    why = save_theme("dracula", path)
    assert why is not None and "not saved" in why and "line 7" in why
    assert path.read_text(encoding="utf-8") == text and path.stat().st_mtime_ns == before


@pytest.mark.parametrize(("line", "message"), [
    ('similar_cutoff = "high"', "line 2: similar_cutoff: expected a number from 0 to 100"),
    ('similar_cutoff = 101', "line 2: similar_cutoff: expected a number"),
    ('animation = "wild"', "line 2: animation: expected one of auto, full, basic, none"),
    ('fps = 0', "line 2: fps: expected a whole number"),
    ('author = "A\\u001b[2J"', "line 2: author: control characters in 'A␛[2J'"),
    ('author = ""', "line 2: author: expected a non-empty string"),
    ('colour = "red"', "line 2: colour: unknown setting; ignored"),
    ('[highlight]\nyellow = "sparkly"', "line 3: highlight.yellow: not a colour or style"),
    ('[keys]\n"app.quit" = 5', "line 3: keys.app.quit: expected a non-empty string"),
])
def test_bad_value_names_its_line_and_keeps_the_rest(tmp_path: Path, line: str,
                                                     message: str) -> None:
    s = read_settings(write(tmp_path, f'theme = "nord"\n{line}\n'))
    assert s.theme == "nord" and not s.broken
    (problem,) = s.problems
    assert message in problem and "\x1b" not in problem


def test_not_utf8_and_not_a_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b'theme = "nord"\nauthor = "\xff"\n')
    s = read_settings(path)
    assert s.broken and "line 2: not UTF-8" in s.problems[0]
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert "not a regular file" in read_settings(folder).problems[0]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in read_settings(fifo).problems[0]  # no hang


def test_save_theme_creates_then_edits_in_place(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "settings.toml"
    assert save_theme("nord", path) is None
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text(GOOD, encoding="utf-8")
    assert save_theme("dracula", path) is None
    text = path.read_text(encoding="utf-8")
    assert text == GOOD.replace('theme = "nord"   # picked in the palette', 'theme = "dracula"')
    assert read_settings(path).theme == "dracula"
    assert not [p for p in path.parent.iterdir() if p.name != "settings.toml"]  # no temp left


def test_update_inserts_keys_and_tables(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert update("similar_cutoff", 55.5, path=path) is None
    assert update("author", 'Quote " and \\ back', path=path) is None
    assert update("app.quit", "ctrl+q", table="keys", path=path) is None
    assert update("green", "black on green", table="highlight", path=path) is None
    path2 = tmp_path / "fresh.toml"
    assert update("x.y", "f1", table="keys", path=path2) is None
    assert update("theme", "nord", path=path2) is None
    s = read_settings(path)
    assert s.similar_cutoff == 55.5 and s.author == 'Quote " and \\ back'
    assert s.keys == {"reader.find": "slash,ctrl+f", "app.quit": "ctrl+q"}
    assert s.highlight["green"] == "black on green" and not s.problems
    assert path.read_text(encoding="utf-8").startswith("# my gloss settings\n")
    fresh = read_settings(path2)
    assert fresh.keys == {"x.y": "f1"} and fresh.theme == "nord" and not fresh.problems


def test_update_keeps_a_symlinked_dotfile(tmp_path: Path) -> None:
    real = write(tmp_path, 'theme = "nord"\n')
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    assert save_theme("dracula", link) is None
    assert link.is_symlink() and read_settings(real).theme == "dracula"


def test_load_settings_is_cached_and_reloads(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, 'theme = "nord"\n')
    monkeypatch.setenv("GLOSS_CONFIG", str(path))
    assert st.load_settings(reload=True).theme == "nord"
    path.write_text('theme = "x"\n', encoding="utf-8")
    assert st.load_settings().theme == "nord"
    assert save_theme("dracula") is None
    assert st.load_settings().theme == "dracula"


def _s(**kw: object) -> Settings:
    return Settings(path=Path("/nonexistent"), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("settings", "env", "level", "fps"), [
    (_s(), {}, "full", None),
    (_s(), {"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, "none", 20),
    (_s(), {"SSH_CONNECTION": "x", "TEXTUAL_ANIMATIONS": "basic"}, "basic", 20),
    (_s(), {"SSH_CONNECTION": "x", "TEXTUAL_FPS": "45"}, "none", None),
    (_s(animation="full", fps=60), {"SSH_CONNECTION": "x"}, "full", 60),
    (_s(animation="none"), {}, "none", None),
])
def test_motion(settings: Settings, env: dict[str, str], level: str, fps: int | None) -> None:
    motion = motion_for(settings, env)
    assert (motion.animation_level, motion.fps) == (level, fps)
    out: dict[str, str] = dict(env)
    apply_motion_env(motion, out)
    assert out["TEXTUAL_ANIMATIONS"] == level
    assert out.get("TEXTUAL_FPS") == (str(fps) if fps else env.get("TEXTUAL_FPS"))
