"""``gloss config set NAME VALUE``: change one setting in place (comments kept)."""

from __future__ import annotations

import click

from tui.cli import fail
from tui.settings import update

NUMBERS = {"similar_cutoff": float, "fps": int}


@click.command("set")
@click.argument("name")
@click.argument("value")
def set_cmd(name: str, value: str) -> int:
    """Set NAME to VALUE: theme, author, store, similar_cutoff, animation, fps, or
    keys.BINDING_ID / highlight.COLOUR. The file is changed only when the value is valid
    and the file itself can be read."""
    table, _, key = name.rpartition(".") if name.startswith(("keys.", "highlight.")) else (
        "", "", name)
    parsed: object = value
    if key in NUMBERS and not table:
        try:
            parsed = NUMBERS[key](value)
        except ValueError:
            return fail(f"{name}: not a number: {value!r}")
    why = update(key, parsed, table=table or None)
    if why:
        return fail(why)
    print(f"gloss: {name} set")
    return 0
