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
    where which while who why will with without would yes yesterday yet you your
    absolutely actually again basically certainly clearly definitely earlier especially
    exactly frankly honestly importantly later listen meantime obviously overall plus
    sadly second sure third thus ultimately unfortunately yeah yep we've we'll they're
    they've you've you're i've he's she's it'll""".split()
)
# A sentence does not end on these (articles, prepositions, conjunctions, possessives).
NO_END = frozenset(
    """a an the of from into onto than via and or my your our their its whose to in at
    for with on by between among through toward towards across per amid upon within
    because whether although if""".split()
)
# Words that all but always start a sentence after a caption join.
STRONG = frozenset("""and but so i i'm we we're we've we'll they they're they've he he's
    she she's it it's you you're yeah yes well this that's there's now obviously these
    those there here what""".split())
# "I" after a join starts a sentence when these follow it ("I mean", "I think")...
I_VERBS = frozenset("mean think don't didn't just guess know".split())
# ... unless the word before carries on into it ("that I think", "as I know").
_I_CONTINUES = frozenset(
    """that which what as so but when where how why who than think know said mean guess
    hope believe wish say says thought knew felt whether until unless before after since
    while though although once like then because if do did can could would should will
    and or all everything anything something thing things way time""".split()
)


def no_i_before(prev: str) -> bool:
    """Does ``prev`` run on into a following "I"?"""
    return not prev or prev.lower() in _I_CONTINUES or prev.lower() in NO_END


MONTHS = frozenset(
    """january february march april may june july august september october november
    december""".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# First names often heard in news captions (ambiguous ones like "bill" or "mark" left out).
FIRST_NAMES = frozenset(
    """alex alexander andrew anna anne anthony antony barack ben benjamin bernie bibi bob
    brian charles chris christian christiane dan daniel david donald elizabeth emily eric
    erin george hassan hillary ismail jack jake james jane jen jennifer jeremy jim joe john
    jonathan joseph josh kamala karine kate katie kevin kim lisa mahmoud matthew michael
    mike mohammed muhammad nancy nick oren paul peter rachel richard robert ron sarah
    scott steve steven susan thomas tom tony yahya yoav tim vladimir volodymyr sergei
    emmanuel olaf rishi keir justin omar ahmed fatima yuval itamar gilad becky kaitlan
    dana wolf""".split()
)
# Names and acronyms kept capitalised when sentence-casing all-caps text.
PROPER = frozenset(
    """afghanistan africa african america american americans april arab arabic arabs asia
    august australia baghdad beirut britain british canada cairo china chinese christmas
    congress december democrat democrats egypt egyptian england english europe european
    february france french friday gaza gazan gazans german germany god hamas hebrew hezbollah
    houthi houthis biden blinken harris obama putin sinwar nasrallah zelensky india iran
    iranian iraq iraqi islam islamic israel israeli israelis
    january japan jerusalem jewish jews jordan july june knesset lebanon lebanese london
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


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word not in ("I", "A") and not word.startswith("I'")


def end_holds(raw: str, end: int, prev: str, nxt: str, *, lost: bool, cut: bool,
              mid: Mapping[str, int], names: Mapping[str, str] | None = None) -> bool:
    """May a sentence end be restored between ``prev`` (the word ending at raw ``end``,
    before a caption join) and ``nxt`` (a capitalised word after it)? No when the evidence says the phrase
    goes on:

    * ``nxt`` is a month or weekday (``from May 2018``, ``on Monday``), an initial
      (``W.K.``) or a possessive name (``feel Israel's``); ``prev`` is a title
      (``general Mark``);
    * ``prev`` is an article, preposition or conjunction (``the``, ``from``), no text
      may have been ``lost`` at the join (after lost text the sentence may have ended)
      and ``nxt`` is not one of the words that all but always start a sentence (in plain
      text a line end is only inferred: ``in We're`` is often a lost line end);
    * ``prev`` and ``nxt`` read as one multi-word name (``Iron Dome``, ``Tel Aviv``,
      ``Ga[za] City``): ``prev`` is capitalised and ``nxt`` is not a word that starts
      sentences; or, for a whole ``prev``, both are capitalised mid-sentence elsewhere (in
      the document, or in the corpus: ``names``), or the pair is written elsewhere.

    ``cut``: ``prev`` is a truncated word (its completion is not known here).
    """
    n = nxt.lower()
    if n in MONTHS or n in WEEKDAYS:
        return False
    at = raw.find(nxt, end)
    if len(nxt) == 1 and raw[at + 1:at + 2] == ".":
        return False  # an initial or initialism: "over this W.K. strike"
    if n.endswith("'s") and n not in STARTERS and not prev[:1].isupper():
        return False  # a possessive name carries on: "how do you feel Israel's behavior"
    p = prev.lower()
    if p in TITLES and not cut:
        return False  # "former general Mark ..."
    if p in NO_END and not (lost or cut) and n not in STRONG:
        return False
    if _capitalised(prev):
        if n not in STARTERS:
            return False
        if cut:
            return True
        if (mid.get(prev, 0) > 0 or (names is not None and p in names)) and (
                mid.get(nxt, 0) > 0 and (names is None or n in names)):
            return False
        if raw.count(f"{prev} {nxt}") >= 2:
            return False
    return True


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
