"""``gloss [PATH] [--store DIR] [--author NAME]``: open the app on a folder or file."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli import fail


def run_app(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="gloss",
        description="Read, repair and annotate transcripts. "
        "Sub-commands: list, repair, annotate, annotations, tags, similar, export, import "
        "(gloss COMMAND --help).",
    )
    parser.add_argument("path", nargs="?", default=".", help="corpus folder or a single file")
    parser.add_argument("--store", type=Path, default=None, help="annotation store folder")
    parser.add_argument("--author", default=None, help="author name for new annotations")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        return fail(f"no such file or folder: {path}")
    from tui.app import GlossApp

    app = GlossApp(path, store_dir=args.store, author=args.author)
    result = app.run()
    return int(result or 0)
