"""Options shared by every ``gloss`` command, defined once.

``--store``, ``--author`` and ``--follow-links`` are accepted on the group and on any sub-command, before
or after the arguments: ``gloss --store S annotations CORPUS`` and
``gloss annotations CORPUS --store S`` mean the same. A sub-command's own value wins;
otherwise the group's; otherwise (for ``--store``) ``$GLOSS_STORE``, then the settings
file's ``store``, then ``CORPUS/.gloss``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _inherit(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A sub-command option left unset takes the group's value."""
    if value is None and param.name is not None:
        root = ctx.find_root()
        if root is not ctx:
            value = root.params.get(param.name)
    return value


def _store(ctx: click.Context, param: click.Parameter, value: Any) -> Path | None:
    value = _inherit(ctx, param, value)
    if value is None and ctx.find_root() is not ctx and not os.environ.get("GLOSS_STORE"):
        value = _setting("store")
    return Path(value).expanduser() if value else None


def _author(ctx: click.Context, param: click.Parameter, value: Any) -> str | None:
    value = _inherit(ctx, param, value)
    if value is None and ctx.find_root() is not ctx and not os.environ.get("GLOSS_AUTHOR"):
        value = _setting("author")
    return str(value) if value else None


_WARNED: set[str] = set()


def _setting(name: str) -> Any:
    """A value from the settings file (read once per process); None when unset.

    Problems in the file (each naming its line) are printed once to stderr.
    """
    from annotations.textsafe import visible
    from tui.settings import load_settings

    settings = load_settings()
    for problem in settings.problems:
        if problem not in _WARNED:
            _WARNED.add(problem)
            click.echo(f"gloss: warning: {visible(problem)}", err=True)
    return getattr(settings, name, None) or None


def store_option(f: F) -> F:
    return click.option(
        "--store", type=click.Path(path_type=Path), default=None, metavar="DIR",
        callback=_store, expose_value=True, is_eager=False,
        help="Annotation store folder (default: $GLOSS_STORE, the settings file's "
             "`store`, else CORPUS/.gloss).",
    )(f)


def author_option(f: F) -> F:
    return click.option(
        "--author", default=None, metavar="NAME", callback=_author,
        help="Author of new annotations (default: $GLOSS_AUTHOR, the settings file's "
             "`author`, else the login name).",
    )(f)


def _follow_links(ctx: click.Context, param: click.Parameter, value: Any) -> bool:
    """Given on the group or on the sub-command (a flag: either one turns it on)."""
    root = ctx.find_root()
    return bool(value) or (root is not ctx and bool(root.params.get("follow_links")))


def follow_links_option(f: F) -> F:
    return click.option(
        "--follow-links", is_flag=True, default=False, callback=_follow_links,
        help="Also read files whose links lead outside the corpus folder (by default "
             "they are listed as 'link outside the corpus', never read).",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON (a list of objects) instead of a table.")(f)


def annotation_filter_options(f: F) -> F:
    """``--tag``/``--verdict``/``--author``/``--since``: the same filter options (and the
    same core filter, annotations/filters.py) for every command that selects annotations."""
    for option in reversed((
        click.option("--tag", "tags", multiple=True, metavar="T", help="Only with this tag "
                     "(repeatable: any of them; case and a leading # ignored; T* = prefix)."),
        click.option("--verdict", "verdicts", multiple=True, metavar="V",
                     help="Only with this verdict (repeatable: any of them)."),
        click.option("--author", "authors", multiple=True, metavar="A",
                     help="Only by this author (repeatable: any of them)."),
        click.option("--since", metavar="DATE",
                     help="Only changed on or after DATE (YYYY-MM-DD or ISO time, UTC)."),
    )):
        f = option(f)
    return f


def corpus_argument(*, required: bool = True, name: str = "corpus") -> Callable[[F], F]:
    """The corpus folder (or a single file); optional ones default to the current folder."""
    if required:
        return click.argument(name, type=click.Path(path_type=Path))
    return click.argument(name, type=click.Path(path_type=Path), required=False,
                          default=Path("."))
