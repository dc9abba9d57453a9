"""Corpus search as the app and the CLI use it: query -> documents -> KWIC hits.

``Searcher(root, index)`` ties an engine (any :class:`SearchIndex`) to the corpus
folder whose raw text it re-reads to place hits. Documents are read by path
(no corpus scan needed), or through ``loader`` — :func:`corpus_loader` gives the
corpus's own load, so a transcript merged with its caption twin (annotations/twins.py)
has its cue times and every hit its video time. A file changed since it was indexed is
searched as it is now (hits are always exact for the current text; a document without
hits any more is left out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.model import Document
from annotations.search.engine import DocMatch, SearchIndex
from annotations.search.kwic import WIDTH, Hit, make_hits
from annotations.search.locate import locate
from annotations.search.query import Query, QueryError, expand, parse, parse_date

FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) for a vocabulary term to count as a spelling
FUZZY_LIMIT = 8  # expansions per word
FUZZY_MIN_LEN = 4  # shorter words are not expanded (too many neighbours)


@dataclass(slots=True)
class Results:
    query: Query
    documents: list[DocMatch]  # every matching document, newest first
    hits: list[Hit] = field(default_factory=list)  # located so far (in document order)
    located: int = 0  # documents already looked into
    complete: bool = False  # every matching document has been looked into


Loader = Callable[[DocMatch], Document | None]  # None: read the file by its path


def corpus_loader(corpus: Any) -> Loader:
    """Documents as ``corpus`` (an :class:`annotations.corpus.Corpus`) loads them: a
    transcript with a caption twin comes merged, with cue times. A document the corpus
    has not scanned (or keys to another file) is left to the plain read."""
    def load(m: DocMatch) -> Document | None:
        info = corpus.get(m.key)
        if info is None or info.rel_path != m.rel_path:
            return None
        doc: Document = corpus.load(info)
        return doc

    return load


class Searcher:
    def __init__(self, root: Path, index: SearchIndex, *,
                 annotated: Callable[[], frozenset[str]] | None = None,
                 loader: Loader | None = None) -> None:
        self.root = Path(root)
        self.index = index
        self._annotated = annotated
        self._loader = loader
        self._vocab: list[str] | None = None

    # -- queries ---------------------------------------------------------------------------
    def prepare(self, text: str, *, fuzzy: bool = False, channel: str | None = None,
                since: str | None = None, until: str | None = None) -> Query:
        """Parse ``text`` and add the option filters; QueryError when it cannot be read."""
        q = parse(text)
        if channel:
            q.channels.append(channel)
        if since or until:
            lo = parse_date(since)[0] if since else ""
            hi = parse_date(until)[1] if until else ""
            q.dates.append((lo, hi))
        if fuzzy:
            q = expand(q, self.similar)
        return q

    def similar(self, word: str) -> list[str]:
        """Index terms spelled like ``word`` (rapidfuzz over the index vocabulary)."""
        if len(word) < FUZZY_MIN_LEN:
            return []
        from rapidfuzz import fuzz, process

        if self._vocab is None:
            self._vocab = [t for t in self.index.vocabulary() if not t.isdigit()]
        lo, hi = len(word) - 3, len(word) + 3
        found = process.extract(word, self._vocab, scorer=fuzz.ratio, limit=FUZZY_LIMIT * 4,
                                score_cutoff=FUZZY_CUTOFF)
        out = [t for t, _score, _i in found if lo <= len(t) <= hi and t != word]
        return out[:FUZZY_LIMIT]

    def annotated(self, q: Query) -> frozenset[str] | None:
        if q.has_annotations is None or self._annotated is None:
            return None
        return self._annotated()

    def documents(self, q: Query) -> list[DocMatch]:
        return self.index.match(q, annotated=self.annotated(q))

    # -- hits ------------------------------------------------------------------------------
    def load(self, m: DocMatch) -> Document | None:
        from annotations import formats

        doc = self._loader(m) if self._loader is not None else None
        if doc is None:
            doc = formats.load(self.root / m.rel_path, self.root, rel=m.rel_path)
        if doc.info.error is not None:
            return None
        doc.info.key = m.key
        return doc

    def hits_in(self, q: Query, m: DocMatch, *, width: int = WIDTH,
                doc: Document | None = None) -> list[Hit]:
        """Every hit of ``q`` in one matching document (exact raw spans).

        A document that matched through its repaired text only (a word completed at a
        caption cut…) is repaired here and its hits mapped back to raw spans; one that
        has raw hits is not repaired (a repair costs far more than a search): the
        reader, which has the repaired text, finds the rest (``locate`` with it).
        """
        doc = doc or self.load(m)
        if doc is None:
            return []
        spans = locate(q, doc.raw)
        repaired: frozenset[tuple[int, int]] = frozenset()
        fixed = getattr(self.index, "matches_fixed", None)
        if not spans and fixed is not None and fixed(q, m.rel_path):
            from annotations.similar.build import repaired_of

            spans = locate(q, doc.raw, repaired_of(doc))
            repaired = frozenset(spans)
        return make_hits(doc, spans, width=width, rel_path=m.rel_path, repaired=repaired)

    def iter_hits(self, q: Query, docs: list[DocMatch], *,
                  width: int = WIDTH) -> Iterator[tuple[int, list[Hit]]]:
        """``(document index, its hits)`` for each document in turn."""
        for i, m in enumerate(docs):
            yield i, self.hits_in(q, m, width=width)

    def search(self, text: str | Query, *, limit: int | None = None, width: int = WIDTH,
               fuzzy: bool = False) -> Results:
        """Run a query; locate hits until ``limit`` hits are found (None: all)."""
        q = self.prepare(text, fuzzy=fuzzy) if isinstance(text, str) else text
        res = Results(q, self.documents(q))
        for i, hits in self.iter_hits(q, res.documents, width=width):
            res.hits.extend(hits)
            res.located = i + 1
            if limit is not None and len(res.hits) >= limit:
                break
        res.complete = res.located == len(res.documents)
        return res


__all__ = ["QueryError", "Results", "Searcher"]
