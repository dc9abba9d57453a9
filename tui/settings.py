"""User settings: one TOML file in the platformdirs config folder.

``~/.config/gloss/settings.toml`` (``$GLOSS_CONFIG`` names another file)::

    theme = "textual-dark"        # saved by the app when the theme is changed
    author = "Ann Reporter"       # author of new annotations (else $GLOSS_AUTHOR, login)
    store = "/srv/gloss/store"    # default annotation store (after --store, $GLOSS_STORE)
    similar_cutoff = 40           # lowest similar-passage score shown, 0-100 (unset: each kind's own)
    animation = "auto"            # auto | full | basic | none (auto: none over SSH)
    fps = 30                      # frames per second (auto: 20 over SSH)

    [highlight]                   # annotation colour -> Rich style
    yellow = "black on #ffd75f"

    [keys]                        # binding id -> keys (Textual keymap)
    tag = "t,ctrl+t"

The file is untrusted text: a value with control characters is refused, and values are
shown through ``visible()``. A file that is not valid TOML gives one message naming the
line; all defaults are used and the file is never written (``update`` refuses). A bad
value gives a message naming its line; that value's default is used.

API: :func:`load_settings` (cached), :func:`update` / :func:`save_theme` (atomic, keep
comments and other lines), :func:`motion_for` / :func:`apply_motion_env` (SSH).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from annotations.textsafe import one_line

AnimationLevel = Literal["none", "basic", "full"]
LEVELS: dict[str, AnimationLevel] = {"none": "none", "basic": "basic", "full": "full"}

FILE_NAME = "settings.toml"
MAX_BYTES = 256 * 1024
ANIMATION_LEVELS = ("auto", "full", "basic", "none")
SSH_FPS = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e]")


@dataclass
class Settings:
    """Effective settings; ``None`` means "not set" (the caller's default applies)."""

    path: Path
    theme: str | None = None
    author: str | None = None
    store: str | None = None
    similar_cutoff: float | None = None
    animation: str = "auto"
    fps: int | None = None
    highlight: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one line each, shown to the user
    broken: bool = False  # the file could not be parsed: never write it

    @property
    def keymap(self) -> dict[str, str]:
        """For ``App.set_keymap``: binding id -> comma-separated keys."""
        return dict(self.keys)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get("GLOSS_CONFIG"):
        return Path(env["GLOSS_CONFIG"]).expanduser()
    import platformdirs

    return platformdirs.user_config_path("gloss", appauthor=False) / FILE_NAME


# -- reading ----------------------------------------------------------------------------
def _read_text(path: Path) -> str | None:
    """The file's text; None when absent. Raises ValueError with a message."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file")
    if st.st_size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1024} KiB")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"line {line}: not UTF-8 text") from None


def _line_of(text: str, table: str | None, key: str) -> int | None:
    """1-based line of ``key = …`` in ``[table]`` (top level when None)."""
    section: str | None = None
    pattern = re.compile(r'\s*("?)' + re.escape(key) + r'\1\s*=')
    for n, line in enumerate(text.splitlines(), 1):
        head = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if head:
            section = head.group(1).strip('"')
            continue
        if section == table and pattern.match(line):
            return n
    return None


class _Checker:
    def __init__(self, settings: Settings, text: str) -> None:
        self.s, self.text = settings, text

    def bad(self, key: str, why: str, table: str | None = None,
            then: str = "default used") -> None:
        line = _line_of(self.text, table, key)
        where = f"line {line}: " if line else ""
        name = f"{table}.{key}" if table else key
        self.s.problems.append(f"{self.s.path}: {where}{one_line(name, 60)}: {why}; {then}")

    def text_value(self, key: str, value: Any, table: str | None = None) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.bad(key, "expected a non-empty string", table)
            return None
        if _CONTROL.search(value):
            self.bad(key, f"control characters in {one_line(value, 60)!r}", table)
            return None
        return value.strip()


def _apply(s: Settings, data: dict[str, Any], text: str) -> None:
    check = _Checker(s, text)
    for key, value in data.items():
        if key in ("theme", "author", "store"):
            setattr(s, key, check.text_value(key, value))
        elif key == "similar_cutoff":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok and 0 <= value <= 100:
                s.similar_cutoff = float(value)
            else:
                check.bad(key, "expected a number from 0 to 100")
        elif key == "animation":
            if value in ANIMATION_LEVELS:
                s.animation = value
            else:
                check.bad(key, f"expected one of {', '.join(ANIMATION_LEVELS)}")
        elif key == "fps":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 240:
                s.fps = value
            else:
                check.bad(key, "expected a whole number from 1 to 240")
        elif key in ("highlight", "keys") and isinstance(value, dict):
            target = s.highlight if key == "highlight" else s.keys
            for name, entry in value.items():
                clean = check.text_value(name, entry, key)
                if clean is not None and key == "highlight" and not _is_style(clean):
                    check.bad(name, f"not a colour or style: {one_line(clean, 60)!r}", key)
                    clean = None
                if clean is not None:
                    target[name] = clean
        else:
            check.bad(key, "unknown setting", then="ignored")


def _is_style(text: str) -> bool:
    from rich.errors import StyleSyntaxError
    from rich.style import Style

    try:
        Style.parse(text)
    except (StyleSyntaxError, ValueError):
        return False
    return True


def read_settings(path: Path | None = None) -> Settings:
    """Settings from ``path`` (default :func:`config_path`), never raising."""
    path = config_path() if path is None else path
    s = Settings(path=path)
    try:
        text = _read_text(path)
    except ValueError as exc:
        s.problems.append(f"{path}: {exc}; defaults used (the file was not changed)")
        s.broken = True
        return s
    if text is None:
        return s
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        s.problems.append(f"{path}: {_toml_message(exc)}; defaults used (the file was not "
                          "changed)")
        s.broken = True
        return s
    _apply(s, data, text)
    return s


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    """``line 3, column 9: Invalid value`` from tomllib's ``Invalid value (at line 3, …)``."""
    msg = str(exc)
    m = re.match(r"(.*?) \(at (line \d+, column \d+|end of document)\)$", msg)
    return f"{m.group(2)}: {m.group(1)}" if m else msg


_CACHE: dict[Path, Settings] = {}


def load_settings(*, reload: bool = False) -> Settings:
    """The settings of this process (read once; ``reload=True`` reads the file again)."""
    path = config_path()
    if reload or path not in _CACHE:
        _CACHE[path] = read_settings(path)
    return _CACHE[path]


# -- writing ----------------------------------------------------------------------------
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        out = value.replace("\\", "\\\\").replace('"', '\\"')
        out = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
        return f'"{out}"'
    raise TypeError(f"cannot write {type(value).__name__} to settings")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _edit(text: str, key: str, value: Any, table: str | None) -> str:
    """``text`` with ``key = value`` set in ``[table]``: other lines and comments kept."""
    lines = text.splitlines()
    entry = f"{_toml_key(key)} = {_toml_value(value)}"
    line = _line_of(text, table, key)
    if line is not None:
        lines[line - 1] = entry
        return "\n".join(lines) + "\n"
    heads = [i for i, ln in enumerate(lines) if re.match(r"\s*\[", ln)]
    if table is None:
        at = heads[0] if heads else len(lines)
        while at > 0 and not lines[at - 1].strip() and heads:
            at -= 1
        lines.insert(at, entry)
        return "\n".join(lines) + "\n"
    own = [i for i in heads if re.match(r"\s*\[\s*\"?" + re.escape(table) + r"\"?\s*\]",
                                        lines[i])]
    if not own:
        return "\n".join([*lines, "", f"[{_toml_key(table)}]", entry]).lstrip("\n") + "\n"
    after = [i for i in heads if i > own[0]]
    end = after[0] if after else len(lines)
    while end > own[0] + 1 and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, entry)
    return "\n".join(lines) + "\n"


def update(key: str, value: Any, *, table: str | None = None,
           path: Path | None = None) -> str | None:
    """Set one setting in the file (created if absent). Returns None, or why not saved.

    Refuses (and leaves the file alone) when the file cannot be parsed or read, or when
    the value is not valid for the setting.
    """
    path = config_path() if path is None else path
    current = read_settings(path)
    if current.broken:
        return f"settings not saved: {current.problems[0]}"
    try:
        text = _read_text(path) or ""
        new = _edit(text, key, value, table)
        check = Settings(path=path)
        _apply(check, tomllib.loads(new), new)  # never write a file we could not read back
        fresh = [p for p in check.problems if p not in current.problems]
        if fresh:  # the problem without the (unwritten) line: "fps: expected …"
            why = re.sub(r"^line \d+: ", "", fresh[0].removeprefix(f"{path}: "))
            return f"settings not saved: {why.rsplit('; ', 1)[0]}"
        _write(path, new)
    except (ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        return f"settings not saved: {path}: {exc}"
    except OSError as exc:
        return f"settings not saved: {path}: {exc.strerror or exc}"
    _CACHE.pop(path, None)
    return None


def save_theme(name: str, path: Path | None = None) -> str | None:
    """Remember the theme chosen in the app; None when saved, else the reason."""
    return update("theme", name, path=path)


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, private (0o600); a dotfile symlink is kept: its
    target is written."""
    from annotations.safeio import atomic_output

    target = path.resolve() if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_output(target, text=True, mode=0o600) as fh:
        fh.write(text)


# -- over SSH ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Motion:
    """How much the app animates and how often it paints."""

    animation_level: AnimationLevel  # Textual's App.animation_level
    fps: int | None  # None: Textual's default (60, or $TEXTUAL_FPS)
    reason: str


def over_ssh(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("SSH_CONNECTION") or env.get("SSH_CLIENT") or env.get("SSH_TTY"))


def motion_for(settings: Settings | None = None,
               environ: Mapping[str, str] | None = None) -> Motion:
    """Animation level and frame rate: the user's choice (settings ``animation``/``fps``,
    or ``$TEXTUAL_ANIMATIONS``/``$TEXTUAL_FPS``) wins; otherwise over SSH animations are
    off and the frame rate is lowered; otherwise Textual's defaults."""
    env = os.environ if environ is None else environ
    s = load_settings() if settings is None else settings
    ssh = over_ssh(env)
    level: AnimationLevel
    if s.animation in LEVELS:
        level, why = LEVELS[s.animation], "settings"
    elif env.get("TEXTUAL_ANIMATIONS", "").lower() in LEVELS:
        level, why = LEVELS[env["TEXTUAL_ANIMATIONS"].lower()], "TEXTUAL_ANIMATIONS"
    elif ssh:
        level, why = "none", "over SSH"
    else:
        level, why = "full", "default"
    if s.fps is not None:
        fps: int | None = s.fps
    elif env.get("TEXTUAL_FPS"):
        fps = None  # Textual reads it itself
    else:
        fps = SSH_FPS if ssh else None
    return Motion(level, fps, why)


def apply_motion_env(motion: Motion, environ: os._Environ[str] | dict[str, str] | None = None,
                     ) -> None:
    """Export ``motion`` as ``TEXTUAL_ANIMATIONS``/``TEXTUAL_FPS`` before Textual is
    imported (Textual reads the frame rate once, at import)."""
    env: Any = os.environ if environ is None else environ
    env["TEXTUAL_ANIMATIONS"] = motion.animation_level
    if motion.fps is not None:
        env["TEXTUAL_FPS"] = str(motion.fps)
