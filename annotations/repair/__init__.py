"""Display-time repair of caption transcripts (Textual-free).

``repair(raw, context) -> Repaired``: edits applied to the raw text give the display
text, with a monotonic two-way offset map. The raw text is never changed.

Kinds: ``gap`` (text lost at a caption join, shown as ``[…]``), ``completion`` (missing
letters of a cut word, inserted), ``punctuation``, ``paragraph``, ``whitespace``,
``entity``, ``control``, ``repeat`` (a mark that changes nothing) and ``case``
(sentence case for all-caps captions, inferred).
"""

from __future__ import annotations

from annotations.repair.context import RepairContext, context_for, corpus_lexicon
from annotations.repair.edits import KINDS, Edit, Repaired, Segment, identity
from annotations.repair.engine import RepairResult, repair
from annotations.repair.joins import GAP_MARKER
from annotations.repair.lexicon import warm
from annotations.repair.style import Style, detect

__all__ = [
    "GAP_MARKER",
    "KINDS",
    "Edit",
    "RepairContext",
    "RepairResult",
    "Repaired",
    "Segment",
    "Style",
    "context_for",
    "corpus_lexicon",
    "detect",
    "identity",
    "repair",
    "warm",
]
