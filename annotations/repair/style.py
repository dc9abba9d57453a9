"""Which of the caption styles a text is in (see the corpus notes in docs).

* ``cut``: mixed case, caption lines cut at a fixed width (32 columns): a double space
  or a truncated word marks a line end where text was lost.
* ``upper``: all caps live captions; every line may end with a trailing space, so a
  double space means nothing was lost.
* ``asr``: automatic speech recognition: hardly any punctuation, nothing cut.
* ``prose``: edited captions or an article: punctuated, nothing cut.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from annotations.repair.scan import double_spaces, line_end_candidates

STYLES = ("cut", "upper", "asr", "prose")
DESCRIPTIONS = {
    "cut": "captions cut at {width} columns",
    "upper": "all-caps live captions",
    "asr": "automatic speech recognition captions",
    "prose": "punctuated text",
}

_SENT_END = re.compile(r"[.?!][\"')\]]*\s")
_SAMPLE = 60_000


@dataclass(frozen=True, slots=True)
class Style:
    name: str
    width: int | None  # columns at which lines were cut (None: not cut)
    doubles: tuple[int, ...]  # offsets p of double spaces that mark cut lines (plain text)

    @property
    def description(self) -> str:
        return DESCRIPTIONS[self.name].format(width=self.width)


def sample(raw: str) -> str:
    """At most ~60,000 characters spread over the text (style is a global property)."""
    if len(raw) <= _SAMPLE:
        return raw
    step = len(raw) // 6
    return " ".join(raw[i * step : i * step + _SAMPLE // 6] for i in range(6))


def upper_share(text: str) -> float:
    up = sum(text.count(c) for c in string.ascii_uppercase)
    low = sum(text.count(c) for c in string.ascii_lowercase)
    return up / (up + low) if up + low else 0.0


def width_votes(raw: str, doubles: Sequence[int], width: int) -> list[int]:
    """Double spaces consistent with a line of exactly ``width`` columns ending there.

    The line is ``raw[p + 1 - width : p + 1]`` (its last column is the space at ``p``)
    and must start the text or follow a separator space.
    """
    out = []
    for p in doubles:
        s = p + 1 - width
        if s == 0 or (s > 0 and raw[s - 1] == " " and raw[s] != " "):
            out.append(p)
    return out


def cut_width(raw: str, doubles: Sequence[int]) -> tuple[int | None, list[int]]:
    """The line width that explains the double spaces, with the ones it explains."""
    if not doubles:
        return None, []
    best: tuple[int, int, list[int]] = (0, 0, [])
    best_w = 32
    some = doubles[:400]
    for w in range(24, 49):
        votes = width_votes(raw, some, w)
        # prefer 32 on ties: it is the caption standard
        key = (len(votes), 1 if w == 32 else 0)
        if key > (best[0], best[1]):
            best = (len(votes), key[1], votes)
            best_w = w
    n, _tie, votes = best
    if n >= 2 and n >= 0.6 * len(some):
        return best_w, width_votes(raw, doubles, best_w)
    if len(doubles) == 1 and n == 1 and best_w == 32:
        return 32, votes
    return None, []


def detect(
    raw: str,
    joins: Sequence[tuple[int, int]] = (),
    forced: str | None = None,
    width: int | None = None,
    caption_width: int = 32,
) -> Style:
    """The style of ``raw`` (``forced`` wins) and, for cut captions, the cut width."""
    text = sample(raw)
    words = max(1, text.count(" ") + text.count("\n") + 1)
    upper = upper_share(text)
    sentence_ends = len(_SENT_END.findall(text))
    doubles = double_spaces(raw) if "  " in raw and upper < 0.75 else []
    if joins:
        cols = [c for _o, c in joins]
        at = sum(1 for c in cols if c == caption_width)
        over = sum(1 for c in cols if c > caption_width)
        join_width = caption_width if at >= max(2, 0.03 * len(cols)) and over <= 0.02 * len(cols) else None
        w = width or join_width
        name = forced or _name(upper, sentence_ends, words, w is not None)
        return Style(name, w if name in ("cut", "upper") else None, ())
    w, votes = (width, width_votes(raw, doubles, width)) if width else cut_width(raw, doubles)
    if w is None and forced is None and upper < 0.75 and _name(upper, sentence_ends, words, True) == "cut":
        w = caption_width if cut_words_at(raw, caption_width) else None
        votes = width_votes(raw, doubles, caption_width) if w else []
    name = forced or _name(upper, sentence_ends, words, w is not None)
    if name != "cut":
        return Style(name, None, ())
    if w is None:  # forced "cut" without evidence: the caption standard
        w, votes = caption_width, width_votes(raw, doubles, caption_width)
    return Style(name, w, tuple(votes))


def _suspicious_ends(raw: str, width: int, once: Counter[str]) -> int:
    """How many lines of exactly ``width`` columns would end in a non-word seen once."""
    from annotations.repair.lexicon import english, zipf

    eng = english()
    n = 0
    for e in line_end_candidates(raw, width):
        tok = raw[raw.rfind(" ", max(0, e - 40), e) + 1:e]
        if tok.isalpha() and once.get(tok, 0) == 1 and zipf(tok) < 2.5 and any(
                f > 1e-6 for _k, f in eng.extensions(tok, 300)):
            n += 1
    return n


def cut_words_at(raw: str, width: int) -> bool:
    """Do lines of exactly ``width`` columns end in cut words far more than other widths?

    For punctuated mixed-case text without double spaces: a line cut inside a word
    leaves a non-word (seen once) exactly ``width`` columns after a separator space.
    """
    text = raw[:120_000]
    once = Counter(text.split(" "))
    hits = _suspicious_ends(text, width, once)
    if hits < 2:
        return False
    control = max(_suspicious_ends(text, w, once) for w in (width - 3, width + 3))
    return hits >= 2 * max(1, control)


def _name(upper: float, sentence_ends: int, words: int, cut: bool) -> str:
    if upper >= 0.75:
        return "upper"
    if words >= 40 and sentence_ends / words < 0.012:
        return "asr"
    if cut:
        return "cut"
    return "prose"
