"""Caption line ends: where they are, what was lost there, and how to show it.

A line end is *certain* when the loader recorded it (``Document.joins`` for vtt/srt).
In plain text of the ``cut`` style, line ends are inferred from the cut width ``W``: a
line that reached the width is exactly ``W`` columns long, so it starts right after a
separator space ``W + 1`` characters before its end. A double space there is a line cut
on a space; a word there that is not a word is a line cut inside a word.

Edits made here: ``gap`` (marker inserted where text was lost), ``completion``
(missing letters of a cut word inserted after it), ``punctuation`` (the separator space
shown as ``". "`` before a capitalised sentence start), ``repeat`` (a mark).

Speed: a long document has tens of thousands of possible line ends, so decisions are
made once per distinct token and the per-position work is list comprehensions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from annotations.repair.case import corpus_names
from annotations.repair.edits import Edit
from annotations.repair.lexicon import (
    TWO_LETTER,
    Completion,
    WordIndex,
    complete,
    english_extensions,
    zipf,
)
from annotations.repair.scan import Scan, capitalised_after, line_end_candidates, repeated_pairs
from annotations.repair.sentences import (
    I_VERBS,
    end_holds,
    is_starter,
    mid_capitals,
    no_i_before,
)
from annotations.repair.style import Style

GAP_MARKER = "[…]"
_LEAD_PUNCT = "\"'([{“‘«—–-"
_ALPHA = re.compile(r"[A-Za-z]+\Z")
_NEXT_WORD = re.compile(r"[\"'“‘(]?([A-Za-z][A-Za-z']*)")
_CAP_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\"'“‘(")
_CLOSED = frozenset(".?!,;:—–-\"')]…")


@dataclass(slots=True)
class LineEnds:
    """Where lines that reached the cut width ended.

    ``single``: offsets ``e`` where the line's last character is at ``e - 1`` and the
    separator space at ``e``. ``trailing``: offsets ``p`` of a line's trailing space (the
    last column, cut on a space), the separator being at ``p + 1``.
    """

    single: list[int]
    trailing: list[int]
    certain: bool

    def seps(self) -> set[int]:
        return set(self.single).union(p + 1 for p in self.trailing)


def find_line_ends(raw: str, style: Style, joins: Sequence[tuple[int, int]]) -> LineEnds:
    """Line ends of lines that reached the cut width (text may be lost after them)."""
    w = style.width
    if w is None:
        return LineEnds([], [], False)
    n = len(raw)
    if joins:
        single: list[int] = []
        trailing: list[int] = []
        for s, cols in joins:
            if cols < w or not 0 < s <= n:
                continue
            if raw[s - 1] != " ":
                single.append(s)
            elif s < 2 or raw[s - 2] != " ":
                trailing.append(s - 1)
        return LineEnds(single, trailing, True)
    single = line_end_candidates(raw, w)
    if n > w and raw[w] == " " and raw[w - 1] != " " and raw[0] != " " and raw[w + 1:w + 2] != " ":
        single.insert(0, w)
    end = len(raw.rstrip())
    if end > w and raw[end - w - 1] == " " and raw[end - w] != " ":
        single.append(end)
    return LineEnds(single, list(style.doubles), False)


_TOKEN_CACHE: dict[str, tuple[int, str]] = {}


def split_token(tok: str) -> tuple[int, str]:
    """(offset of the word in the raw token, the word); ``""``: no plain word there."""
    hit = _TOKEN_CACHE.get(tok)
    if hit is not None:
        return hit
    k = tok.rfind("\n") + 1
    while k < len(tok) and tok[k] in _LEAD_PUNCT:
        k += 1
    word = tok[k:]
    if "-" in word:
        cut = word.rfind("-") + 1
        k += cut
        word = word[cut:]
    hit = (k, word) if _ALPHA.match(word) else (k, "")
    if len(_TOKEN_CACHE) > 50_000:
        _TOKEN_CACHE.clear()
    _TOKEN_CACHE[tok] = hit
    return hit


def last_token(raw: str, end: int) -> tuple[int, str]:
    """The word ending at ``end`` (start offset, text); ``""`` when it is not a plain word."""
    start = raw.rfind(" ", end - 80 if end > 80 else 0, end) + 1
    k, word = split_token(raw[start:end])
    return start + k, word


def next_word(raw: str, sep: int) -> str:
    m = _NEXT_WORD.match(raw, sep + 1)
    return m.group(1) if m else ""


@dataclass(slots=True)
class Lexicons:
    doc: WordIndex  # this document's words, cut tokens left out
    other: Counter[str]  # case-folded counts of words away from line ends
    title: WordIndex | None
    corpus: WordIndex | None
    raw: str = ""
    seps: set[int] = field(default_factory=set)
    _mid: Counter[str] | None = None
    corpus_words: Mapping[str, int] | None = None
    _names: dict[str, str] | None = None
    starter_cache: dict[str, bool] = field(default_factory=dict)
    completion_cache: dict[tuple[str, bool], Completion | None] = field(default_factory=dict)

    @property
    def mid(self) -> Counter[str]:
        """Capitalised words seen mid-sentence (names), computed when first needed."""
        if self._mid is None:
            self._mid = mid_capitals(self.raw, self.seps)
        return self._mid

    @property
    def names(self) -> dict[str, str]:
        """Names (lower-case -> spelling) of the corpus's mixed-case text."""
        if self._names is None:
            self._names = corpus_names(self.corpus_words)
        return self._names

    def starter(self, word: str) -> bool:
        hit = self.starter_cache.get(word)
        if hit is None:
            hit = self.starter_cache[word] = is_starter(word, self.doc, self.mid, zipf)
        return hit


def is_cut(tok: str, lex: Lexicons, upper_text: bool, certain: bool = False) -> bool:
    """Is ``tok`` (the last word of a line that reached the cut width) truncated?

    ``certain``: the line end is known (captions), so a common word is taken as cut when
    a far more common word continues it (``BEE`` at column 32 before ``been``).
    """
    t = tok.lower()
    if tok == "i" and not upper_text:
        return True  # "I" is never lower case in edited captions
    if lex.other.get(t, 0) > 0:
        return False  # the same word stands complete elsewhere in the document
    if len(t) == 1:
        return t != "a" and not (t == "i" and (tok == "I"))
    if len(t) == 2:
        return t not in TWO_LETTER
    z = zipf(t)
    capital = tok[0].isupper() and not upper_text
    if capital and (z < 3.5 or (z < 4.5 and len(t) <= 5)):
        named = [k for k, _n in lex.doc.extensions(t) if lex.doc.form(k)[:1].isupper()]
        if named:
            return True
    if z >= 3.5:
        if certain and z < 4.5:
            best = max((f for _k, f in english_extensions(t)), default=0.0)
            return best > 0 and math.log10(best) + 9 >= z + 1.5
        return False
    exts = lex.doc.extensions(t)
    if exts and (z < 2.0 or max(n for _k, n in exts) >= 2):
        return True
    if lex.corpus is not None:
        c = [n for _k, n in lex.corpus.extensions(t, 200)]
        if c and max(c) >= 3 and z < 2.0:
            return True
    best = max((f for _k, f in english_extensions(t)), default=0.0)
    if best <= 0:
        return False  # nothing extends it: a rare complete word or a name
    return math.log10(best) + 9 >= z + 1.0


def join_edits(
    raw: str,
    ends: LineEnds,
    build_lexicons: Callable[[Counter[str]], Lexicons],
    upper_text: bool,
    where: str,
    width_gaps: bool = True,
) -> list[Edit]:
    """Gap, completion and punctuation edits at line ends.

    ``build_lexicons(end_tokens)`` makes the word knowledge once the words at line ends
    (which may be cut, so must not count as words) are known.
    """
    single = ends.single
    toks = [raw[raw.rfind(" ", e - 80 if e > 80 else 0, e) + 1:e] for e in single]
    counts = Counter(toks)
    words = {t: split_token(t) for t in counts}
    end_tokens: Counter[str] = Counter()
    for t, c in counts.items():
        if words[t][1]:
            end_tokens[words[t][1]] += c
    lex = build_lexicons(end_tokens)
    lex.raw = raw
    cut = {t: bool(w) and is_cut(w, lex, upper_text, ends.certain)
           for t, (_k, w) in words.items()}
    cut_toks = {t for t, c in cut.items() if c}
    caps = set(capitalised_after(raw, single))
    lex.seps = caps.union(p + 1 for p in ends.trailing)  # only these can hide a sentence end
    edits: list[Edit] = []
    # lines cut on a space: text was lost after the space
    for p in ends.trailing:
        edits.append(Edit("gap", p + 1, p + 1, GAP_MARKER, 0.85,
                          f"lost text at a caption join ({where}, cut on a space)"))
        if not upper_text:
            edits.extend(_punctuation(raw, p, p + 1, lex, True))
    width_gaps = width_gaps and ends.certain and not upper_text
    if width_gaps:
        interesting = list(zip(single, toks, strict=True))
    elif cut_toks:
        interesting = [(e, t) for e, t in zip(single, toks, strict=True)
                       if e in caps or t in cut_toks]
    else:
        interesting = [(e, toks[i]) for i, e in enumerate(single) if e in caps]
    for e, t in interesting:
        k, word = words[t]
        lost = False
        if cut[t]:
            start = e - len(t) + k
            before = raw[max(0, start - 2):start].strip()
            proper = word[0].isupper() and not word.isupper() and before[-1:] not in ".?!"
            key = (word, proper)
            if key in lex.completion_cache:
                comp = lex.completion_cache[key]
            else:
                comp = lex.completion_cache[key] = complete(
                    word, lex.doc, lex.title, lex.corpus, proper=proper)
            if comp is not None:
                edits.append(Edit("completion", e, e, comp.suffix, comp.confidence,
                                  f"{word} → {comp.word}: word from {_source(comp.source)} "
                                  "(cut at a caption join)"))
            else:
                edits.append(Edit("gap", e, e, GAP_MARKER, 0.8,
                                  f"lost text at a caption join ({where}: '{word}' is cut)"))
        elif width_gaps and raw[e - 1] not in _CLOSED:
            lost = True
            # the line reached the width and ends in a complete word: the rest of the
            # caption line (words, punctuation) may have been cut off
            edits.append(Edit("gap", e, e, " " + GAP_MARKER, 0.5,
                              f"text may be lost at a caption join ({where}, "
                              f"after a complete word)"))
        elif not (word or raw[e - 1:e].isalnum()):
            continue
        if not upper_text:
            edits.extend(_punctuation(raw, e, e, lex, lost, cut[t]))
    return edits


def _punctuation(raw: str, end: int, sep: int, lex: Lexicons, lost: bool,
                 cut: bool = False) -> list[Edit]:
    """A sentence end shown at the separator ``sep`` before a capitalised sentence start."""
    if sep + 1 >= len(raw) or raw[sep] != " " or raw[sep + 1] not in _CAP_START:
        return []
    if raw[end - 1] in _CLOSED:
        return []
    nxt = next_word(raw, sep)
    if not nxt:
        return []
    if not lex.starter(nxt) and not i_starts(raw, sep, nxt, lost):
        return []
    _start, prev = last_token(raw, end)
    if not end_holds(raw, end, prev or raw[raw.rfind(" ", 0, end) + 1:end], nxt,
                     lost=lost, cut=cut, mid=lex.mid, names=lex.names):
        return []
    return [Edit("punctuation", sep, sep + 1, ". ", 0.7,
                 f"sentence end restored before '{nxt}' at a caption join")]


def i_starts(raw: str, sep: int, nxt: str, lost: bool) -> bool:
    """``I mean``, ``I think``, ``I don't`` after a caption join: a new sentence, unless
    the word before continues into it (``that I think``)."""
    if nxt not in ("I", "I'm"):
        return False
    m = _NEXT_WORD.match(raw, sep + 3)
    if nxt == "I" and (m is None or m.group(1) not in I_VERBS):
        return False
    return lost or not no_i_before(last_token(raw, sep)[1])


def _source(name: str) -> str:
    return {
        "document": "this document",
        "title": "the title",
        "corpus": "the corpus",
    }.get(name, "the English word list")


def repeat_edits(raw: str, scan: Scan, join_points: set[int], everywhere: bool) -> list[Edit]:
    """Mark (never delete) a word repeated right after itself.

    At a caption join the repeat is likely an artefact of the captions; elsewhere it is
    marked only when ``everywhere`` (cut captions, whose joins are not all known):
    speakers repeat words too ("very very").
    """
    out: list[Edit] = []
    for first, second, n in repeated_pairs(scan):
        word = raw[second:second + n]
        at_join = any(p in join_points for p in range(first + n, second))
        if not at_join and not everywhere:
            continue
        if at_join:
            reason = f"'{word}' repeated at a caption join (kept: may be a caption artefact)"
            conf = 0.7
        else:
            reason = f"'{word}' repeated (kept: speakers repeat words too)"
            conf = 0.4
        out.append(Edit("repeat", second, second + n, word, conf, reason))
    return out
