"""Annotation filters: one syntax, one matching semantics (app sidebar, CLI, export).

Syntax (a query typed in the sidebar, or built from ``gloss annotations`` options)::

    levee "crews are" tag:claim verdict:false author:ann -tag:done
    channel:CNN date:2023-11 doc:_BjBr7Kf8rA since:2024-01-01

* A free word (or a ``"quoted phrase"``) must occur, ignoring case, in the quote, the
  note, a tag, the verdict or the author.
* ``tag:``, ``verdict:``, ``author:``, ``channel:`` compare the whole value, ignoring
  case, and ``doc:`` the exact document key (tags by :func:`annotations.tags.tag_key`, so ``tag:#UN`` is ``tag:un``;
  verdicts with ``-``/``_`` as spaces, so ``verdict:needs-context`` works). A trailing
  ``*`` matches a prefix: ``tag:gaz*``, ``author:a*``.
* ``date:`` is a prefix of the document's date (``date:2023`` or ``date:2023-11-03``);
  ``since:`` keeps annotations changed (``updated``) on or after a day or ISO time, UTC.
* Different fields must all match (AND); one field given twice matches either value
  (OR): ``verdict:false verdict:misleading``. A leading ``-`` excludes: ``-tag:done``.
* ``field:value`` with an unknown field is a free word (``10:30`` stays searchable).

``channel:`` and ``date:`` need the document's :class:`~annotations.model.DocInfo`
(passed to :meth:`AnnotationFilter.matches`); without it such a term does not match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from annotations.annotation import Annotation
from annotations.tags import tag_key

FIELDS = ("tag", "verdict", "author", "channel", "date", "doc", "since")
_TERM = re.compile(r'(-?)(?:([A-Za-z]+):)?("[^"]*"?|\S+)')


class _Info(Protocol):
    channel: str
    date: str


def since_key(since: str | date | datetime) -> str:
    """A ``since`` bound as text comparable with stored UTC timestamps."""
    if isinstance(since, datetime):
        dt = since if since.tzinfo else since.replace(tzinfo=UTC)
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(since, date):
        return since.isoformat()
    text = since.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return since_key(datetime.fromisoformat(text))
    except ValueError:
        raise ValueError(f"not a date: {since!r} (use YYYY-MM-DD or an ISO timestamp)") from None


def _verdict_key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def _exact(text: str) -> str:
    return text


# Comparison form per field. Document keys are identifiers (YouTube ids): exact case.
_KEYS = {"tag": tag_key, "verdict": _verdict_key, "author": str.casefold,
         "channel": str.casefold, "doc": _exact}


@dataclass(frozen=True)
class Term:
    field: str  # "" for a free word
    value: str  # already in comparison form
    negate: bool = False
    prefix: bool = False

    def text(self) -> str:
        value = f'"{self.value}"' if " " in self.value else self.value
        star = "*" if self.prefix else ""
        return f"{'-' if self.negate else ''}{self.field + ':' if self.field else ''}{value}{star}"


def _same(want: str, have: str, prefix: bool) -> bool:
    return have.startswith(want) if prefix else have == want


@dataclass(frozen=True)
class AnnotationFilter:
    """A parsed query; ``bool(f)`` is False when it keeps everything."""

    terms: tuple[Term, ...] = ()
    errors: tuple[str, ...] = field(default=(), compare=False)

    # -- building ---------------------------------------------------------------------
    @classmethod
    def parse(cls, query: str) -> AnnotationFilter:
        """Parse a query; a bad ``since:`` date is reported in ``errors`` and ignored."""
        terms: list[Term] = []
        errors: list[str] = []
        for m in _TERM.finditer(query):
            neg, name, value = m.group(1), (m.group(2) or "").lower(), m.group(3)
            if name and name not in FIELDS:
                value, name = f"{name}:{value}", ""
            value = value.strip('"') if value.startswith('"') else value
            if not value:
                continue
            try:
                terms.append(cls._term(name, value, negate=bool(neg)))
            except ValueError as exc:
                errors.append(f"{name}: {exc}")
        return cls(tuple(terms), tuple(errors))

    @classmethod
    def build(cls, *, words: Iterable[str] = (), tags: Iterable[str] = (),
              verdicts: Iterable[str] = (), authors: Iterable[str] = (),
              channels: Iterable[str] = (), dates: Iterable[str] = (),
              docs: Iterable[str] = (), since: str | date | datetime | None = None,
              ) -> AnnotationFilter:
        """From CLI options; raises ValueError for a bad ``since``."""
        terms = [cls._term("", w) for w in words if w.strip()]
        for name, values in (("tag", tags), ("verdict", verdicts), ("author", authors),
                             ("channel", channels), ("date", dates), ("doc", docs)):
            terms += [cls._term(name, v) for v in values if v.strip()]
        if since is not None:
            terms.append(Term("since", since_key(since)))
        return cls(tuple(terms))

    @staticmethod
    def _term(name: str, value: str, negate: bool = False) -> Term:
        prefix = name not in ("", "since", "date") and value.endswith("*") and len(value) > 1
        value = value[:-1] if prefix else value
        if name == "since":
            return Term(name, since_key(value), negate)
        key = _KEYS.get(name, str.casefold)
        return Term(name, key(value), negate, prefix or name == "date")

    # -- using ------------------------------------------------------------------------
    def __bool__(self) -> bool:
        return bool(self.terms)

    def __str__(self) -> str:
        return " ".join(t.text() for t in self.terms)

    def needs_info(self) -> bool:
        """True when a term needs the document's DocInfo (channel:, date:)."""
        return any(t.field in ("channel", "date") for t in self.terms)

    def matches(self, ann: Annotation, info: _Info | None = None) -> bool:
        """Does ``ann`` (in the document described by ``info``) pass every term?"""
        groups: dict[str, bool] = {}
        for term in self.terms:
            hit = self._hit(term, ann, info)
            if term.negate:
                if hit:
                    return False
                continue
            if term.field == "":
                if not hit:
                    return False
                continue
            groups[term.field] = groups.get(term.field, False) or hit
        return all(groups.values())

    @staticmethod
    def _hit(term: Term, ann: Annotation, info: _Info | None) -> bool:
        f, v = term.field, term.value
        if f == "":
            hay = " ".join([ann.quote, ann.note, ann.verdict, ann.author, *ann.tags])
            return v in hay.casefold()
        if f == "tag":
            return any(_same(v, tag_key(t), term.prefix) for t in ann.tags)
        if f == "verdict":
            return _same(v, _verdict_key(ann.verdict), term.prefix)
        if f == "author":
            return _same(v, ann.author.casefold(), term.prefix)
        if f == "doc":
            return _same(v, ann.doc_key, term.prefix)
        if f == "since":
            return ann.updated >= v
        if info is None:
            return False
        if f == "channel":
            return _same(v, (info.channel or "").casefold(), term.prefix)
        return bool(info.date) and info.date.startswith(v)  # date:

    def select(self, annotations: Iterable[Annotation],
               info_for: Callable[[str], Any] | None = None) -> Iterator[Annotation]:
        """The annotations that match; ``info_for(doc_key)`` gives a DocInfo (or None)."""
        need = self.needs_info() and info_for is not None
        for ann in annotations:
            if self.matches(ann, info_for(ann.doc_key) if need else None):
                yield ann

    def doc_keys(self) -> list[str] | None:
        """The exact document keys asked for by ``doc:`` terms, when all are exact."""
        docs = [t for t in self.terms if t.field == "doc" and not t.negate]
        if not docs or any(t.prefix for t in docs):
            return None
        return [t.value for t in docs]
