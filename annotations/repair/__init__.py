"""Display-time repair of caption transcripts (Textual-free).

``repair(raw, context) -> Repaired``: edits applied to the raw text give the display
text, with a monotonic two-way offset map. The raw text is never changed.

Kinds: ``gap`` (text lost at a caption join, shown as ``[…]``), ``completion`` (missing
letters of a cut word, inserted), ``punctuation``, ``paragraph``, ``whitespace``,
``entity``, ``control``, ``repeat`` (a mark that changes nothing) and ``case``
(sentence case for all-caps captions, inferred).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names are loaded on first use (PEP 562), so importing the light offset map
# (``annotations.repair.edits``) does not pull in the whole engine.
_WHERE = {
    "RepairContext": "context",
    "context_for": "context",
    "corpus_lexicon": "context",
    "KINDS": "edits",
    "Edit": "edits",
    "Repaired": "edits",
    "Segment": "edits",
    "identity": "edits",
    "RepairResult": "engine",
    "repair": "engine",
    "GAP_MARKER": "joins",
    "warm": "lexicon",
    "Style": "style",
    "detect": "style",
}

if TYPE_CHECKING:
    from annotations.repair.context import RepairContext, context_for, corpus_lexicon
    from annotations.repair.edits import KINDS, Edit, Repaired, Segment, identity
    from annotations.repair.engine import RepairResult, repair
    from annotations.repair.joins import GAP_MARKER
    from annotations.repair.lexicon import warm
    from annotations.repair.style import Style, detect


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'annotations.repair' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"annotations.repair.{module}"), name)
    globals()[name] = value
    return value


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
