"""The search query language, parsed into a small tree (no engine specifics).

    word              a word (case and accents ignored)
    "two words"       a phrase; "two wor"* : the last word is a prefix
    pre*              words starting with ``pre``
    a OR b            either (binds tighter than the implicit AND: ``x a OR b``)
    -word  -"a b"     documents without it
    NEAR(a b, 5)      a and b at most 5 words apart (default 10), any order
    channel:CNN  channel:"Al Jazeera"     channel name (case-insensitive); repeat = either
    date:2024  date:2024-04  date:2024-04-01..2024-04-10  date:2024-04..   dates (inclusive)
    has:annotations   documents with annotations (-has:annotations: without)

``parse(text) -> Query``; anything it cannot read raises :class:`QueryError` with a
one-line message (never another exception). ``to_fts5(query)`` renders the text
part as an SQLite FTS5 MATCH expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from annotations.search.tokens import fold_words

NEAR_DEFAULT = 10
NEAR_MAX = 1000
FIELDS = ("channel", "date", "has")


class QueryError(ValueError):
    """A query that cannot be read; the message says why, on one line."""


@dataclass(frozen=True, slots=True)
class Term:
    """One or more index tokens in a row (several: a phrase); ``prefix``: the last
    token is a prefix. ``alternatives``: fuzzy expansions (single-token words)."""

    tokens: tuple[str, ...]
    prefix: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.tokens) > 1


@dataclass(frozen=True, slots=True)
class Near:
    terms: tuple[Term, ...]
    distance: int = NEAR_DEFAULT


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Term | Near, ...]


Clause = Term | Near | Or


@dataclass(slots=True)
class Query:
    text: str = ""
    must: list[Clause] = field(default_factory=list)
    exclude: list[Clause] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)  # any of (case-insensitive)
    not_channels: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)  # all of; inclusive ISO bounds
    has_annotations: bool | None = None
    expansions: dict[str, list[str]] = field(default_factory=dict)  # fuzzy: word -> terms

    def positive_terms(self) -> list[Term | Near]:
        """Every clause a hit can be (what the re-locator looks for)."""
        out: list[Term | Near] = []
        for c in self.must:
            out.extend(c.items if isinstance(c, Or) else (c,))
        return out

    @property
    def has_text(self) -> bool:
        return bool(self.must)


# -- lexing -----------------------------------------------------------------------------
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NEAR_DIST = re.compile(r"^\s*,\s*(\d+)\s*$")


def _date_bound(text: str, what: str) -> str:
    m = _DAY.match(text)
    if m is None:
        raise QueryError(f"date:{what}: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. date:2024-04)")
    y, mo, d = m.groups()
    out = y
    if mo is not None:
        if not 1 <= int(mo) <= 12:
            raise QueryError(f"date:{what}: month {mo} is not 1-12")
        out += f"-{int(mo):02d}"
    if d is not None:
        if not 1 <= int(d) <= 31:
            raise QueryError(f"date:{what}: day {d} is not 1-31")
        out += f"-{int(d):02d}"
    return out


def parse_date(value: str) -> tuple[str, str]:
    """``date:`` value -> inclusive (low, high) prefixes ('' = open)."""
    if ".." in value:
        lo, _, hi = value.partition("..")
        lo_b = _date_bound(lo, value) if lo else ""
        hi_b = _date_bound(hi, value) if hi else ""
        if not lo_b and not hi_b:
            raise QueryError("date:..: give at least one end (date:2024-04-01..2024-04-10)")
        if lo_b and hi_b and hi_b < lo_b[: len(hi_b)]:
            raise QueryError(f"date:{value}: the range ends before it starts")
        return lo_b, hi_b
    b = _date_bound(value, value)
    return b, b


def date_matches(date: str, bounds: tuple[str, str]) -> bool:
    """True when ISO ``date`` falls in the inclusive prefix bounds."""
    lo, hi = bounds
    if not date:
        return False
    return (not lo or date >= lo) and (not hi or date[: len(hi)] <= hi)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def skip_space(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def at_end(self) -> bool:
        self.skip_space()
        return self.i >= len(self.s)

    def quoted(self) -> str:
        """Text up to the closing quote (the opening one is at ``self.i``)."""
        end = self.s.find('"', self.i + 1)
        if end < 0:
            raise QueryError('a phrase is missing its closing " (write "two words")')
        text = self.s[self.i + 1 : end]
        self.i = end + 1
        return text

    def bare(self) -> str:
        start = self.i
        while self.i < len(self.s) and not self.s[self.i].isspace():
            if self.s[self.i] == '"' and self.i > start and self.s[self.i - 1] == ":":
                self.quoted()  # field:"quoted value"
                continue
            if self.s[self.i] == '"':
                break
            self.i += 1
        return self.s[start : self.i]


def _term(text: str, prefix: bool, what: str) -> Term | None:
    tokens = tuple(fold_words(text))
    if not tokens:
        if prefix:
            raise QueryError(f"{what}: a prefix needs at least one letter or digit before *")
        return None
    return Term(tokens, prefix)


def _word(word: str) -> Term | None:
    prefix = word.endswith("*")
    core = word.rstrip("*")
    if "*" in core:
        raise QueryError(f"{word}: * goes at the end of a word (isra*)")
    return _term(core, prefix, word)


def _near(lex: _Lexer) -> Near:
    close = lex.s.find(")", lex.i)
    if close < 0:
        raise QueryError("NEAR( is missing its closing ) (write NEAR(word word, 5))")
    inner = lex.s[lex.i : close]
    lex.i = close + 1
    distance = NEAR_DEFAULT
    if "," in inner:
        head, _, tail = inner.rpartition(",")
        m = _NEAR_DIST.match("," + tail)
        if m is None:
            raise QueryError("NEAR(a b, N): N must be a whole number of words")
        distance = int(m.group(1))
        if distance > NEAR_MAX:
            raise QueryError(f"NEAR distance {distance} is over {NEAR_MAX} words")
        inner = head
    sub = _Lexer(inner)
    terms: list[Term] = []
    while not sub.at_end():
        if sub.s[sub.i] == '"':
            text = sub.quoted()
            prefix = sub.i < len(sub.s) and sub.s[sub.i] == "*"
            sub.i += prefix
            t = _term(text, prefix, f'"{text}"')
        else:
            t = _word(sub.bare())
        if t is not None:
            terms.append(t)
    if len(terms) < 2:
        raise QueryError("NEAR needs at least two words or phrases: NEAR(truce talks, 5)")
    return Near(tuple(terms), distance)


def _field(q: Query, name: str, value: str, negated: bool) -> None:
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1]
    value = value.strip()
    if name == "channel":
        if not value:
            raise QueryError("channel: needs a name (channel:CNN)")
        (q.not_channels if negated else q.channels).append(value)
    elif name == "date":
        if negated:
            raise QueryError("-date: is not supported; use a range (date:2024-01..2024-03)")
        q.dates.append(parse_date(value))
    else:  # has
        if value.lower() not in ("annotations", "annotation", "notes"):
            raise QueryError(f"has:{value}: only has:annotations is known")
        q.has_annotations = not negated


def _item(lex: _Lexer, q: Query) -> tuple[Clause | None, bool]:
    """One item: (clause or None for a field/empty word, negated)."""
    negated = False
    if lex.s[lex.i] == "-" and lex.i + 1 < len(lex.s) and not lex.s[lex.i + 1].isspace():
        negated = True
        lex.i += 1
    if lex.s[lex.i] == '"':
        text = lex.quoted()
        prefix = lex.i < len(lex.s) and lex.s[lex.i] == "*"
        lex.i += prefix
        return _term(text, prefix, f'"{text}"'), negated
    if lex.s.startswith("NEAR(", lex.i):
        lex.i += 5
        return _near(lex), negated
    word = lex.bare()
    name, colon, value = word.partition(":")
    if colon and name.lower() in FIELDS:
        _field(q, name.lower(), value, negated)
        return None, negated
    return _word(word), negated


def parse(text: str) -> Query:
    """Parse a query; QueryError (one line) when it cannot be read."""
    if not isinstance(text, str):
        raise QueryError("the query must be text")
    q = Query(text=text)
    lex = _Lexer(text)
    pending_or = False
    while not lex.at_end():
        if lex.s.startswith("OR", lex.i) and (
            lex.i + 2 == len(lex.s) or lex.s[lex.i + 2].isspace()
        ):
            if not q.must or pending_or:
                raise QueryError("OR needs a word on each side (truce OR ceasefire)")
            lex.i += 2
            pending_or = True
            continue
        clause, negated = _item(lex, q)
        if clause is None:
            continue
        if negated:
            if pending_or:
                raise QueryError("-word cannot be one side of OR")
            q.exclude.append(clause)
            continue
        if pending_or:
            prev = q.must.pop()
            left = prev.items if isinstance(prev, Or) else (prev,)
            assert not isinstance(clause, Or)
            q.must.append(Or((*left, clause)))
            pending_or = False
        else:
            q.must.append(clause)
    if pending_or:
        raise QueryError("OR needs a word on each side (truce OR ceasefire)")
    if not q.must:
        if q.exclude:
            raise QueryError("-word only excludes; add a word to look for")
        raise QueryError("nothing to search for: type a word, a \"phrase\" or NEAR(a b)")
    return q


# -- fuzzy ---------------------------------------------------------------------------------
def expand(q: Query, similar: Callable[[str], list[str]]) -> Query:
    """A copy where every plain single word also matches ``similar(word)`` terms;
    ``expansions`` records what each word became (for the user to see)."""
    expansions: dict[str, list[str]] = {}

    def fix(c: Clause) -> Clause:
        if isinstance(c, Or):
            return Or(tuple(fix(i) for i in c.items))  # type: ignore[misc]
        if isinstance(c, Near):
            return Near(tuple(fix(t) for t in c.terms), c.distance)  # type: ignore[misc]
        if c.is_phrase or c.prefix:
            return c
        word = c.tokens[0]
        alts = [a for a in similar(word) if a != word]
        expansions[word] = alts
        return replace(c, alternatives=tuple(alts))

    out = Query(q.text, [fix(c) for c in q.must], list(q.exclude), list(q.channels),
                list(q.not_channels), list(q.dates), q.has_annotations, expansions)
    return out


# -- FTS5 ----------------------------------------------------------------------------------
def _fts_term(t: Term) -> str:
    body = '"' + " ".join(t.tokens) + '"' + (" *" if t.prefix else "")
    if t.alternatives:
        return "(" + " OR ".join([body] + [f'"{a}"' for a in t.alternatives]) + ")"
    return body


def _fts(c: Clause) -> str:
    if isinstance(c, Term):
        return _fts_term(c)
    if isinstance(c, Near):
        if any(t.alternatives for t in c.terms):
            # FTS5 NEAR takes phrases only: near-ness of alternatives is checked when hits
            # are located; here any of them in the document will do.
            return "(" + " AND ".join(_fts_term(t) for t in c.terms) + ")"
        inner = " ".join(_fts_term(t) for t in c.terms)
        return f"NEAR({inner}, {c.distance})"
    return "(" + " OR ".join(_fts(i) for i in c.items) + ")"


def to_fts5(q: Query) -> str:
    """The text part of ``q`` as an FTS5 MATCH expression (tokens are pre-folded)."""
    expr = " AND ".join(_fts(c) for c in q.must)
    if q.exclude:
        expr = f"({expr})" + "".join(f" NOT {_fts(c)}" for c in q.exclude)
    return expr
