"""The one tokenizer of search: raw text -> folded tokens with exact raw spans.

A *token* is a maximal run of letters and digits (``str.isalnum``), with any
combining marks inside or after it (``e`` + U+0301 stays one token). Underscore,
punctuation, symbols and spaces separate tokens.

*Folding* is what SQLite's ``unicode61 remove_diacritics 2`` does: NFKD, combining
marks dropped, then case-folded (``Éléphant`` -> ``elephant``, ``Straße`` ->
``strasse``). It is done here, in Python, and FTS5 receives pre-folded tokens
through its ``ascii`` tokenizer (which splits on ASCII non-alphanumerics only and
keeps every non-ASCII character), so the index and the re-locator that turns
FTS5 matches into raw offsets can never disagree about what a token is, whatever
Unicode version the SQLite library was built with.

A raw token whose folded form falls apart (``½`` -> ``1⁄2``) yields several index
tokens, each carrying the whole raw span of its raw token.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_MARKS: str | None = None


def _marks() -> str:
    """A regex class body of every combining mark in the Basic Multilingual Plane."""
    global _MARKS
    if _MARKS is None:
        ranges: list[tuple[int, int]] = []
        for cp in range(0x300, 0x10000):
            if unicodedata.category(chr(cp)).startswith("M"):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1] = (ranges[-1][0], cp)
                else:
                    ranges.append((cp, cp))
        _MARKS = "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
    return _MARKS


_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+")
_TOKEN: re.Pattern[str] | None = None
_SPLIT = re.compile(r"[\W_]+")


def _token_re() -> re.Pattern[str]:
    global _TOKEN
    if _TOKEN is None:
        _TOKEN = re.compile(rf"[^\W_](?:[^\W_]|[{_marks()}])*")
    return _TOKEN


@lru_cache(maxsize=200_000)
def fold(token: str) -> tuple[str, ...]:
    """Index tokens of one raw token (usually one): accents off, case folded."""
    if token.isascii():
        low = token.lower()
        return tuple(t for t in _SPLIT.split(low) if t)
    s = unicodedata.normalize("NFKD", token)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return tuple(t for t in _SPLIT.split(s) if t)


def fold_words(text: str) -> list[str]:
    """The index tokens of a query word or phrase (empty: no letters or digits)."""
    return [t for t, _, _ in tokens_of(text)]


def tokens_of(raw: str) -> list[tuple[str, int, int]]:
    """``(index token, raw start, raw end)`` for every token of ``raw``, in order."""
    out: list[tuple[str, int, int]] = []
    add = out.append
    if raw.isascii():
        for m in _ASCII_TOKEN.finditer(raw):
            add((m.group().lower(), m.start(), m.end()))
        return out
    for m in _token_re().finditer(raw):
        word = m.group()
        s, e = m.start(), m.end()
        if word.isascii():
            add((word.lower(), s, e))
            continue
        for t in fold(word):
            add((t, s, e))
    return out


def index_text(raw: str) -> str:
    """What FTS5 indexes for ``raw`` (its ``ascii`` tokenizer splits it into
    exactly the index tokens of :func:`tokens_of`, in the same positions)."""
    if raw.isascii():
        return raw  # the ascii tokenizer splits and lower-cases ASCII as tokens_of does
    words = _token_re().findall(raw)
    return " ".join(t for w in words for t in (fold(w) if not w.isascii() else (w.lower(),)))


def unicode_version() -> str:
    """Unicode version of the folding tables (Python's), for the index metadata."""
    return unicodedata.unidata_version + "/" + sys.version.split()[0]
