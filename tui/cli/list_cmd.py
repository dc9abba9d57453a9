"""``gloss list PATH [--json]``: one row per document (title, channel, date, words…).

Document text is data: it is printed with plain ``print`` (never through Rich markup),
with control characters replaced and long cells cut, so a title cannot move the cursor
or change colours.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from annotations.corpus import Corpus, CorpusError
from annotations.model import DocInfo
from annotations.textsafe import one_line
from tui.cli import dumps, fail
from tui.cli.options import corpus_argument, follow_links_option, json_option

FIELDS = ("title", "channel", "date", "words", "format", "key", "path", "problems")
# Column width caps for the table; key, path and problems are never cut (a key is
# given back to --doc, a path to `gloss PATH`).
WIDTHS = {"title": 48, "channel": 12, "date": 10, "words": 7, "format": 6}


def row(info: DocInfo) -> dict[str, Any]:
    """The fields of one document; ``problems`` has the error (if any) first."""
    problems = ([info.error] if info.error else []) + list(info.problems)
    return {"title": info.title, "channel": info.channel, "date": info.date,
            "words": info.words, "format": info.format, "key": info.key,
            "path": info.rel_path, "sources": list(info.sources) or [info.rel_path],
            "problems": problems}


def cut(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "~"


def cells(r: dict[str, Any]) -> list[str]:
    words = "" if r["words"] is None else str(r["words"])
    out = [cut(one_line(str(r[f] if f != "words" else words), 1 << 20), WIDTHS.get(f))
           for f in FIELDS[:-1]]
    if len(r["sources"]) > 1:  # one video, two files: marked in the format column
        out[FIELDS.index("format")] += "+" + "+".join(
            s.rpartition(".")[2] for s in r["sources"][1:])
    out.append(one_line("; ".join(r["problems"]), 1 << 20))
    return out


def table(rows: list[dict[str, Any]]) -> str:
    header = [f.upper() for f in FIELDS]
    body = [cells(r) for r in rows]
    widths = [max([len(header[i])] + [len(b[i]) for b in body]) for i in range(len(FIELDS))]
    right = {FIELDS.index("words")}
    lines = []
    for cols in [header, *body]:
        parts = [c.rjust(w) if i in right else c.ljust(w)
                 for i, (c, w) in enumerate(zip(cols, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


@click.command("list")
@corpus_argument(name="path")
@json_option
@follow_links_option
def list_cmd(path: Path, as_json: bool, follow_links: bool = False) -> int:
    """List documents: title, channel, date, words, format, key, path and problems.

    Keys are printed whole (give them to --doc); --json prints every field.
    """
    try:
        corpus = Corpus(path, follow_links=follow_links)
    except CorpusError as exc:
        return fail(str(exc))
    for _ in corpus.scan(words=True, processes=min(os.cpu_count() or 1, 8)):
        pass
    infos = corpus.infos  # twins merged: one row per video
    rows = [row(info) for info in infos]
    if as_json:
        out = dumps(rows, indent=1)
    else:
        out = table(rows) if rows else "no documents"
        errors = sum(1 for i in infos if i.error)
        out += f"\n\n{len(rows):,} documents" + (f", {errors:,} cannot be opened" if errors else "")
    sys.stdout.write(out + "\n")
    return 0
