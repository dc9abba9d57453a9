"""``gloss config path`` and ``gloss config show``: where the settings file is, what it says.

Values are printed as TOML; settings not set show their default as a comment. Problems
in the file (with their line) go to stderr; the file is only read.
"""

from __future__ import annotations

import click

from annotations.textsafe import visible
from tui.cli import say
from tui.settings import Settings, _toml_key, _toml_value, config_path, motion_for, read_settings

DEFAULTS = {
    "theme": "the app's default theme",
    "author": "$GLOSS_AUTHOR, else the login name",
    "store": "--store, $GLOSS_STORE, else CORPUS/.gloss",
    "similar_cutoff": "the index's default",
    "fps": "Textual's (60; 20 over SSH)",
}


@click.group("config")
def config_cmd() -> None:
    """The settings file (TOML): theme, author, store, similar_cutoff, animation, fps,
    [highlight] colours and [keys] remapping by binding id."""


def _set() -> click.Command:
    from tui.cli.config_set import set_cmd

    return set_cmd


config_cmd.add_command(_set())


@config_cmd.command("path")
def path_cmd() -> int:
    """Print the settings file's path ($GLOSS_CONFIG, else the user config folder)."""
    print(visible(str(config_path())))
    return 0


@config_cmd.command("show")
def show_cmd() -> int:
    """Print the settings in effect (TOML); problems in the file go to stderr."""
    s = read_settings()
    for problem in s.problems:
        say("warning", problem)
    print(f"# {visible(str(s.path))}" + ("" if s.path.exists() else " (absent: all defaults)"))
    for line in render(s):
        print(line)
    return 0


def render(s: Settings) -> list[str]:
    """TOML lines for ``s``; control characters are shown, never sent to the terminal."""
    out: list[str] = []
    for key in ("theme", "author", "store", "similar_cutoff", "animation", "fps"):
        value = getattr(s, key)
        if value is None:
            out.append(f"# {key} = …  (default: {DEFAULTS[key]})")
        else:
            out.append(visible(f"{key} = {_toml_value(value)}"))
    motion = motion_for(s)
    out.append(f"# now: animations {motion.animation_level} ({motion.reason}), "
               f"fps {motion.fps or 'default'}")
    for table in ("highlight", "keys"):
        entries: dict[str, str] = getattr(s, table)
        out.append("")
        out.append(f"[{table}]")
        if not entries:
            out.append("# (none)")
        for name, value in entries.items():
            out.append(visible(f"{_toml_key(name)} = {_toml_value(value)}"))
    return out
