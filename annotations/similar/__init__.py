"""Similar passages across a corpus (Textual-free).

Documents are cut into overlapping passages over their repaired text; word
3-gram hashes go into an inverted index kept on disk; candidates are rescored
with rapidfuzz. See :mod:`annotations.similar.index`.
"""

from __future__ import annotations

from annotations.similar.find import KINDS, THRESHOLDS, Hit, Results, SimilarFinder
from annotations.similar.index import CUTOFF, Match, Passage, PassageIndex, UpdateStats
from annotations.similar.text import normalise, score, word_diff

__all__ = [
    "CUTOFF",
    "KINDS",
    "THRESHOLDS",
    "Hit",
    "Results",
    "SimilarFinder",
    "Match",
    "Passage",
    "PassageIndex",
    "UpdateStats",
    "normalise",
    "score",
    "word_diff",
]
