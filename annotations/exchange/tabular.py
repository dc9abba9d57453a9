"""CSV (one row per annotation, for spreadsheets) and Markdown (a report by document)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from typing import Any, TextIO

from annotations.exchange.docs import Placed
from annotations.quote import RECASED_NOTE
from annotations.textsafe import for_export
from annotations.timefmt import span

CSV_COLUMNS: tuple[str, ...] = (
    "id", "doc_key", "title", "channel", "date", "path", "raw_start", "raw_end",
    "time_start", "time_end", "url", "verdict", "tags", "note", "quote", "quote_edited",
    "prefix", "suffix", "color", "author", "created", "updated", "doc_hash", "orphan",
)
# A cell a spreadsheet would read as a formula (or DDE) starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = frozenset(FORMULA_START)


def safe_cell(value: Any) -> Any:
    """Text cells: control characters made visible; cells a spreadsheet would evaluate
    are prefixed with a quote."""
    if isinstance(value, str):
        return _safe(value)
    return value


def _safe(v: str) -> str:
    v = for_export(v)
    return "'" + v if v[:1] in _FORMULA else v


def _time(t: float | None) -> str:
    return "" if t is None else f"{t:.3f}".rstrip("0").rstrip(".")


def csv_row(p: Placed, doc_cells: dict[str, list[str]] | None = None) -> list[Any]:
    """One row (``CSV_COLUMNS``); every text cell is made formula-safe.

    ``doc_cells`` remembers the document's cells (key, title, channel, date, path)
    for the last document, as rows come grouped by document.
    """
    a = p.ann
    cells = doc_cells.get(a.doc_key) if doc_cells is not None else None
    if cells is None:
        cells = [_safe(a.doc_key), _safe(p.title), _safe(p.channel), _safe(p.date),
                 _safe(p.path)]
        if doc_cells is not None:
            doc_cells.clear()
            doc_cells[a.doc_key] = cells
    return [
        _safe(a.id), *cells, a.raw_start, a.raw_end, _time(p.time_start), _time(p.time_end),
        _safe(p.url or ""), _safe(a.verdict), _safe("; ".join(a.tags)), _safe(a.note),
        _safe(a.quote), _safe(_edited(p)) if p.quote_edited is not None else "", _safe(a.prefix),
        _safe(a.suffix), _safe(a.color), _safe(a.author), _safe(a.created), _safe(a.updated),
        _safe(a.doc_hash), "yes" if p.orphan else "",
    ]


def write_csv(items: Iterable[Placed], out: TextIO) -> int:
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    n = 0
    cache: dict[str, list[str]] = {}
    for p in items:
        w.writerow(csv_row(p, cache))
        n += 1
    return n


# -- Markdown ------------------------------------------------------------------------------
_INLINE = re.compile(r"([\\`*_\[\]<>|~&#!{}])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+)([.)]?)")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u2028\u2029\u3000]+")


def md_inline(text: str) -> str:
    """Text inside a line: no emphasis, code, links, HTML or entities; control
    characters made visible (textsafe.for_export)."""
    return _INLINE.sub(r"\\\1", for_export(text))


def _block_escape(m: re.Match[str]) -> str:
    """``- x`` → ``\\- x``; ``1. x`` → ``1\\. x`` (digits cannot be escaped, the dot can)."""
    lead, mark, dot = m.groups()
    if mark[0].isdigit():
        return f"{lead}{mark}\\{dot}" if dot else m.group(0)
    return f"{lead}\\{mark}{dot}"


def md_escape(text: str) -> str:
    """Document text as literal Markdown: no emphasis, links, HTML, headings or lists.

    Works line by line; control and bidi-override characters are made visible.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = md_inline(line)
        line = _LINE_START.sub(_block_escape, line)
        lines.append(line.rstrip())
    return "\n".join(lines)


@lru_cache(maxsize=4096)
def md_line(text: str) -> str:
    """Escaped text on one line, after other text (titles, tags, metadata)."""
    return md_inline(_SPACES.sub(" ", " ".join(text.split())))


def md_code(text: str) -> str:
    """Inline code span that survives backticks inside ``text``."""
    text = for_export(" ".join(text.split()))
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def blockquote(text: str) -> str:
    lines = (line.lstrip() for line in md_escape(text).split("\n"))
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def _edited(p: Placed) -> str:
    """The edited quote, with the sentence-case note when it was re-cased."""
    q = p.quote_edited if p.quote_edited is not None else p.ann.quote
    return f"{q} [{RECASED_NOTE}]" if p.recased and p.quote_edited is not None else q


def md_annotation(p: Placed) -> Iterator[str]:
    a = p.ann
    yield blockquote(_edited(p)) + "\n\n"
    yield f"- **Verdict:** {md_line(a.verdict)}\n"
    if a.note.strip():
        note = md_escape(a.note.strip()).replace("\n", "\n  ")
        yield f"- **Note:** {note}\n"
    if a.tags:
        yield f"- **Tags:** {', '.join(md_line(t) for t in a.tags)}\n"
    where = f"raw {p.shown_start}–{p.shown_end}"
    if p.time_start is not None and p.time_end is not None:
        where += f", {span(p.time_start, p.time_end)}"
    if p.orphan:
        where += ", *orphan: the quote is no longer found in the document*"
    yield f"- **Where:** {md_code(p.path or a.doc_key)} {where}\n"
    if p.url:
        yield f"- **Video:** <{p.url}>\n"
    yield f"- **By:** {md_line(a.author or 'unknown')}, {a.updated[:16].replace('T', ' ')}\n\n"


def md_heading(p: Placed, again: bool) -> str:
    title = md_line(p.title) if p.title.strip() else md_code(p.ann.doc_key)
    meta = [md_line(x) for x in (p.channel, p.date) if x.strip()]
    meta.append(f"key {md_code(p.ann.doc_key)}")
    suffix = " (continued)" if again else ""
    return f"## {title}{suffix}\n\n*{' · '.join(meta)}*\n\n"


def write_markdown(items: Iterable[Placed], out: TextIO, exported: str) -> int:
    """Sections by document (in input order), annotations in text order within each."""
    out.write(f"# gloss annotations\n\nExported {exported[:19].replace('T', ' ')} UTC.\n\n")
    n = 0
    seen: set[str] = set()
    for key, group in groupby(items, key=lambda p: p.ann.doc_key):
        batch = sorted(group, key=lambda p: (p.ann.raw_start, p.ann.raw_end))
        out.write(md_heading(batch[0], key in seen))
        seen.add(key)
        for p in batch:
            out.writelines(md_annotation(p))
            n += 1
    out.write(f"---\n\n{n} annotation{'s' if n != 1 else ''} in {len(seen)} "
              f"document{'s' if len(seen) != 1 else ''}.\n")
    return n
