"""Sentence case for all-caps captions, keeping names (learned, listed and from the title).

Where a name's capitals come from, strongest first: the document's title and metadata;
names learned from the corpus's mixed-case documents (:func:`learn_names`: words seen
capitalised mid-sentence and rarely lower-case, and capitalised pairs such as
``Clarissa Ward``); the hand lists in :mod:`annotations.repair.sentences`
(``PROPER``, ``FIRST_NAMES``, ``PHRASES``); then the structure of the caption itself
(words after a title or first name, a surname after a first name).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from annotations.repair.edits import Edit
from annotations.repair.sentences import (
    _AMBIGUOUS,
    ACRONYMS,
    FIRST_NAMES,
    NO_END,
    PROPER,
    STARTERS,
    TITLES,
)

# -- sentence case ---------------------------------------------------------------------

_UPPER_WORD = re.compile(r"[A-Z][A-Z'’.\-]*[A-Z]|[A-Z]")
# Sentence ends, except the dot of an initial or title (U.S., J., MR., DR.).
_CASE_BREAK = re.compile(r"(?<!\b[A-Z])(?<!\bMRS)(?<!\bMR|\bDR|\bST|\bJR|\bMS)\.|[?!]|&gt;&gt;|\n")


_NAMES_CACHE: dict[int, tuple[Mapping[str, int], dict[str, str]]] = {}


def corpus_names(corpus: Mapping[str, int] | None) -> dict[str, str]:
    """Spellings of names in mixed-case corpus text (seen capitalised, rarely lower-case)."""
    if not corpus:
        return {}
    hit = _NAMES_CACHE.get(id(corpus))
    if hit is not None and hit[0] is corpus:
        return hit[1]
    names: dict[str, str] = {}
    for word, n in corpus.items():
        if n < 2 or not word[:1].isupper() or word.isupper() or len(word) < 2:
            continue
        low = word.lower()
        if low in STARTERS or corpus.get(low, 0) * 5 > n:
            continue
        if low not in names or n > corpus.get(names[low], 0):
            names[low] = word
    if len(_NAMES_CACHE) > 8:
        _NAMES_CACHE.clear()
    _NAMES_CACHE[id(corpus)] = (corpus, names)
    return names


# Multi-word names kept together (lower-case key -> spelling); a pair of words here is
# cased as written wherever it stands in all-caps captions.
PHRASES: dict[str, str] = {p.lower(): p for p in (
    "Cape Town", "Tel Aviv", "New York", "Los Angeles", "Hong Kong", "San Francisco",
    "White House", "West Bank", "Gaza City", "Gaza Strip", "Red Sea", "Red Cross",
    "Red Crescent", "United States", "United Nations", "United Kingdom", "Middle East",
    "Iron Dome", "Khan Younis", "Khan Yunis", "Security Council", "State Department",
    "South Africa", "Saudi Arabia", "North Korea", "South Korea", "New Zealand",
    "Kerem Shalom", "Al Jazeera", "Kim Jong", "Jong Un", "Capitol Hill", "Wall Street",
    "Sea of Galilee", "Golan Heights", "Jake Tapper", "Wolf Blitzer", "Anderson Cooper",
)}
_PAIR = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?:'s)?) ([A-Z][a-z]+)(?=[ ,.;:?!])")
_MIXED_SAMPLE = 5000


def is_mixed_case(text: str) -> bool:
    """Mixed-case text (its capitals mean something), not all-caps captions."""
    letters = [c for c in text[:_MIXED_SAMPLE] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) < 0.5 * len(letters)


def learn_names(texts: Iterable[str]) -> dict[str, str]:
    """Names learned from the mixed-case texts of a corpus (all-caps texts are skipped):
    words seen capitalised mid-sentence and rarely lower-case, and capitalised pairs
    mid-sentence (``correspondent Clarissa Ward``), as lower-case key -> spelling."""
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        if not is_mixed_case(text):
            continue
        counts.update(re.findall(r"[A-Za-z][A-Za-z']*", text))
        for m in _PAIR.finditer(text):
            a, b = m.group(1), m.group(2)
            if a.lower() not in STARTERS and b.lower() not in STARTERS and a.lower() not in TITLES:
                pairs[(a, b)] += 1
    out = dict(corpus_names(counts))
    for a, b in pairs:  # both capitalised mid-sentence: one name
        out[f"{a.lower()} {b.lower()}"] = f"{a} {b}"
    return out


def proper_forms(title: str, corpus: Mapping[str, int] | None, zipf_of,  # type: ignore[no-untyped-def]
                 learned: Mapping[str, str] | None = None) -> dict[str, str]:
    """Known spellings of names (single words and pairs), weakest first so that later
    sources win: the hand list of pairs, the corpus word counts, names learned from the
    corpus's mixed-case documents, then the title."""
    forms = dict(PHRASES)
    forms.update(corpus_names(corpus))
    if learned:
        forms.update(learned)
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", title)
    long = [w for w in words if len(w) > 3]
    # a sentence-case title (most words lower-case): its capitals after the first word
    # are names, and two capitalised words in a row are one name ("White House reacts")
    sentence_case = bool(long) and sum(w[0].isupper() for w in long) * 2 <= len(long)
    prev = ""
    for i, w in enumerate(words):
        if not w[0].isupper() or w.isupper() or len(w) < 2:
            prev = ""
            continue
        low = w.lower()
        if low in STARTERS:
            prev = ""
            continue
        if sentence_case and prev:
            forms[prev.lower()] = prev
            forms[low] = w
            forms[f"{prev.lower()} {low}"] = f"{prev} {w}"
        elif low in PROPER or (sentence_case and i) or zipf_of(low) < (4.0 if i else 3.2):
            forms[low] = w
        prev = w
    return forms


_SUFFIXES = ("ed", "ing", "ly", "tion", "tions", "ness", "ment", "ments", "ous", "ive",
             "able", "ible", "ful", "less", "ism", "ist", "ists", "ize", "ise", "ized", "ised",
             "ity", "ies", "er", "ers", "al")


def _part_form(w: str, names: Mapping[str, str], zipf_of) -> str | None:  # type: ignore[no-untyped-def]
    """The case of one lower-cased word (no hyphen); None: keep the capitals."""
    if w in names:
        return names[w]
    if w in PROPER:
        return name_case(w)
    if w == "i" or w.startswith("i'"):
        return "I" + w[1:]
    if w in ACRONYMS and w not in _AMBIGUOUS:
        return None
    if "'" in w:
        base, _sep, rest = w.partition("'")
        form = _part_form(base, names, zipf_of)
        return None if form is None else form + "'" + rest
    z = zipf_of(w)
    if z >= 2.5 or (z >= 1.5 and w.endswith(_SUFFIXES)):
        return w
    if len(w) <= 3:
        return None  # an unknown short word: an acronym
    return name_case(w)  # a name


def case_form(word: str, sentence_start: bool, names: Mapping[str, str], zipf_of) -> str:  # type: ignore[no-untyped-def]
    """How an all-caps word reads in sentence case."""
    w = word.lower()
    if "." in w and len(w) <= 6:
        return word  # U.S., U.N.
    if "-" in w:
        parts = []
        for upper_part, part in zip(word.split("-"), w.split("-"), strict=True):
            f = _part_form(part, names, zipf_of) if part else ""
            parts.append(upper_part if f is None else f)
        form = "-".join(parts)
    else:
        f = _part_form(w, names, zipf_of)
        form = word if f is None else f
    if sentence_start and form[:1].islower():
        form = form[0].upper() + form[1:]
    return form


def _name_like(word: str, zipf_of) -> bool:  # type: ignore[no-untyped-def]
    """Could this all-caps word, right after a title or first name, be a name?"""
    w = word.lower()
    return (w.replace("-", "").isalpha() and w not in STARTERS and w not in TITLES
            and zipf_of(w) < 4.0 and len(w) > 1 and not w.endswith(("ing", "ed")))


def _surname_like(word: str, zipf_of) -> bool:  # type: ignore[no-untyped-def]
    """Could this all-caps word, right after a first name, be a surname (``WARD``)?"""
    w = word.lower()
    return (w.isalpha() and len(w) > 1 and w not in STARTERS and w not in TITLES
            and w not in NO_END and w not in ACRONYMS and w not in _NOT_SURNAMES
            and zipf_of(w) < 4.45 and not w.endswith(("ed", "ing", "ly", "s")))


# Words that follow a name as often as any surname ("Harlow spoke").
_NOT_SURNAMES = frozenset("""spoke told said asked went came took gave made became met
    wrote sent left joined urged warned agreed ordered""".split())


def _capital(word: str) -> str:
    return "-".join(name_case(p) for p in word.lower().split("-"))


def name_case(w: str) -> str:
    """A lower-case name capitalised: ``mckenzie`` → ``McKenzie``."""
    if w.startswith("mc") and len(w) > 4 and w[2:].isalpha():
        return "Mc" + w[2:].capitalize()
    return w.capitalize()


_Prev = tuple[int, int, str, bool, bool, str]
_CASE_TOKENS = re.compile(_CASE_BREAK.pattern + "|(" + _UPPER_WORD.pattern + ")")


def case_edits(
    raw: str, names: Mapping[str, str], zipf_of: Callable[[str], float],
    extend: Mapping[int, str],
) -> tuple[list[Edit], dict[int, str]]:
    """Sentence case for all-caps text: one edit per word whose letters change.

    ``extend``: completions inserted at word ends (offset -> letters); the word is cased
    whole and the completion's letters returned re-cased by offset.
    """
    out: list[Edit] = []
    append = out.append
    suffixes: dict[int, str] = {}
    cache: dict[tuple[str, bool], tuple[str, str] | None] = {}
    start_next = True
    name_next = 0  # how many following words may be a name (after a title or first name)
    # the previous word: (start, end, lower-case, a first name?, shown lower-case?, word)
    prev: _Prev | None = None
    for m in _CASE_TOKENS.finditer(raw):
        word = m.group(1)
        if word is None:
            start_next = True
            name_next = 0
            prev = None
            continue
        s, e = m.span()
        if s and raw[s - 1].isalnum():
            continue
        tail = extend.get(e) if extend else None
        if tail:
            form = case_form(word + tail.upper(), start_next, names, zipf_of)
            suffixes[e] = form[len(word):]
            form = form[: len(word)]
            hit = (form, f"{word} → {form}: sentence case (inferred from all-caps captions)") \
                if form != word else None
        elif name_next and _name_like(word, zipf_of):
            form = _capital(word)
            hit = (form, f"{word} → {form}: sentence case, read as a name "
                         "(inferred from all-caps captions)")
        else:
            key = (word, start_next)
            if key in cache:
                hit = cache[key]
            else:
                form = case_form(word, start_next, names, zipf_of)
                hit = cache[key] = (form, f"{word} → {form}: sentence case "
                                          "(inferred from all-caps captions)") \
                    if form != word else None
        low = word.lower()
        named = False  # read as a name because of where it stands
        pair = names.get(f"{prev[2]} {low}") if prev is not None and not start_next else None
        if pair is not None and " " in pair and prev is not None:
            first, form = pair.split(" ", 1)
            hit = (form, f"{word} → {form}: sentence case, part of the name '{pair}' "
                         "(inferred from all-caps captions)") if form != word else None
            _recase(out, prev, first, pair)
            named = True
        elif hit is not None and prev is not None and not start_next:
            if prev[3] and _surname_like(word, zipf_of):
                form = _capital(word)
                hit = (form, f"{word} → {form}: sentence case, read as a surname "
                             "(inferred from all-caps captions)")
                named = True
            elif (hit[0][:1].isupper() and prev[4] and prev[2] not in STARTERS
                  and prev[2].isalpha() and zipf_of(prev[2]) < 3.5):
                _recase(out, prev, _capital(prev[2]), hit[0], "a first name before")
        is_first = low in FIRST_NAMES or (hit is not None and (named or (
            name_next and _name_like(word, zipf_of))) and hit[0][:1].isupper())
        if low in TITLES or low in FIRST_NAMES or (low.endswith("'s") and len(low) <= 5):
            name_next = 2 if low in TITLES or low.endswith("'s") else 1
        elif name_next and _name_like(word, zipf_of):
            name_next -= 1
        else:
            name_next = 0
        start_next = False
        lowered = hit is not None and hit[0].islower()
        prev = (s, e, low, bool(is_first) and not named, lowered, word)
        if hit is not None:
            append(Edit("case", s, e, hit[0], 0.6, hit[1]))
    return out, suffixes


def _recase(out: list[Edit], prev: _Prev, form: str, name: str,
            why: str = "part of the name") -> None:
    """Give the previous word ``form`` (its edit replaced, or one added)."""
    s, e, _low, _first, _lowered, word = prev
    reason = (f"{word} → {form}: sentence case, {why} '{name}' "
              "(inferred from all-caps captions)")
    if out and out[-1].raw_start == s:
        out[-1] = out[-1]._replace(replacement=form, reason=reason)
    elif form != word:
        out.append(Edit("case", s, e, form, 0.6, reason))
