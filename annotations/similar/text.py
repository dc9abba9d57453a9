"""Text helpers for similar passages: normalising, word shingles, the scorer, word diffs.

Everything here is pure and deterministic across processes (no ``hash()``):
the shingle hashes are stored in the on-disk cache.
"""

from __future__ import annotations

import difflib
import re
import zlib
from collections import Counter
from functools import lru_cache
from itertools import compress, repeat
from operator import add, lshift, ne, or_, xor
from typing import Any

from rapidfuzz import fuzz

# A word: letters/digits, with inner apostrophes ("don't", "gaza’s"). Atomic, so that a
# pattern of n words never backtracks into splitting one.
WORD_RE = r"(?>[^\W_]+(?:['’][^\W_]+)*)"
WORD = re.compile(WORD_RE)
_SKIPS: dict[int, re.Pattern[str]] = {}


def n_words(n: int) -> re.Pattern[str]:
    """A pattern matching ``n`` words and what separates them (from a word's start)."""
    pat = _SKIPS.get(n)
    if pat is None:
        tail = r"(?:[\W_]+" + WORD_RE + f"){{{n - 1}}}" if n > 1 else ""
        pat = _SKIPS[n] = re.compile(WORD_RE + tail)
    return pat
APOS = str.maketrans("", "", "'’")

SHINGLE = 3  # words per shingle
MASK32 = 0xFFFFFFFF

# Scoring (the index and the brute-force baseline use the same): rapidfuzz ``fuzz.ratio``
# (normalised Indel similarity: order matters) on normalised text. A query of at most
# SHORT_WORDS words is aligned inside each passage (``fuzz.partial_ratio``); a query longer
# than a passage is cut into passage-sized pieces (PIECE words, every PIECE // 2 words) and
# a passage takes its best piece's score.
SCORER_NAME = "ratio/partial_ratio/pieces"
SHORT_WORDS = 14
PIECE = 24


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word in ``text``."""
    return [m.span() for m in WORD.finditer(text)]


def norm_tokens(text: str) -> list[str]:
    """The normalised words of ``text``: lower case, apostrophes dropped ("don't" -> "dont")."""
    return " ".join(WORD.findall(text.lower())).translate(APOS).split()


def normalise(text: str) -> str:
    """Normalised words joined by single spaces: what the scorer compares."""
    return " ".join(norm_tokens(text))


KEY_SHIFT = 32  # postings are ``hash << 32 | unit``; a shingle's key is ``hash << 32``
_K1, _K2, _K3 = 0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D


class Hasher:
    """Stable keys of word 3-grams: ``hash << KEY_SHIFT``, ``hash`` a 32-bit mix of the words'
    CRC32 values (cached per word, pre-multiplied for each position in the shingle)."""

    __slots__ = ("_a", "_b", "_c")

    def __init__(self) -> None:
        self._a: dict[str, int] = {}
        self._b: dict[str, int] = {}
        self._c: dict[str, int] = {}

    def _learn(self, tokens: list[str]) -> None:
        a, b, c = self._a, self._b, self._c
        missing = set(tokens).difference(a)
        if not missing:
            return
        if len(a) > 1_000_000:
            a.clear()
            b.clear()
            c.clear()
            missing = set(tokens)
        for t in missing:
            x = zlib.crc32(t.encode("utf-8", "surrogatepass"))
            a[t] = ((x * _K1) & MASK32) << KEY_SHIFT
            b[t] = ((x * _K2) & MASK32) << KEY_SHIFT
            c[t] = ((x * _K3) & MASK32) << KEY_SHIFT

    def keys(self, tokens: list[str]) -> list[int]:
        """Key of the shingle starting at each word (fewer words than a shingle: one key)."""
        self._learn(tokens)
        if len(tokens) < SHINGLE:
            if not tokens:
                return []
            h = 0
            for t in tokens:
                h = (h * _K1 + zlib.crc32(t.encode("utf-8", "surrogatepass"))) & MASK32
            return [h << KEY_SHIFT]
        xs = list(map(self._a.__getitem__, tokens[:-2]))
        ys = map(self._b.__getitem__, tokens[1:-1])
        zs = map(self._c.__getitem__, tokens[2:])
        return list(map(xor, map(xor, xs, ys), zs))


# Words that carry no claim: left out of the term postings (BM25) and of seed counts.
STOP = frozenset("""
a about above after again against all am an and any are aren as at be because been before being
below between both but by can could did didn do does doing don down during each few for from
further had has have having he her here hers herself him himself his how i if in into is isn it
its itself just let me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that thats the their theirs them
themselves then there theres these they theyre this those through to too under until up very was
we were weve what when where which while who whom why will with would you your youre yours
yourself yourselves uh um oh yeah okay ok well also really know like going gonna get got say said
says just one us im ive its dont
""".split())


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
_NUMBER_WORDS.update({w: str(n) for w, n in _TENS.items()})
_SCALE = {"hundred": "00", "thousand": "000", "million": "000000", "billion": "000000000"}


# Words news reports use for the same thing, each group read as its first word (by stem):
# a claim in other words still shares its terms ("died" / "killed", "inquiry" / "probe").
SAME_SENSE = """
kill killed killing died dies dead death deaths
investigation investigate inquiry probe review
evacuate evacuated flee fled displaced displace
family families household households
collapse collapsed breach failed fail gave
hostage hostages captive captives abducted kidnapped
release released freed free
strike strikes airstrike airstrikes attack attacks bombardment bombing bombed shelling
fire fired dismiss dismissed sack sacked
officer officers commander commanders
soldier soldiers troop troops forces
famine starvation starving starve hunger
ceasefire truce pause
aid assistance relief supplies
wound wounded injure injured injuries
child children kid kids
journalist journalists reporter reporters
missile missiles rocket rockets
drone drones uav
"""


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light English stem (plural, -ing, -ed, -ly, final e): "killed", "killing" and
    "kills" -> "kill"; "strikes" -> "strik"; number words as digits ("seven" -> "7").
    Numbers and short words are kept."""
    w = word
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("ly") and len(w) > 5:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def figures(tokens: list[str]) -> set[str]:
    """The numbers said in normalised words: digits (``33 000`` from "33,000" is one figure)
    and number words ("seven" -> ``7``); a scale word multiplies the number before it."""
    out: list[str] = []
    prev_num = False
    for t in tokens:
        if t.isdigit():
            if prev_num and len(t) == 3 and out:  # "33,000" was cut into "33" "000"
                out[-1] += t
            else:
                out.append(t.lstrip("0") or "0")
            prev_num = True
        elif t in _NUMBER_WORDS:
            n = _NUMBER_WORDS[t]
            if prev_num and out and out[-1] in {str(v) for v in _TENS.values()} and len(n) == 1:
                out[-1] = str(int(out[-1]) + int(n))  # "twenty nine" -> 29
            else:
                out.append(n)
            prev_num = True
        elif t in _SCALE and prev_num and out:
            out[-1] += _SCALE[t]
        else:
            prev_num = False
    return set(out)


def other_figures(a: list[str], b: list[str]) -> bool:
    """Both word lists give figures and none is the same: another count, another claim."""
    fa, fb = figures(a), figures(b)
    return bool(fa and fb) and not fa & fb


def _stem_plain(word: str) -> str:
    return stem(word)


_SENSE: dict[str, str] = {}
for _line in SAME_SENSE.strip().splitlines():
    _ws = _line.split()
    for _w in _ws:
        _SENSE.setdefault(_stem_plain(_w), _stem_plain(_ws[0]))


@lru_cache(maxsize=100_000)
def term(word: str) -> str:
    """The index term of a normalised word: its stem, read as the first word of its group
    of the same sense."""
    s = stem(word)
    return _SENSE.get(s, s)


def term_hash(word: str) -> int:
    """Stable 32-bit hash of a normalised word (the key of its term postings)."""
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


_TERM_KEYS: dict[str, int] = {}  # word -> its term's hash << 32 (-1: a stop word)


def term_postings(tokens: list[str], units: list[int]) -> list[int]:
    """``hash << 32 | unit << 8 | count`` for the term of every word that is not a stop
    word, per unit: ``tokens`` are normalised words, ``units`` the unit of each (units
    below 2**24). Words of one term in a unit (e.g. "killed", "died") add up."""
    keys = _TERM_KEYS
    missing = set(tokens).difference(keys)
    if missing:
        if len(keys) > 1_000_000:
            keys.clear()
            missing = set(tokens)
        for t in missing:
            keys[t] = -1 if t in STOP else term_hash(term(t)) << 32
    found = list(map(keys.__getitem__, tokens))
    counts = Counter(compress(map(or_, found, map(lshift, units, repeat(8))),
                              map(ne, found, repeat(-1))))  # stop words (-1) left out
    if counts and max(counts.values()) > 255:  # pragma: no cover - units are short
        return [k | min(c, 255) for k, c in counts.items()]
    return list(map(add, counts, counts.values()))


def scorer_for(qnorm: str) -> tuple[Any, list[str]]:
    """The rapidfuzz scorer for a normalised query, and the query pieces to score."""
    words = qnorm.split(" ")
    n = len(words)
    if n <= SHORT_WORDS:
        return fuzz.partial_ratio, [qnorm]
    if n <= PIECE + PIECE // 4:
        return fuzz.ratio, [qnorm]
    step = PIECE // 2
    starts = list(range(0, n - PIECE, step)) + [n - PIECE]
    return fuzz.ratio, [" ".join(words[i : i + PIECE]) for i in starts]


def score(query: str, passage: str) -> float:
    """Similarity 0–100 of a query and a passage (normalised here), as the index scores it."""
    q, p = normalise(query), normalise(passage)
    scorer, pieces = scorer_for(q)
    return max(float(scorer(x, p, processor=None)) for x in pieces) if q and p else 0.0


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level differences between ``a`` and ``b`` for a side-by-side preview.

    Each item is ``(op, words)`` with op ``equal``, ``delete`` (only in ``a``),
    ``insert`` (only in ``b``) or ``replace`` (words of ``a``, ``"\\x00"``,
    words of ``b``). Words are compared normalised (case and punctuation
    ignored) but shown as written.
    """
    wa = a.split()
    wb = b.split()
    ka = [normalise(w) or w for w in wa]
    kb = [normalise(w) or w for w in wb]
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(wa[i1:i2])))
        elif op == "delete":
            out.append(("delete", " ".join(wa[i1:i2])))
        elif op == "insert":
            out.append(("insert", " ".join(wb[j1:j2])))
        else:
            out.append(("replace", " ".join(wa[i1:i2]) + "\x00" + " ".join(wb[j1:j2])))
    return out
