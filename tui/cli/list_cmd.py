"""``gloss list PATH [--json]``: one row per document (title, channel, date, words…).

Document text is data: it is printed with plain ``print`` (never through Rich markup),
with control characters replaced and long cells cut, so a title cannot move the cursor
or change colours.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from annotations.corpus import Corpus, CorpusError
from annotations.model import DocInfo
from tui.cli import fail

FIELDS = ("title", "channel", "date", "words", "format", "key", "path", "problems")
# Column width caps for the table (the last column, problems, is not cut).
WIDTHS = {"title": 48, "channel": 12, "date": 10, "words": 7, "format": 6, "key": 24,
          "path": 40}


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("list", help="list the documents of a folder (or one file)",
                              description="List documents: title, channel, date, words, "
                                          "format, key, path and problems.")
    p.add_argument("path", type=Path, help="corpus folder or a single file")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=run)


def row(info: DocInfo) -> dict[str, Any]:
    """The fields of one document; ``problems`` has the error (if any) first."""
    problems = ([info.error] if info.error else []) + list(info.problems)
    return {"title": info.title, "channel": info.channel, "date": info.date,
            "words": info.words, "format": info.format, "key": info.key,
            "path": info.rel_path, "sources": list(info.sources) or [info.rel_path],
            "problems": problems}


def clean(text: str) -> str:
    """One printable line: control characters (and other non-printables) become spaces."""
    if text.isprintable():
        return text
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def cells(r: dict[str, Any]) -> list[str]:
    words = "" if r["words"] is None else str(r["words"])
    out = [cut(clean(str(r[f] if f != "words" else words)), WIDTHS[f]) for f in FIELDS[:-1]]
    if len(r["sources"]) > 1:  # one video, two files: marked in the format column
        out[FIELDS.index("format")] = out[FIELDS.index("format")] + "+" + "+".join(
            s.rpartition(".")[2] for s in r["sources"][1:])
    out.append(clean("; ".join(r["problems"])))
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


def run(args: argparse.Namespace) -> int:
    try:
        corpus = Corpus(args.path)
    except CorpusError as exc:
        return fail(str(exc))
    for _ in corpus.scan(words=True, processes=min(os.cpu_count() or 1, 8)):
        pass
    infos = corpus.infos  # twins merged: one row per video
    rows = [row(info) for info in infos]
    if args.json:
        out = json.dumps(rows, ensure_ascii=False, indent=1)
    else:
        out = table(rows) if rows else "no documents"
        errors = sum(1 for i in infos if i.error)
        out += f"\n\n{len(rows):,} documents" + (f", {errors:,} cannot be opened" if errors else "")
    sys.stdout.write(out + "\n")
    return 0
