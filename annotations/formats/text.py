"""Tagged transcripts (``<video_id>…</video_id> … <doc>…</doc>``) and plain-text articles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DOC_OPEN = "<doc>"
DOC_CLOSE = "</doc>"
UNCLOSED = "unclosed <doc>: text runs to end of file"

# One metadata tag before <doc>; values may not contain '<' (keeps the match linear).
_TAG = re.compile(r"<([A-Za-z_][\w.-]{0,63})>([^<]*)</\1>")
_LEADING_TAG = re.compile(r"\s*(?:<([A-Za-z_][\w.-]{0,63})>[^<\n]*</\1>|<doc>)")


@dataclass(slots=True)
class Parsed:
    """What a format parser found: the raw text and what describes it."""

    raw: str
    metadata: dict[str, str] = field(default_factory=dict)
    title: str = ""
    problems: list[str] = field(default_factory=list)


# Tags that mark our transcript format even before any <doc> is seen.
KNOWN_TAGS = frozenset({"video_id", "video_title", "thumbnail_path", "publish_date"})


def looks_tagged(head: str) -> bool:
    """True when the text opens with ``<doc>`` or a known metadata tag, or with nothing
    but ``<tag>value</tag>`` items before a ``<doc>`` (so an HTML-ish article that merely
    starts with ``<p>…</p>`` stays plain)."""
    m = _LEADING_TAG.match(head, 0, min(len(head), 4096))
    if m is None:
        return False
    if m.group(1) is None or m.group(1).lower() in KNOWN_TAGS:
        return True
    at = head.find(DOC_OPEN)
    return at >= 0 and not _TAG.sub("", head[:at]).strip()


def _strip_one_newline_after(text: str, i: int) -> int:
    if text.startswith("\r\n", i):
        return i + 2
    if text.startswith("\n", i):
        return i + 1
    return i


def _strip_one_newline_before(text: str, i: int, lo: int) -> int:
    if i - 2 >= lo and text.startswith("\r\n", i - 2):
        return i - 2
    if i - 1 >= lo and text[i - 1] == "\n":
        return i - 1
    return i


def parse_tagged(text: str, *, complete: bool = True) -> Parsed:
    """Metadata tags before ``<doc>`` and the body inside ``<doc>…</doc>`` exactly as written.

    Only the single newline right after ``<doc>`` and right before ``</doc>`` is dropped.
    ``complete=False`` (a head only): a missing ``</doc>`` is not reported.
    """
    problems: list[str] = []
    open_at = text.find(DOC_OPEN)
    before = text if open_at < 0 else text[:open_at]
    metadata = {m.group(1): m.group(2).strip() for m in _TAG.finditer(before)}
    if open_at < 0:
        if complete:
            problems.append("no <doc> block: only metadata")
        return Parsed("", metadata, problems=problems)
    start = _strip_one_newline_after(text, open_at + len(DOC_OPEN))
    close_at = text.find(DOC_CLOSE, start)
    if close_at < 0:
        body = text[start:]
        if complete:
            problems.append(UNCLOSED)
    else:
        body = text[start:_strip_one_newline_before(text, close_at, start)]
        rest = text[close_at + len(DOC_CLOSE):]
        if rest.strip():
            problems.append(f"text after </doc> ignored ({len(rest.strip()):,} characters)")
    return Parsed(body, metadata, title=metadata.get("video_title", ""), problems=problems)


def first_line_title(text: str, limit: int = 300) -> str:
    """The first non-empty line, whitespace collapsed (a Markdown ``#`` dropped)."""
    for line in text.split("\n", 50)[:50]:
        line = " ".join(line.split())
        if line:
            if line.startswith("#"):
                line = line.lstrip("#").strip() or line
            return line[:limit]
    return ""


def parse_plain(text: str) -> Parsed:
    """A plain article: the whole file is the raw text; the title is its first line."""
    return Parsed(text, title=first_line_title(text))
