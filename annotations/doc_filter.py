"""The document list's filter and sort orders (Textual-free).

Syntax (typed in the list's filter box)::

    flood channel:CNN date:2024-04 date:2024-04-01..2024-04-10 has:annotations verdict:false

* A free word must occur (ignoring case) in the title, channel, date, key or path,
  or in a tag of one of the document's annotations.
* ``channel:`` is the whole channel name, ignoring case (repeat: either); ``date:`` as
  in corpus search (a year, a month, a day, or a ``..`` range); ``has:annotations``
  (``-has:annotations``: none yet); ``verdict:`` a verdict of one of its annotations
  (``verdict:needs-context`` works). A leading ``-`` on a word excludes it.

Dates are checked with :func:`annotations.search.query.date_matches` (one date syntax
for search and the list). A term that cannot be read (``date:2024-13``) is reported in
``errors`` and ignored, so typing never breaks the list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotations.filters import _verdict_key  # the annotation filter's verdict form
from annotations.model import DocInfo
from annotations.search.query import QueryError, date_matches, parse_date

SORTS = ("folder", "date", "title", "channel", "count")


@dataclass(frozen=True, slots=True)
class DocFilter:
    words: tuple[str, ...] = ()
    not_words: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()
    has_annotations: bool | None = None
    verdicts: tuple[str, ...] = ()
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, text: str) -> DocFilter:
        words: list[str] = []
        not_words: list[str] = []
        channels: list[str] = []
        dates: list[tuple[str, str]] = []
        verdicts: list[str] = []
        has: bool | None = None
        errors: list[str] = []
        for raw in text.split():
            neg = raw.startswith("-") and len(raw) > 1
            term = raw[1:] if neg else raw
            name, colon, value = term.partition(":")
            name = name.lower()
            if colon and name in ("channel", "date", "has", "verdict") and value:
                if name == "channel":
                    channels.append(value.casefold())
                elif name == "date":
                    try:
                        dates.append(parse_date(value))
                    except QueryError as exc:
                        errors.append(str(exc))
                elif name == "has":
                    has = not neg
                else:
                    verdicts.append(_verdict_key(value))
                continue
            (not_words if neg else words).append(term.casefold())
        return cls(tuple(words), tuple(not_words), tuple(channels), tuple(dates), has,
                   tuple(verdicts), tuple(errors))

    def __bool__(self) -> bool:
        return bool(self.words or self.not_words or self.channels or self.dates
                    or self.has_annotations is not None or self.verdicts)

    def matches(self, info: DocInfo, hay: str, *, count: int = 0, tags: str = "",
                verdicts: Sequence[str] = ()) -> bool:
        """``hay``: the row's lower-cased title/channel/date/key/path; ``tags``: its
        annotations' tags (lower-cased, joined); ``verdicts``: their verdicts."""
        for w in self.words:
            if w not in hay and w not in tags:
                return False
        for w in self.not_words:
            if w in hay or w in tags:
                return False
        if self.channels and info.channel.casefold() not in self.channels:
            return False
        for bounds in self.dates:
            if not date_matches(info.date, bounds):
                return False
        if self.has_annotations is not None and (count > 0) != self.has_annotations:
            return False
        if self.verdicts:
            have = {_verdict_key(v) for v in verdicts}
            if not any(v in have for v in self.verdicts):
                return False
        return True


def sort_rows(rows: Sequence[DocInfo], by: str, counts: Mapping[str, int]) -> list[int]:
    """Row indices in the list's order: ``folder`` (scan order), ``date`` (newest
    first), ``title``, ``channel`` (then newest first) or ``count`` (most annotations
    first)."""
    idx = list(range(len(rows)))
    if by == "folder":
        pass
    elif by == "date":
        idx.sort(key=lambda i: rows[i].title.casefold())
        idx.sort(key=lambda i: rows[i].date, reverse=True)
    elif by == "title":
        idx.sort(key=lambda i: (rows[i].title.casefold(), rows[i].rel_path))
    elif by == "channel":
        idx.sort(key=lambda i: rows[i].date, reverse=True)
        idx.sort(key=lambda i: rows[i].channel.casefold())
    elif by == "count":
        idx.sort(key=lambda i: -counts.get(rows[i].key, 0))
    else:
        raise ValueError(f"sort by one of {', '.join(SORTS)}")
    return idx
