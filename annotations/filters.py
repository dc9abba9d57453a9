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
from functools import lru_cache
from typing import Any, Protocol

from annotations.annotation import Annotation
from annotations.tags import merge_tags, normalise_tag, tag_key

__all__ = ["FIELDS", "AnnotationFilter", "Term", "since_key",
           "merge_tags", "normalise_tag", "tag_key"]  # tag rules re-exported for callers

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


@lru_cache(maxsize=4096)
def _verdict_key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return text.casefold()


def _hay(ann: Annotation) -> str:
    """What free words search: quote, note, verdict, author and tags, casefolded."""
    return "\n".join([ann.quote, ann.note, ann.verdict, ann.author, *ann.tags]).casefold()


def _exact(text: str) -> str:
    return text


# Comparison form per field. Document keys are identifiers (YouTube ids): exact case.
_KEYS: dict[str, Callable[[str], str]] = {"tag": tag_key, "verdict": _verdict_key, "author": str.casefold,
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


_Pred = Callable[[Annotation, "_Info | None"], bool]


def _predicate(term: Term) -> _Pred:
    """A fast test for one field term (a closure per kind, loops instead of generators)."""
    f, v, prefix = term.field, term.value, term.prefix

    def same(have: str) -> bool:
        return have.startswith(v) if prefix else have == v

    if f == "":
        return lambda ann, info: v in _hay(ann)
    if f == "tag":
        def tag(ann: Annotation, info: _Info | None) -> bool:
            for t in ann.tags:
                if same(tag_key(t)):
                    return True
            return False
        return tag
    if f == "verdict":
        return lambda ann, info: same(_verdict_key(ann.verdict))
    if f == "author":
        return lambda ann, info: same(_fold(ann.author))
    if f == "doc":
        return lambda ann, info: same(ann.doc_key)
    if f == "since":
        return lambda ann, info: ann.updated >= v
    if f == "channel":
        return lambda ann, info: info is not None and same(_fold(info.channel or ""))
    return lambda ann, info: info is not None and bool(info.date) and info.date.startswith(v)


@dataclass(frozen=True)
class AnnotationFilter:
    """A parsed query; ``bool(f)`` is False when it keeps everything."""

    terms: tuple[Term, ...] = ()
    errors: tuple[str, ...] = field(default=(), compare=False)
    # The plan, made once: free words, positive terms grouped by field, exclusions.
    _words: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    _groups: tuple[tuple[_Pred, ...], ...] = field(default=(), init=False, repr=False,
                                                   compare=False)
    _negated: tuple[_Pred, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        groups: dict[str, list[_Pred]] = {}
        for t in self.terms:
            if not t.negate and t.field:
                groups.setdefault(t.field, []).append(_predicate(t))
        set_ = object.__setattr__  # frozen dataclass
        set_(self, "_words", tuple(t.value for t in self.terms if not t.negate and not t.field))
        set_(self, "_groups", tuple(tuple(g) for g in groups.values()))
        set_(self, "_negated", tuple(_predicate(t) for t in self.terms if t.negate))

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
            if not name and value.endswith(":") and value[:-1].lower() in FIELDS:
                continue  # "tag:" still being typed: no term yet
            if not value or value in ("*", "-"):
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
        for group in self._groups:  # fields: all must match; within one, any term
            for pred in group:
                if pred(ann, info):
                    break
            else:
                return False
        if self._words:
            hay = _hay(ann)
            for word in self._words:
                if word not in hay:
                    return False
        for pred in self._negated:
            if pred(ann, info):
                return False
        return True

    def select(self, annotations: Iterable[Annotation],
               info_for: Callable[[str], Any] | None = None) -> Iterator[Annotation]:
        """The annotations that match; ``info_for(doc_key)`` gives a DocInfo (or None)."""
        lookup = info_for if self.needs_info() else None
        for ann in annotations:
            if self.matches(ann, lookup(ann.doc_key) if lookup is not None else None):
                yield ann

    def doc_keys(self) -> list[str] | None:
        """The exact document keys asked for by ``doc:`` terms, when all are exact."""
        docs = [t for t in self.terms if t.field == "doc" and not t.negate]
        if not docs or any(t.prefix for t in docs):
            return None
        return [t.value for t in docs]
