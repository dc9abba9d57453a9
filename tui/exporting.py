"""Export and import as plain functions (the reader screen runs them in workers).

No Textual here: each function does the file work and returns the sentence
the screen shows, or raises with a message worth showing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from annotations.annotation import Annotation
from annotations.exchange import EXTENSIONS
from annotations.textsafe import one_line
from tui.editing import plural

FORMATS = EXTENSIONS  # format -> file extension (one map, in the core)


def resolve(name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def name_part(label: str) -> str:
    """``label`` (a document key) as a readable piece of a file name: every run of characters
    other than letters, digits, ``-`` and ``_`` becomes one ``-`` (``strike.srt`` →
    ``strike-srt``; dropping the dot ran the words together)."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w-]+", "-", one_line(label, 40))).strip("-")


def default_name(fmt: str, label: str = "", folder: Path | None = None,
                 now: datetime | None = None) -> str:
    """A file name not used yet in ``folder``: ``gloss-<label>-<date>-<time>.<ext>``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    stem = "-".join(p for p in ("gloss", label, stamp) if p)
    folder = folder or Path.cwd()
    ext = FORMATS[fmt]
    name, n = f"{stem}{ext}", 2
    while (folder / name).exists():
        name, n = f"{stem}-{n}{ext}", n + 1
    return name


def write_export(anns: Iterable[Annotation], fmt: str, path: Path, corpus: Any) -> str:
    """Write through the core's one export writer (``exchange.export_file``: atomic, a
    planted link or FIFO at the target is replaced, never followed)."""
    from annotations.exchange import export_file

    count = export_file(anns, fmt, path, corpus)
    return f"Exported {plural(count, 'annotation')} as {fmt} to {path}"


def read_import(name: str, store: Any, corpus: Any) -> str:
    from annotations.exchange import import_file

    return str(import_file(Path(name).expanduser(), store, corpus).summary())
