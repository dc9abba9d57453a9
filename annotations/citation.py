"""Links to the footage and citations of a quote (Textual-free).

* :func:`video_url` — a YouTube id gives ``https://www.youtube.com/watch?v=ID&t=Ns``;
  other sources give the URL from the document's metadata (``url``/``webpage_url``/
  ``source_url``, http(s) only) or nothing.
* :func:`cite` — the citation of raw ``[start, end)`` of a document: the edited quote
  (inferred characters in brackets, see :mod:`annotations.quote`) with channel, title,
  date, video time and link; :meth:`Citation.render` as ``text``, ``markdown`` or
  ``json``::

      “…edited quote…” — CNN, *Title*, 3 Nov 2023, 00:04:12, https://…
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from annotations.model import Document
from annotations.quote import RECASED_NOTE, edited
from annotations.repair.edits import Repaired
from annotations.textsafe import one_line
from annotations.timefmt import clock

FORMATS = ("text", "markdown", "json")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_URL_KEYS = ("url", "webpage_url", "source_url", "video_url")


def is_youtube_id(value: str) -> bool:
    return bool(_YOUTUBE_ID.fullmatch(value or ""))


def video_id(doc: Document) -> str:
    """The document's video id (tag ``video_id``), or ``''``."""
    return " ".join(doc.metadata.get("video_id", "").split())


def video_url(vid: str, seconds: float | None = None, metadata: dict[str, str] | None = None
              ) -> str | None:
    """The link to the footage at ``seconds`` (whole seconds, rounded down)."""
    t = int(seconds) if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None
    if is_youtube_id(vid):
        return f"https://www.youtube.com/watch?v={vid}" + (f"&t={t}s" if t else "")
    for key in _URL_KEYS:
        url = (metadata or {}).get(key, "").strip()
        if re.match(r"https?://[^\s\"<>]+\Z", url):
            return url
    return None


def doc_url(doc: Document, seconds: float | None = None) -> str | None:
    return video_url(video_id(doc), seconds, doc.metadata)


def long_date(iso: str) -> str:
    """``'2023-11-03'`` → ``'3 Nov 2023'`` (``''`` stays ``''``)."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%b')} {d.year}"


@dataclass(slots=True)
class Citation:
    quote: str  # the edited quote (brackets), or the exact raw text when not repaired
    raw: str  # the exact raw text
    recased: bool
    title: str
    channel: str
    date: str  # ISO
    time_start: float | None
    time_end: float | None
    url: str | None
    doc_key: str
    raw_start: int
    raw_end: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "quote": self.raw, "quote_edited": self.quote, "recased": self.recased,
            "title": self.title, "channel": self.channel, "date": self.date,
            "time_start": self.time_start, "time_end": self.time_end, "url": self.url,
            "doc_key": self.doc_key, "raw_start": self.raw_start, "raw_end": self.raw_end,
            "citation": self.render("text"),
        }

    def _parts(self, md: bool) -> list[str]:
        parts = []
        if self.channel:
            parts.append(one_line(self.channel))
        if self.title:
            parts.append(f"*{_md(one_line(self.title))}*" if md else one_line(self.title))
        if self.date:
            parts.append(long_date(self.date))
        if self.time_start is not None:
            parts.append(clock(self.time_start, long=True))
        if self.url:
            parts.append(f"<{self.url}>" if md else self.url)
        return parts

    def render(self, fmt: str = "text") -> str:
        if fmt == "json":
            return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)
        md = fmt == "markdown"
        quote = " ".join(one_line(self.quote, limit=100_000).split())
        if md:
            quote = _md(quote)
        out = f"“{quote}”"
        parts = self._parts(md)
        if parts:
            out += " — " + ", ".join(parts)
        if self.recased:
            out += f" ({RECASED_NOTE})"
        return out


def _md(text: str) -> str:
    return re.sub(r"([\\`*_<>|~#!{}])", r"\\\1", text)


def cite(doc: Document, rep: Repaired | None, start: int, end: int) -> Citation:
    """The citation of raw ``[start, end)`` of ``doc`` (``rep``: its repair, or None)."""
    if not 0 <= start <= end <= len(doc.raw):
        raise ValueError(f"span {start}-{end} is outside the text (0-{len(doc.raw)})")
    if rep is not None:
        q = edited(rep, start, end)
        quote, recased = q.text, q.recased
    else:
        quote, recased = doc.raw[start:end], False
    span = doc.time_span(start, end) if doc.cues else None
    t0, t1 = span if span else (None, None)
    info = doc.info
    return Citation(quote, doc.raw[start:end], recased, info.title, info.channel, info.date,
                    t0, t1, doc_url(doc, t0), doc.key, start, end)
