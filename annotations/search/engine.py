"""The small interface every full-text engine implements, and the records it trades.

gloss ships one engine, :class:`annotations.search.sqlite_index.SqliteIndex` (SQLite
FTS5, in the store folder). A server engine (OpenSearch, PostgreSQL full-text)
implements the same :class:`SearchIndex` protocol; see ``docs/architecture.md``.

An engine answers *which documents* match (with metadata filters applied, in date
order, and counts per channel and month). *Where* in a document the hits are is
found by :mod:`annotations.search.locate` on the raw text itself, with the same
tokenizer the index was fed, so every hit is an exact raw span whatever engine
found the document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from annotations.search.query import Query


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One document as handed to an engine. ``text``: :func:`tokens.index_text` of the
    raw text."""

    rel_path: str  # identity in the index (stable across scans)
    key: str  # corpus key, to open the document
    fingerprint: str  # size:mtime of the file when it was read
    title: str
    channel: str
    date: str
    text: str


@dataclass(frozen=True, slots=True)
class DocMatch:
    rel_path: str
    key: str
    title: str
    channel: str
    date: str


@dataclass(slots=True)
class Facets:
    """Matching documents per channel and per month (``YYYY-MM``; '' = no date)."""

    total: int = 0
    channels: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)


@runtime_checkable
class SearchIndex(Protocol):
    """What the app, the CLI and the board need from a full-text engine."""

    def fingerprints(self) -> dict[str, str]:
        """rel_path -> fingerprint of every indexed document (for incremental updates)."""
        ...

    def put(self, docs: Sequence[IndexDoc]) -> int:
        """Add documents, replacing any indexed under the same rel_path (one commit);
        returns how many were written."""
        ...

    def remove(self, rel_paths: Sequence[str]) -> None:
        ...

    def match(self, q: Query, *, limit: int | None = None, offset: int = 0,
              annotated: frozenset[str] | None = None) -> list[DocMatch]:
        """Documents matching ``q`` (text and filters), newest first.
        ``annotated``: keys of documents with annotations (for ``has:annotations``)."""
        ...

    def facets(self, q: Query, *, annotated: frozenset[str] | None = None) -> Facets:
        ...

    def vocabulary(self) -> list[str]:
        """Every indexed term (for fuzzy expansion)."""
        ...

    def close(self) -> None:
        ...
