"""``gloss [open] [PATH] [--store DIR] [--author NAME]``: the app on a folder or a document.

A folder opens on its document list; a single file opens that document in the reader
(the app gets ``open_key``, the document's key).
"""

from __future__ import annotations

from pathlib import Path

import click

from tui.cli import fail
from tui.cli.options import author_option, corpus_argument, follow_links_option, store_option


def document_key(path: Path, *, follow_links: bool = False) -> str | None:
    """The key of the document in file ``path`` (None when it is not a document)."""
    from annotations.corpus import Corpus, CorpusError

    try:
        infos = list(Corpus(path, follow_links=follow_links).scan())
    except CorpusError:
        return None
    return infos[0].key if infos else None


@click.command("open")
@corpus_argument(required=False, name="path")
@store_option
@author_option
@follow_links_option
def open_cmd(path: Path, store: Path | None, author: str | None,
             follow_links: bool = False) -> int:
    """Open PATH in the app: a folder on its document list, a file in the reader."""
    if not path.exists():
        from tui.cli.group import COMMANDS

        hint = "" if "/" in str(path) or "." in path.name else (
            f" (and not a command: {', '.join(c for c in COMMANDS if c != 'open')})")
        return fail(f"no such file or folder: {path}{hint}")
    open_key = document_key(path, follow_links=follow_links) if path.is_file() else None
    from tui.settings import apply_motion_env, load_settings, motion_for

    apply_motion_env(motion_for())  # over SSH: no animations, fewer frames (before Textual)
    from tui.app import GlossApp

    app = GlossApp(path, store_dir=store, author=author, open_key=open_key,
                   settings=load_settings(), follow_links=follow_links)
    result = app.run()
    return int(result or 0)
