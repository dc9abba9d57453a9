"""``gloss store check [CORPUS]`` and ``gloss store fix [CORPUS]``: a store for a team.

``check`` prints the store's location, owner, group and mode, and every file or folder
another member of the store's group could not read or write (exit 1 when there is
any). ``fix`` repairs modes and group of the entries the caller owns (root fixes all),
removes links/FIFOs planted in the store, then prints the check.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from annotations.textsafe import one_line
from tui.cli import fail


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("store", help="check or repair a shared annotation store",
                              description="Check (or fix) that every member of the store's "
                                          "group can read and write the annotation store.")
    p.add_argument("action", choices=("check", "fix"), help="check: report; fix: repair modes")
    p.add_argument("corpus", nargs="?", type=Path, default=Path("."),
                   help="corpus folder (default: the current folder)")
    p.add_argument("--store", type=Path, default=None, help="store folder (default: CORPUS/.gloss)")
    p.set_defaults(func=run)


def store_root(corpus: Path, store: Path | None) -> Path:
    """The store folder ``gloss`` would use for ``corpus`` (never a private fallback)."""
    from annotations.store import STORE_DIR_NAME

    explicit = store if store is not None else os.environ.get("GLOSS_STORE") or None
    if explicit is not None:
        return Path(explicit).expanduser()
    corpus = corpus.expanduser()
    root = corpus if corpus.is_dir() else corpus.parent
    return root.resolve() / STORE_DIR_NAME


def run(args: argparse.Namespace) -> int:
    from annotations.store.check import check, fix

    if not args.corpus.exists():
        return fail(f"no such file or folder: {one_line(str(args.corpus))}")
    root = store_root(args.corpus, args.store)
    report = fix(root) if args.action == "fix" else check(root)
    for line in report.lines():
        print(one_line(line, 400))
    if args.action == "fix" and report.left:
        print(f"gloss: {len(report.left)} entries not fixed (see above)", file=sys.stderr)
    return 0 if report.ok or not report.exists else 1
