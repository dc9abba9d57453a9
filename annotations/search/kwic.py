"""Concordance lines (KWIC): left context | hit | right context, and their sorting.

A :class:`Hit` holds the exact raw span (``raw[start:end]`` of the document is
``text``) and its context, cut at ``width`` characters on each side. Context is
raw text too; callers put it on screen through ``textsafe.one_line``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from annotations.model import Document
from annotations.search.tokens import tokens_of

WIDTH = 60
SORTS = ("date", "channel", "document", "left", "right")


@dataclass(frozen=True, slots=True)
class Hit:
    key: str  # corpus key of the document
    rel_path: str
    title: str
    channel: str
    date: str
    start: int  # raw offsets of the hit
    end: int
    left: str
    text: str
    right: str
    time: float | None = None  # video time (seconds) of the hit when the document has cues
    repaired: bool = False  # found in the repaired text (span covers the edit)

    def as_dict(self) -> dict[str, object]:
        return {f: getattr(self, f) for f in self.__slots__}


_FLAT = str.maketrans("\n\r\t\v\f", "     ")


def _flat(text: str) -> str:
    """Line breaks as spaces, one for one (context stays aligned with the raw text)."""
    return text.translate(_FLAT)


def make_hits(doc: Document, spans: Iterable[tuple[int, int]], *, width: int = WIDTH,
              repaired: frozenset[tuple[int, int]] = frozenset(),
              rel_path: str = "") -> list[Hit]:
    raw = doc.raw
    info = doc.info
    out = []
    for s, e in spans:
        cue = doc.cue_at(s) if doc.cues else None
        out.append(Hit(
            key=info.key, rel_path=rel_path or info.rel_path, title=info.title,
            channel=info.channel, date=info.date, start=s, end=e,
            left=_flat(raw[max(0, s - width):s]), text=raw[s:e],
            right=_flat(raw[e:e + width]), time=cue.start if cue else None,
            repaired=(s, e) in repaired))
    return out


def _words(text: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokens_of(text))


def sort_hits(hits: list[Hit], by: str = "date", *, reverse: bool = False) -> list[Hit]:
    """Sorted copy: ``date`` (newest first), ``channel``, ``document`` (title), ``left``
    (words before the hit, nearest first) or ``right`` (words after it)."""
    if by not in SORTS:
        raise ValueError(f"sort by one of {', '.join(SORTS)}")
    if by == "date":
        keyed = sorted(hits, key=lambda h: (h.title, h.rel_path, h.start))
        keyed.sort(key=lambda h: h.date, reverse=True)
        return keyed[::-1] if reverse else keyed
    key: Callable[[Hit], Any]
    if by == "channel":
        key = lambda h: (h.channel.casefold(), h.date, h.title, h.start)  # noqa: E731
    elif by == "document":
        key = lambda h: (h.title.casefold(), h.rel_path, h.start)  # noqa: E731
    elif by == "left":
        key = lambda h: (_words(h.left)[::-1], _words(h.text), h.title, h.start)  # noqa: E731
    else:
        key = lambda h: (_words(h.text), _words(h.right), h.title, h.start)  # noqa: E731
    return sorted(hits, key=key, reverse=reverse)


@dataclass(slots=True)
class HitCounts:
    hits: int
    documents: int
    channels: dict[str, int]  # hits per channel, most first
    months: dict[str, int]  # hits per YYYY-MM, in date order ('' = undated)


def count_hits(hits: Iterable[Hit]) -> HitCounts:
    ch: Counter[str] = Counter()
    mo: Counter[str] = Counter()
    docs: set[str] = set()
    n = 0
    for h in hits:
        n += 1
        ch[h.channel] += 1
        mo[h.date[:7]] += 1
        docs.add(h.rel_path)
    return HitCounts(n, len(docs), dict(ch.most_common()), dict(sorted(mo.items())))


def histogram(months: dict[str, int], width: int = 30) -> list[str]:
    """One text line per month: ``2024-04 ████▌ 12`` (bars scaled to ``width``)."""
    if not months:
        return []
    top = max(months.values())
    out = []
    for m, n in months.items():
        cells = n * width / top if top else 0
        full = int(cells)
        bar = "█" * full + ("▌" if cells - full >= 0.5 else "")
        out.append(f"{m or 'no date':<7} {bar} {n}")
    return out
