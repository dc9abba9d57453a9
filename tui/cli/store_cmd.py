"""``gloss store check [CORPUS]`` and ``gloss store fix [CORPUS]``: a store for a team.

``check`` prints the store's location, owner, group and mode, and every file or folder
another member of the store's group could not read or write (exit 1 when there is
any). ``fix`` repairs modes and group of the entries the caller owns (root fixes all),
removes links/FIFOs planted in the store, then prints the check.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from annotations.textsafe import one_line
from tui.cli import fail
from tui.cli.options import corpus_argument, store_option


@click.group("store")
def store_cmd() -> None:
    """Check or repair a shared annotation store: can every member of the store's group
    read and write it? (README, "Team setup".)"""


@store_cmd.command("check")
@corpus_argument(required=False)
@store_option
def check_cmd(**params: Any) -> int:
    """List the store's location, owner, group and mode, and every file or folder another
    team member could not read or write (exit status 1 when there is any)."""
    return run(SimpleNamespace(action="check", **params))


@store_cmd.command("fix")
@corpus_argument(required=False)
@store_option
def fix_cmd(**params: Any) -> int:
    """Give the store's files group read/write and its folders setgid + group rwx (for
    entries you own; root fixes all); remove links and FIFOs planted in the store."""
    return run(SimpleNamespace(action="fix", **params))


def store_root(corpus: Path, store: Path | None) -> Path:
    """The store folder ``gloss`` would use for ``corpus`` (never a private fallback)."""
    from annotations.store import STORE_DIR_NAME

    explicit = store if store is not None else os.environ.get("GLOSS_STORE") or None
    if explicit is not None:
        return Path(explicit).expanduser()
    corpus = corpus.expanduser()
    root = corpus if corpus.is_dir() else corpus.parent
    return root.resolve() / STORE_DIR_NAME


def run(args: Any) -> int:
    from annotations.store.check import check, fix

    if not args.corpus.exists():
        return fail(f"no such file or folder: {one_line(str(args.corpus))}")
    root = store_root(args.corpus, args.store)
    report = fix(root) if args.action == "fix" else check(root)
    for line in report.lines():
        print(one_line(line, 400))
    if args.action == "fix" and report.left:
        n = len(report.left)
        print(f"gloss: {n} entr{'y' if n == 1 else 'ies'} not fixed (see above)", file=sys.stderr)
    return 0 if report.ok or not report.exists else 1
