"""Word knowledge for repair: the document's own words, the corpus, and wordfreq.

* :class:`WordIndex` is a case-folded prefix index (sorted keys + ``bisect``) over
  word counts; it remembers the most common spelling of each word.
* :func:`english` is the English word-frequency list (wordfreq, offline), built once
  per process into a :class:`WordIndex` of frequencies (loading costs ~0.1 s: call
  :func:`warm` from a background thread at start-up to hide it).
* :func:`complete` picks the completion of a cut word: document words first, then the
  corpus, then wordfreq; ``None`` unless one candidate is clearly the best.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WORD = re.compile(r"\b[A-Za-z](?:[A-Za-z']*[A-Za-z])?\b")

# Two-letter tokens that are words (anything else of two letters at a line end is cut).
TWO_LETTER = frozenset(
    "ah am an as at aw be by do eh ex go ha he hi hm id if in is it ma me mm my no of oh ok "
    "on or ow ox pa pm so to tv uh um un up us vs we ya ye yo".split()
)


class WordIndex:
    """Counts of words keyed case-folded, with a prefix search."""

    __slots__ = ("counts", "forms", "lower_counts", "total", "_keys")

    def __init__(self, counts: Mapping[str, float]) -> None:
        folded: dict[str, float] = {}
        forms: dict[str, tuple[float, str]] = {}
        lower: dict[str, float] = {}
        for word, n in counts.items():
            key = word.lower()
            folded[key] = folded.get(key, 0) + n
            best = forms.get(key)
            if best is None or n > best[0]:
                forms[key] = (n, word)
            if word == key:
                lower[key] = lower.get(key, 0) + n
        self.counts = folded
        self.forms = {k: w for k, (_n, w) in forms.items()}
        self.lower_counts = lower
        self.total = float(sum(folded.values()))
        self._keys: list[str] | None = None

    @classmethod
    def folded(cls, counts: dict[str, float]) -> WordIndex:
        """An index over words that are already lower case (no spelling to keep)."""
        self = cls.__new__(cls)
        self.counts = counts
        self.forms = {}
        self.lower_counts = counts
        self.total = float(sum(counts.values()))
        self._keys = None
        return self

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = sorted(self.counts)
        return self._keys

    def count(self, word: str) -> float:
        return self.counts.get(word.lower(), 0)

    def form(self, key: str) -> str:
        return self.forms.get(key, key)

    def extensions(self, prefix: str, limit: int = 4000) -> list[tuple[str, float]]:
        """Words strictly longer than ``prefix`` that start with it (case-folded)."""
        p = prefix.lower()
        keys = self.keys
        i = bisect.bisect_right(keys, p)
        out: list[tuple[str, float]] = []
        n = len(keys)
        while i < n and len(out) < limit:
            k = keys[i]
            if not k.startswith(p):
                break
            out.append((k, self.counts[k]))
            i += 1
        return out


_ENGLISH: WordIndex | None = None
_LOCK = threading.Lock()


def english() -> WordIndex:
    """wordfreq's English list (words with a zipf of at least 1), built once."""
    global _ENGLISH
    if _ENGLISH is None:
        with _LOCK:
            if _ENGLISH is None:
                try:
                    from wordfreq import get_frequency_dict

                    freqs = get_frequency_dict("en")
                    table = {w: f for w, f in freqs.items() if f >= 1e-8 and _plain(w)}
                except Exception:  # pragma: no cover - wordfreq missing or broken
                    table = {}
                _ENGLISH = WordIndex.folded(table)
    return _ENGLISH


def _plain(word: str) -> bool:
    return word.isascii() and word.replace("'", "").isalpha()


@functools.lru_cache(maxsize=4096)
def english_extensions(prefix: str) -> tuple[tuple[str, float], ...]:
    """English words extending ``prefix`` (lower case) with their frequencies, cached."""
    return tuple(english().extensions(prefix))


def warm() -> None:
    """Load the English list and its prefix index now (e.g. in a worker thread)."""
    _ = english().keys


def zipf(word: str) -> float:
    """wordfreq zipf value of ``word`` (0 when unknown)."""
    f = english().counts.get(word.lower(), 0.0)
    return math.log10(f) + 9 if f > 0 else 0.0


def count_words(texts: Iterable[str]) -> Counter[str]:
    """Word counts (spelling kept) over ``texts``: a cheap corpus lexicon."""
    c: Counter[str] = Counter()
    for t in texts:
        c.update(WORD.findall(t))
    return c


@dataclass(frozen=True, slots=True)
class Completion:
    word: str  # the whole word as it should read
    suffix: str  # the characters to insert after the cut
    source: str  # "document" | "title" | "corpus" | "English word list"
    confidence: float


def _case_like(token: str, word: str, form: str) -> str:
    """``word`` (folded) spelt to continue ``token``: upper stays upper, names keep case."""
    if token.isupper() and len(token) > 1:
        return word.upper()
    if form.lower() == word and form[: len(token)].lower() == token.lower():
        return token + form[len(token):]
    return token + word[len(token):]


# Pseudo-counts: how much the corpus and the English list weigh against the document's
# own words (a cache language model with Dirichlet smoothing).
CORPUS_WEIGHT = 300.0
ENGLISH_WEIGHT = 1000.0
TITLE_COUNT = 2.0
THRESHOLD = 0.8  # posterior share the best completion needs


@dataclass(frozen=True, slots=True)
class _EnglishPart:
    """The document-independent English side of :func:`complete` for one prefix."""

    total: float  # sum of the English scores of the admitted words, in key order
    last: str | None  # the last key taken when the extension list hit its limit
    ranked: tuple[tuple[float, str], ...]  # the best few (score, word), best first


_RANKED = 32  # English candidates kept per prefix (enough unless the document has them all)
_MARGIN = 1e-9  # bound on how far a share summed in another order can be from the original


def _admitted(t: str, k: str) -> bool:
    """Is ``k`` (extending ``t``) a completion at all: not too long, no apostrophe added."""
    return len(k) - len(t) <= 16 and "'" not in k[len(t):]


@functools.lru_cache(maxsize=4096)
def _english_part(t: str) -> _EnglishPart:
    exts = english_extensions(t)
    scored = [(n * ENGLISH_WEIGHT, k) for k, n in exts if _admitted(t, k)]
    total = sum(s for s, _k in scored)
    ranked = tuple(sorted(scored, reverse=True)[:_RANKED])
    full = len(exts) >= 4000
    return _EnglishPart(total, exts[-1][0] if full else None, ranked)


def _english_score(t: str, k: str, part: _EnglishPart) -> float:
    """The English pseudo-count of ``k`` (an admitted word extending ``t``), 0 if none."""
    if part.last is not None and k > part.last:
        return 0.0  # beyond the extension list's limit: never scored
    f = english().counts.get(k)
    return f * ENGLISH_WEIGHT if f else 0.0


def _settled(share: float) -> float:
    """``share``, or -1 when a share within :data:`_MARGIN` of it could give another
    result (the other side of :data:`THRESHOLD`, or another rounded confidence)."""
    lo, hi = share - _MARGIN, share + _MARGIN
    if (lo >= THRESHOLD) != (hi >= THRESHOLD):
        return -1.0
    if hi >= THRESHOLD and round(min(0.95, lo), 3) != round(min(0.95, hi), 3):
        return -1.0
    return share


def complete(
    token: str,
    doc: WordIndex,
    title: WordIndex | None = None,
    corpus: WordIndex | None = None,
    proper: bool = False,
) -> Completion | None:
    """The completion of the cut word ``token``, or None when not confident.

    Each word extending ``token`` is scored by its count in the document, plus the title,
    plus the corpus and the English list as pseudo-counts; the best word is taken when it
    holds at least :data:`THRESHOLD` of the score. ``proper``: the token is capitalised
    mid-sentence, so only names (capitalised in the document, title or corpus) compete.

    The English list can give thousands of candidates for a short prefix; its part of the
    sum and its best word are computed once per prefix (:func:`_english_part`), so a call
    only goes through the words the document, title or corpus hold. The sum is then taken
    in another order than word by word; when the share is too close to a boundary
    (:data:`THRESHOLD`, a rounding step) for that to be safe, the words are summed one by
    one as before, so the result is always the word-by-word one.
    """
    t = token.lower()
    if len(t) < 2 or (len(t) < 3 and not proper) or not t.isalpha():
        return None
    scores: dict[str, list[float]] = {}  # word -> [doc, title, corpus, english]

    def add(idx: WordIndex | None, slot: int, weight: float) -> None:
        if idx is None:
            return
        for k, n in idx.extensions(t):
            if not _admitted(t, k):
                continue
            row = scores.get(k)
            if row is None:
                row = scores[k] = [0.0, 0.0, 0.0, 0.0]
            row[slot] += n * weight

    add(doc, 0, 1.0)
    add(title, 1, TITLE_COUNT)
    if corpus is not None and corpus.total > 0:
        add(corpus, 2, CORPUS_WEIGHT / corpus.total)
    part = _english_part(t) if not proper and len(t) >= 3 else None
    if part is not None:
        for k, row in scores.items():
            row[3] += _english_score(t, k, part)

    def named(k: str) -> bool:
        for idx in (doc, title, corpus):
            if idx is not None and k in idx.forms and idx.forms[k][:1].isupper():
                return True
        return False

    def lower_ok(k: str) -> bool:
        row = scores[k]
        if row[3] > 0:
            return True
        return any(idx is not None and idx.lower_counts.get(k, 0) > 0 for idx in (doc, corpus))

    cands = list(scores)  # the English-only words come after these, all admitted
    if proper:
        cands = [k for k in cands if named(k)]
    elif token.islower():
        cands = [k for k in cands if lower_ok(k)]
    sums: list[float] = [sum(scores[k]) for k in cands]
    pick: tuple[float, str] | None = max(zip(sums, cands, strict=True), default=None)
    share = -1.0  # not known yet
    if part is not None:
        own = next(((s, k) for s, k in part.ranked if k not in scores), None)
        if own is not None:  # else the best English words are all candidates already
            if pick is None or own > pick:
                pick = own
            total = sum(sums) + (part.total - sum(row[3] for row in scores.values()))
            share = _settled(pick[0] / total)
    if pick is None:
        return None
    if share < 0:  # word by word, in the order the words were met
        total = sum(sums)
        if part is not None:
            for k, n in english_extensions(t):
                if k not in scores and _admitted(t, k):
                    total += n * ENGLISH_WEIGHT
        share = pick[0] / total if total else 0.0
    if share < THRESHOLD:
        return None
    best = pick[1]
    row = scores.get(best) or [0.0, 0.0, 0.0, pick[0]]
    source = ("document", "title", "corpus", "English word list")[row.index(max(row))]
    if row[0] > 0:
        source = "document"
    form = best
    for idx in (doc, title, corpus):
        if idx is not None and best in idx.forms:
            form = idx.forms[best]
            break
    spelt = _case_like(token, best, form)
    return Completion(spelt, spelt[len(token):], source, round(min(0.95, share), 3))
