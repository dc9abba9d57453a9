"""Local alignment of two word sequences: the longest stretch said in the same words.

Text-reuse detection (BLAST-style seed and extend): the longest common
subsequence of the two word lists (rapidfuzz, in C) gives matching blocks;
blocks close to each other on both sides (at most ``MAX_GAP`` words skipped on
either side: a misheard or missed word, a caption cut) are chained, and the
chain with the most matched words is the aligned span. It is scored by its own
length and identity, whatever surrounds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz.distance import LCSseq

from annotations.similar.text import STOP, stem

STOP_STEMS = STOP | {stem(w) for w in STOP}

MAX_GAP = 4  # words skipped on one side between two matching blocks of a chain
FULL_WORDS = 8.0  # effective matched words for 63 % of the length factor
STOP_WEIGHT = 0.5  # a matched stop word counts half
# identity enters the score softened: a quote with a misheard or missed word every few
# words (captions) is still the same quote, and outranks a short name said word for word
IDENTITY_POWER = 0.5


class _Block(NamedTuple):
    """Words ``[a, a + size)`` of the first list match ``[b, b + size)`` of the second."""

    a: int
    b: int
    size: int


@dataclass(frozen=True, slots=True)
class Aligned:
    """An aligned span: words ``[a0, a1)`` of the first list, ``[b0, b1)`` of the second."""

    a0: int
    a1: int
    b0: int
    b1: int
    matched: int  # words matched
    content: int  # ... of which not stop words
    score: float  # 0-100

    @property
    def identity(self) -> float:
        return 2 * self.matched / max(1, (self.a1 - self.a0) + (self.b1 - self.b0))


def score_of(matched: int, len_a: int, len_b: int, eff: float) -> float:
    """0-100: identity of the span, softened (``** IDENTITY_POWER``), times a length factor
    that keeps growing with its effective length ``eff`` (the weights of its matched
    words): ``1 - exp(-eff / FULL_WORDS)``, so a long quote with one word changed ranks
    above a short stock phrase said word for word."""
    identity = 2 * matched / max(1, len_a + len_b)
    return 100.0 * identity ** IDENTITY_POWER * (1.0 - math.exp(-eff / FULL_WORDS))


def align(a: list[str], b: list[str], *, min_content: int = 3,
          weights: list[float] | None = None) -> Aligned | None:
    """The best chain of matching blocks between word lists ``a`` and ``b`` (None: no chain
    with ``min_content`` matched words that are not stop words).

    ``weights`` (one per word of ``a``) is what each matched word counts towards the
    span's effective length: a rare word more than a common one (default: 1, a stop
    word ``STOP_WEIGHT``).

    Blocks with at most ``MAX_GAP`` words between them on both sides form a chain; within
    each chain one run of blocks is kept (a stray "the" a few words past the end of a quote
    does not extend it), and the best run of all chains is returned."""
    if not a or not b:
        return None
    if weights is None:
        weights = [STOP_WEIGHT if w in STOP_STEMS else 1.0 for w in a]
    # one longest common subsequence can pass by a local match where several tie (a "the"
    # or "and" matched further on): the subsequence found from the other end is tried too
    forward = [_Block(m.a, m.b, m.size) for m in LCSseq.opcodes(a, b).as_matching_blocks() if m.size]
    na, nb = len(a), len(b)
    backward = [_Block(na - m.a - m.size, nb - m.b - m.size, m.size)
                for m in reversed(LCSseq.opcodes(a[::-1], b[::-1]).as_matching_blocks())
                if m.size]
    best: Aligned | None = None
    for blocks in (forward, backward):
        found = _best_chain(blocks, a, min_content, weights)
        if found is not None and (best is None or found.score > best.score):
            best = found
    return best


def _best_chain(blocks: list[_Block], a: list[str], min_content: int,
                weights: list[float]) -> Aligned | None:
    """The best run of chained matching blocks ``(a, b, size)`` (see :func:`align`)."""
    chains: list[list[_Block]] = []
    for m in blocks:
        if chains:
            last = chains[-1][-1]
            if m.a - (last.a + last.size) <= MAX_GAP and m.b - (last.b + last.size) <= MAX_GAP:
                chains[-1].append(m)
                continue
        chains.append([m])
    best: Aligned | None = None
    best_key = -1.0
    for chain in chains:
        sizes = [m.size for m in chain]
        contents = [sum(1 for w in a[m.a : m.a + m.size] if w not in STOP_STEMS) for m in chain]
        if sum(contents) < min_content:
            continue
        effs = [sum(weights[m.a : m.a + m.size]) for m in chain]
        for i in range(len(chain)):
            matched = content = 0
            eff = 0.0
            for j in range(i, len(chain)):
                matched += sizes[j]
                content += contents[j]
                eff += effs[j]
                if content < min_content:
                    continue
                a0, a1 = chain[i].a, chain[j].a + chain[j].size
                b0, b1 = chain[i].b, chain[j].b + chain[j].size
                # the run kept: most effective words weighted by identity (squared before
                # softening: longer wins over a slightly cleaner part of it; a stray far
                # word does not count)
                ident = 2 * matched / ((a1 - a0) + (b1 - b0))
                key = eff * ident ** (2 * IDENTITY_POWER)
                if key > best_key:
                    best_key = key
                    best = Aligned(a0, a1, b0, b1, matched, content,
                                   score_of(matched, a1 - a0, b1 - b0, eff))
    return best
