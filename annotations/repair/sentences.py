"""Sentences: starters, paragraph breaks and sentence case for all-caps captions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from annotations.repair.edits import Edit
from annotations.repair.lexicon import WordIndex

# Words that, capitalised after a caption join, start a sentence (not a name).
STARTERS = frozenset(
    """a about according after again all also although an and another any are as at
    because before both but by can could did do does during each even every finally first
    for from good have he her here his how however i'm if in indeed instead is it it's its
    just last let let's look many maybe meanwhile more most much my no not now of ok okay
    on once one only or other our over perhaps please right says she since so some still
    take thank thanks that that's the their then there there's these they this those
    though to today tomorrow tonight until very was we we're well were what what's when
    where which while who why will with without would yes yesterday yet you your""".split()
)

# First names often heard in news captions (ambiguous ones like "bill" or "mark" left out).
FIRST_NAMES = frozenset(
    """alex alexander andrew anna anne anthony antony barack ben benjamin bernie bibi bob
    brian charles chris christian christiane dan daniel david donald elizabeth emily eric
    erin george hassan hillary ismail jack jake james jane jen jennifer jeremy jim joe john
    jonathan joseph josh kamala karine kate katie kevin kim lisa mahmoud matthew michael
    mike mohammed muhammad nancy nick oren paul peter rachel richard robert ron sarah
    scott steve steven susan thomas tom tony yahya yoav""".split()
)
# Names and acronyms kept capitalised when sentence-casing all-caps text.
PROPER = frozenset(
    """afghanistan africa african america american americans april arab arabic arabs asia
    august australia baghdad beirut britain british canada cairo china chinese christmas
    congress december democrat democrats egypt egyptian england english europe european
    february france french friday gaza gazan gazans german germany god hamas hebrew hezbollah
    houthi houthis biden blinken harris obama putin sinwar nasrallah zelensky india iran
    iranian iraq iraqi islam islamic israel israeli israelis
    january japan jerusalem jewish jews jordan july june lebanon lebanese london
    mexico monday moscow muslim muslims netanyahu november october palestine palestinian
    palestinians pentagon qatar rafah ramadan republican republicans russia russian
    saturday saudi september sunday syria syrian tehran thursday trump tuesday turkey
    ukraine ukrainian washington wednesday west yemen""".split()
) | FIRST_NAMES | frozenset(
    # US states (one-word forms) and a few cities often heard in news captions
    """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio
    oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin wyoming
    atlanta boston chicago dallas detroit houston miami philadelphia seattle""".split()
)
# Words after which the next one or two words are a name ("correspondent Dana Whitfield").
TITLES = frozenset(
    """ambassador anchor captain chairman chairwoman colonel commissioner correspondent
    dr general gov governor judge justice king lieutenant mayor minister mr mrs ms pope
    president prince princess prof professor queen rabbi rep reporter secretary sen senator
    sergeant sheikh spokesman spokesperson spokeswoman""".split()
)
ACRONYMS = frozenset(
    """ap bbc cbs cia cnn dc eu fbi gop icc icj idf isis msnbc nato nbc npr nyc pm tv uk un
    unicef unrwa us usa wck who""".split()
)
# "US" in all caps is ambiguous with "us": only these acronyms are kept when short & common.
_AMBIGUOUS = frozenset({"us", "who", "may", "march", "pm"})

_SENTENCE_END = re.compile(r"[.?!][\"')\]’”]* (?=[\"'(“‘]?[A-Z0-9])")
_CLAUSE_START = r"(?:so|but|now|well|today|meanwhile|i|we|they|he|she|i'm|you know)\b"
_ASR_BREAK = re.compile(r" (?=" + _CLAUSE_START + ")", re.IGNORECASE)
_CLAUSE_AT = re.compile(_CLAUSE_START, re.IGNORECASE)


_CAPITALISED = re.compile(r" ([A-Z][a-z']+)")
_MID_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz,")


def mid_capitals(raw: str, line_seps: Iterable[int]) -> Counter[str]:
    """Capitalised words seen mid-sentence (after a lower-case word or a comma): names.

    Words right after a caption line end (``line_seps``: separator offsets) do not
    count: a sentence end may have been lost there.
    """
    skip = set(line_seps)
    return Counter(m.group(1) for m in _CAPITALISED.finditer(raw)
                   if raw[m.start() - 1] in _MID_BEFORE and m.start() not in skip)


def is_starter(
    word: str,
    doc: WordIndex | None = None,
    mid: Mapping[str, int] | None = None,
    zipf_of: Callable[[str], float] | None = None,
) -> bool:
    """A capitalised word that starts a sentence rather than naming someone."""
    if not word[:1].isupper() or (len(word) > 1 and not word[1:].islower()):
        return False
    w = word.lower()
    if w == "i" or w.startswith("i'"):
        return False
    if w in STARTERS:
        return True
    if mid is not None and mid.get(word, 0) > 0:
        return False
    if doc is not None and doc.lower_counts.get(w, 0) >= 1:
        return doc.lower_counts[w] >= doc.count(w) / 2
    if zipf_of is not None and w not in PROPER:
        return bool(zipf_of(w) >= 3.0)
    return False


def paragraph_edits(
    raw: str,
    busy: Container[int],
    forced: Iterable[tuple[int, str]] = (),
    fallback: Sequence[int] = (),
    target_words: int = 90,
    max_words: int = 170,
) -> list[Edit]:
    """Paragraph breaks: a separator space shown as a blank line.

    ``forced``: (space offset, reason) that always break (speaker changes);
    sentence ends break once a paragraph has ``target_words`` words; ``fallback``
    offsets (cue pauses) or clause starts are used when a paragraph passes
    ``max_words`` without a sentence end (speech recognition has none).
    Text that already has line breaks keeps them: only long lines are split.
    """
    out: list[Edit] = []
    points: list[tuple[int, int, str]] = []  # (offset, priority, reason)
    for off, reason in forced:
        points.append((off, 0, reason))
    for m in _SENTENCE_END.finditer(raw):
        points.append((m.end() - 1, 1, "paragraph break at a sentence end"))
    for off in fallback:
        if _CLAUSE_AT.match(raw, off + 1) or raw[off - 1:off] in (".", "?", "!"):
            points.append((off, 2, "paragraph break at a pause in the captions"))
    points.sort()
    last = 0  # offset of the current paragraph's start
    for off, prio, reason in points:
        if off in busy or raw[off:off + 1] != " " or off <= last:
            continue
        nl = raw.rfind("\n", last, off)
        if nl >= 0:
            last = nl + 1
        n = raw.count(" ", last, off) + 1
        if prio == 0 and n >= 1:
            out.append(Edit("paragraph", off, off + 1, "\n\n", 0.9, reason))
            last = off + 1
        elif prio == 1 and n >= target_words:
            out.append(Edit("paragraph", off, off + 1, "\n\n", 0.6, reason))
            last = off + 1
        elif prio == 2 and n >= max_words // 2:
            out.append(Edit("paragraph", off, off + 1, "\n\n", 0.5, reason))
            last = off + 1
    out.extend(_long_runs(raw, busy, [e.raw_start for e in out], max_words))
    return out


def _long_runs(raw: str, busy: Container[int], breaks: list[int], max_words: int) -> list[Edit]:
    """Clause-start breaks inside paragraphs longer than ``max_words`` words."""
    out: list[Edit] = []
    bounds = [0] + [b + 1 for b in sorted(breaks)] + [len(raw)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if raw.count(" ", a, b) <= max_words * 1.3 or "\n" in raw[a:b]:
            continue
        last = a
        for m in _ASR_BREAK.finditer(raw, a, b):
            off = m.start()
            if off in busy:
                continue
            if raw.count(" ", last, off) >= max_words * 0.7 and raw.count(" ", off, b) >= 20:
                out.append(Edit("paragraph", off, off + 1, "\n\n", 0.4,
                                "paragraph break (no sentence ends in the captions)"))
                last = off + 1
    return out


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


def proper_forms(title: str, corpus: Mapping[str, int] | None, zipf_of) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Known spellings of names: the corpus, then the title (which wins)."""
    forms = dict(corpus_names(corpus))
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", title)
    for i, w in enumerate(words):
        if not w[0].isupper() or w.isupper() or len(w) < 2:
            continue
        low = w.lower()
        if low in PROPER or (low not in STARTERS and zipf_of(low) < (4.0 if i else 3.2)):
            forms[low] = w
    return forms


_SUFFIXES = ("ed", "ing", "ly", "tion", "tions", "ness", "ment", "ments", "ous", "ive",
             "able", "ible", "ful", "less", "ism", "ist", "ists", "ize", "ise", "ized", "ised",
             "ity", "ies", "er", "ers", "al")


def _part_form(w: str, names: Mapping[str, str], zipf_of) -> str | None:  # type: ignore[no-untyped-def]
    """The case of one lower-cased word (no hyphen); None: keep the capitals."""
    if w in names:
        return names[w]
    if w in PROPER:
        return w.capitalize()
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
    return w.capitalize()  # a name


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
            and zipf_of(w) < 4.0 and len(w) > 1)


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
    for m in _CASE_TOKENS.finditer(raw):
        word = m.group(1)
        if word is None:
            start_next = True
            name_next = 0
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
            form = "-".join(p.capitalize() for p in word.lower().split("-"))
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
        if low in TITLES or low in FIRST_NAMES or (low.endswith("'s") and len(low) <= 5):
            name_next = 2 if low in TITLES or low.endswith("'s") else 1
        elif name_next and _name_like(word, zipf_of):
            name_next -= 1
        else:
            name_next = 0
        start_next = False
        if hit is not None:
            append(Edit("case", s, e, hit[0], 0.6, hit[1]))
    return out, suffixes
