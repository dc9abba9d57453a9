"""Cutting one repaired document into passages.

The display (repaired) text is split into *units*: sentences, merged when short
and cut evenly when long (unpunctuated speech recognition is one long
"sentence"), so a unit holds about ``UNIT_MIN``–``UNIT_MAX`` words. A *passage*
(window) is a run of consecutive units of about ``WIN_TARGET`` words (at most
``WIN_MAX`` unless one unit is longer); one passage starts at every unit, so
passages overlap by about half their length.

Each unit keeps its span in the display text, in the raw text (through
``Repaired.raw_span``), in the normalised text and, when the document has cues,
its cue times. A passage's spans are those of its first and last unit.
"""

from __future__ import annotations

import bisect
import math
import re
from array import array
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from operator import attrgetter, sub

from annotations.model import Document
from annotations.repair.edits import Repaired
from annotations.similar.text import APOS, WORD_RE

UNIT_MIN, UNIT_MAX, CHUNK = 8, 16, 12
WIN_MIN, WIN_TARGET, WIN_MAX = 16, 22, 40
NAN = float("nan")

# End of a sentence (punctuation before white space or the end) or a paragraph break.
SENT_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s|$)|\n[ \t]*\n")
_RAW_START, _RAW_END = attrgetter("raw_start"), attrgetter("raw_end")
_WORD_SPLIT = re.compile(f"({WORD_RE})")  # split(): separators and words, alternating
_WORD_SPLIT_FAST = re.compile(r"(\w+(?:['’]\w+)*)")  # the same in a text without "_"


@dataclass(slots=True)
class DocData:
    """Everything the index keeps about one document (offsets relative to the document)."""

    key: str
    rel_path: str = ""
    size: int = 0
    mtime_ns: int = 0
    raw_len: int = 0
    error: str | None = None
    display: str = ""
    edits: array = field(default_factory=lambda: array("I"))  # raw s, raw e, text s, text e
    norm: bytes = b""  # unit norms (utf-8) joined by b" "
    u_n0: array = field(default_factory=lambda: array("I"))  # byte offsets into norm
    u_n1: array = field(default_factory=lambda: array("I"))
    u_d0: array = field(default_factory=lambda: array("I"))  # display offsets
    u_d1: array = field(default_factory=lambda: array("I"))
    u_r0: array = field(default_factory=lambda: array("I"))  # raw offsets
    u_r1: array = field(default_factory=lambda: array("I"))
    u_t0: array = field(default_factory=lambda: array("d"))  # seconds, NaN: unknown
    u_t1: array = field(default_factory=lambda: array("d"))
    u_nw: array = field(default_factory=lambda: array("H"))  # words per unit
    w_u0: array = field(default_factory=lambda: array("I"))  # first unit of each passage
    w_u1: array = field(default_factory=lambda: array("I"))  # one past its last unit

    @property
    def fingerprint(self) -> tuple[str, int, int]:
        return (self.rel_path, self.size, self.mtime_ns)


_ENDS: dict[str, bool] = {}  # separator -> holds a sentence end (few distinct ones)


def _ends_in(sep: str) -> bool:
    got = _ENDS.get(sep)
    if got is None:
        if len(_ENDS) > 100_000:
            _ENDS.clear()
        got = _ENDS[sep] = SENT_END.search(sep + "x") is not None  # a word follows it
    return got


def sentence_counts(seps: list[str]) -> list[int]:
    """Word counts of the sentences (empty ones left out), from the separators around the
    words (``seps[k]`` before word ``k``, one more after the last word): a sentence ends
    at each :data:`SENT_END`, which lies in a separator (it holds no word character)."""
    n = len(seps) - 1
    if n <= 0:
        return []
    inner = seps[1:n]
    for sep in set(inner).difference(_ENDS):
        _ends_in(sep)
    cuts = [0, *compress(range(1, n), map(_ENDS.__getitem__, inner)), n]
    return list(map(sub, cuts[1:], cuts[:-1]))


def sentences(counts: list[int]) -> list[tuple[int, int]]:
    """Word index ranges ``[i, j)`` of sentences of ``counts`` words."""
    out = []
    i = 0
    for n in counts:
        out.append((i, i + n))
        i += n
    return out


def units_of(sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge short sentences and cut long ones into units of about 8–16 words."""
    out: list[tuple[int, int]] = []
    cur_i = cur_j = -1
    for i, j in sents:
        n = j - i
        if n > UNIT_MAX:
            if cur_i >= 0:
                out.append((cur_i, cur_j))
                cur_i = -1
            k = math.ceil(n / CHUNK)
            for p in range(k):
                out.append((i + n * p // k, i + n * (p + 1) // k))
            continue
        if cur_i >= 0 and cur_j - cur_i + n > UNIT_MAX:
            out.append((cur_i, cur_j))
            cur_i = -1
        if cur_i < 0:
            cur_i = i
        cur_j = j
        if cur_j - cur_i >= UNIT_MIN:
            out.append((cur_i, cur_j))
            cur_i = -1
    if cur_i >= 0:
        if out and out[-1][1] == cur_i and cur_j - out[-1][0] <= UNIT_MAX + UNIT_MIN // 2:
            out[-1] = (out[-1][0], cur_j)  # a short tail joins the unit before it
        else:
            out.append((cur_i, cur_j))
    return out


def windows_of(nwords: list[int]) -> list[tuple[int, int]]:
    """Unit ranges ``[u0, u1)`` of the passages: one starting at every unit."""
    out: list[tuple[int, int]] = []
    n_units = len(nwords)
    for i in range(n_units):
        n = 0
        j = i
        while j < n_units and n < WIN_TARGET:
            if n >= WIN_MIN and n + nwords[j] > WIN_MAX:
                break
            n += nwords[j]
            j += 1
        out.append((i, j))
        if j >= n_units:
            break  # later passages would lie inside this one
    return out


def _cue_times(doc: Document, r0: array, r1: array) -> tuple[array, array]:
    """Per unit ``(start, end)`` seconds as ``Document.time_span`` gives them."""
    n = len(r0)
    if not doc.cues:
        return array("d", [NAN]) * n, array("d", [NAN]) * n
    cues = doc.cues
    starts = [c.raw_start for c in cues]
    t0 = array("d")
    t1 = array("d")
    for a, b in zip(r0, r1, strict=True):
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        j = max(bisect.bisect_right(starts, max(a, b - 1)) - 1, 0)
        t0.append(cues[i].start)
        t1.append(cues[j].end)
    return t0, t1


def cut(doc: Document, rep: Repaired) -> DocData:
    """The units and passages of ``doc`` shown as ``rep``."""
    text = rep.text
    data = DocData(key=doc.key, raw_len=len(doc.raw), display=text)
    flat = array("I")
    spans = list(rep.edit_spans())
    if spans:
        es, tss, tes = zip(*spans, strict=True)
        flat.extend(chain.from_iterable(zip(map(_RAW_START, es), map(_RAW_END, es), tss, tes,
                                            strict=True)))
    data.edits = flat
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: keep offsets
        low = "".join(lc if len(lc) == 1 else c for c, lc in zip(text, map(str.lower, text), strict=True))
    # one pass: separators and words alternate (words at odd places); offsets add up
    parts = (_WORD_SPLIT if "_" in low else _WORD_SPLIT_FAST).split(low)
    tokens = parts[1::2]
    if not tokens:
        return data
    offs = list(accumulate(map(len, parts), initial=0))
    starts, ends = offs[1:-1:2], offs[2::2]  # of each word in the display text
    units = units_of(sentences(sentence_counts(parts[0::2])))
    if "'" in low or "’" in low:  # normalised words: apostrophes dropped
        tokens = " ".join(tokens).translate(APOS).split(" ")
    joined = " ".join(tokens)
    norm = joined.encode("utf-8", "surrogatepass")
    if len(norm) == len(joined):
        nb = list(accumulate(map(len, tokens), initial=0))
    else:  # byte offsets of the words in the utf-8 text
        nb = list(accumulate(map(len, map(_utf8, tokens)), initial=0))
    # words i..j-1: bytes nb[i] + i (a space before each word) to nb[j] + j - 1
    n0 = array("I", [nb[i] + i for i, _ in units])
    n1 = array("I", [nb[j] + j - 1 for _, j in units])
    d0 = array("I", [starts[i] for i, _ in units])
    d1 = array("I", [ends[j - 1] for _, j in units])
    nwords = [j - i for i, j in units]
    r0, r1 = raw_offsets(flat, d0, d1)
    data.u_nw = array("H", nwords)
    data.norm = norm
    data.u_n0, data.u_n1, data.u_d0, data.u_d1, data.u_r0, data.u_r1 = n0, n1, d0, d1, r0, r1
    data.u_t0, data.u_t1 = _cue_times(doc, r0, r1)
    wins = windows_of(nwords)
    data.w_u0 = array("I", [a for a, _ in wins])
    data.w_u1 = array("I", [b for _, b in wins])
    return data


def _utf8(word: str) -> bytes:
    return word.encode("utf-8", "surrogatepass")


def raw_offsets(edits: array, starts: array, ends: array) -> tuple[array, array]:
    """``Repaired.raw_span(s, e)`` for increasing display spans ``s < e``, from the flat
    edit map (raw start, raw end, display start, display end per edit), in one pass."""
    rs, re_, ts, te = edits[0::4], edits[1::4], edits[2::4], edits[3::4]
    n = len(rs)
    r0 = array("I")
    r1 = array("I")
    i = k = 0
    for d, e in zip(starts, ends, strict=True):
        while i < n and te[i] <= d:  # edits shown wholly before char d
            i += 1
        if i < n and ts[i] <= d:  # char d is shown by edit i
            r0.append(rs[i])
        else:
            r0.append(d - te[i - 1] + re_[i - 1] if i else d)
        c = e - 1
        while k < n and te[k] <= c:
            k += 1
        if k < n and ts[k] <= c:
            r1.append(re_[k])
        else:
            r1.append(e - te[k - 1] + re_[k - 1] if k else e)
    return r0, r1


# -- raw -> display through the stored edits (the rules of Repaired.display_span) --------
def _to_display(edits: array, starts: array, ends: array, r: int) -> int:
    """Display offset where raw char ``r`` is shown (inside a replaced span: its start)."""
    i = bisect.bisect_right(starts, r) - 1
    if i >= 0 and starts[i] <= r < ends[i]:
        return edits[4 * i + 2]
    k = bisect.bisect_right(ends, r) - 1
    return r if k < 0 else r + edits[4 * k + 3] - ends[k]


def display_span(edits: array, raw_len: int, text_len: int,
                 r_start: int, r_end: int) -> tuple[int, int]:
    """Display span showing raw ``[r_start, r_end)``, as ``Repaired.display_span`` gives it,
    from a document's stored edit map (``raw_len``/``text_len``: raw and display lengths):
    replaced spans are included whole, and so are insertions inside or at either end."""
    starts, ends = edits[0::4], edits[1::4]
    r_start = max(0, min(r_start, raw_len))
    r_end = max(r_start, min(r_end, raw_len))

    def inserted(r: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(starts, r)
        j = i
        while j < len(starts) and starts[j] == ends[j] == r:
            j += 1
        return None if j == i else (edits[4 * i + 2], edits[4 * j - 1])

    def point(r: int) -> int:
        return text_len if r >= raw_len else _to_display(edits, starts, ends, r)

    if r_start == r_end:
        d = point(r_start)
        return inserted(r_start) or (d, d)
    ds = point(r_start)
    last = r_end - 1
    i = bisect.bisect_right(starts, last) - 1
    if i >= 0 and starts[i] <= last < ends[i]:
        de = edits[4 * i + 3]
    else:
        de = _to_display(edits, starts, ends, last) + 1
    before, after = inserted(r_start), inserted(r_end)
    return (before[0] if before else ds, after[1] if after else de)
