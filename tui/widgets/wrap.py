"""Pure text layout helpers for the reader: wrapping, motions, hit tests.

Lines are ``[start, end)`` display offsets; a line's *span* for cursor
purposes runs up to the next line's start (it owns the break space).
"""

from __future__ import annotations

import bisect
import re
from array import array

from rich.cells import cell_len, get_character_cell_size

_WORD = re.compile(r"\w+", re.UNICODE)
# Characters that are not one cell wide (combining marks, zero-width, wide East
# Asian and emoji ranges). Text without them wraps on the fast path.
_NOT_SINGLE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u1100-\u115f\u200b-\u200f\u20d0-\u20ff"
    "\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe2f\ufe30-\ufe4f"
    "\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0010ffff]"
)
_SENTENCE_END = re.compile(r"[.?!…][\"')\]]*(?:\s+|$)|\n\s*\n\s*")


def wrap(text: str, width: int) -> tuple[array[int], array[int]]:
    """Greedy word wrap at ``width`` cells; returns (starts, ends) arrays."""
    width = max(width, 4)
    starts: array[int] = array("l")
    ends: array[int] = array("l")
    n = len(text)
    pos = 0
    fast = text.isascii() or _NOT_SINGLE.search(text) is None
    while True:
        nl = text.find("\n", pos)
        if nl == -1:
            nl = n
        if pos == nl:
            starts.append(pos)
            ends.append(pos)
        elif fast or _NOT_SINGLE.search(text, pos, nl) is None:
            _wrap_ascii(text, pos, nl, width, starts, ends)
        else:
            _wrap_cells(text, pos, nl, width, starts, ends)
        if nl >= n:
            break
        pos = nl + 1
    return starts, ends


def _wrap_ascii(
    text: str, p: int, stop: int, width: int, starts: array[int], ends: array[int]
) -> None:
    while p < stop:
        if stop - p <= width:
            starts.append(p)
            ends.append(stop)
            return
        cut = text.rfind(" ", p, p + width + 1)
        if cut <= p:
            starts.append(p)
            ends.append(p + width)
            p += width
        else:
            starts.append(p)
            ends.append(cut)
            p = cut + 1


def _wrap_cells(
    text: str, p: int, stop: int, width: int, starts: array[int], ends: array[int]
) -> None:
    while p < stop:
        cells = 0
        i = p
        last_space = -1
        while i < stop:
            w = get_character_cell_size(text[i])
            if cells + w > width:
                break
            if text[i] == " ":
                last_space = i
            cells += w
            i += 1
        if i >= stop:
            starts.append(p)
            ends.append(stop)
            return
        if text[i] == " ":
            last_space = i
        if last_space > p:
            starts.append(p)
            ends.append(last_space)
            p = last_space + 1
        else:
            i = max(i, p + 1)
            starts.append(p)
            ends.append(i)
            p = i


def line_of(starts: array[int], offset: int) -> int:
    """Index of the line holding display ``offset``."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def column_to_offset(text: str, start: int, end: int, column: int) -> int:
    """Display offset at cell ``column`` of the line ``[start, end)``."""
    if _NOT_SINGLE.search(text, start, end) is None:
        return min(start + column, end)
    cells = 0
    for i in range(start, end):
        cells += get_character_cell_size(text[i])
        if cells > column:
            return i
    return end


def offset_to_column(text: str, start: int, offset: int) -> int:
    return cell_len(text[start:offset])


def next_word(text: str, offset: int) -> int:
    m = _WORD.search(text, offset)
    if m and m.start() == offset:
        m = _WORD.search(text, m.end())
    return m.start() if m else len(text)


def prev_word(text: str, offset: int) -> int:
    best = 0
    for m in _WORD.finditer(text, max(0, offset - 200), offset):
        if m.start() < offset:
            best = m.start()
    return best


def word_end(text: str, offset: int) -> int:
    m = _WORD.search(text, offset)
    return m.end() if m else len(text)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the sentence holding ``offset`` (end after its punctuation)."""
    lo = max(0, offset - 2000)
    start = lo
    inside: re.Match[str] | None = None
    for m in _SENTENCE_END.finditer(text, lo, min(len(text), offset + 1)):
        if m.end() <= offset:
            start = m.end()
        elif m.start() <= offset:
            inside = m
    found = inside or _SENTENCE_END.search(text, max(offset, start))
    end = found.start() + len(found.group().rstrip()) if found else len(text)
    return start, max(end, start)


def speech_bounds(text: str, offset: int, breaks: list[tuple[int, bool]] | None = None,
                  max_words: int = 40) -> tuple[int, int]:
    """The sentence at ``offset``, cut to at most ``max_words`` words when it is longer.

    Speech-recognition text has no punctuation, so its "sentence" can run for
    hundreds of words. ``breaks`` are ``(offset, pause)`` places where a caption
    cue starts (``pause``: after a silence); the long span is cut into pieces at
    pauses first, then at cues, and pieces still too long into equal word runs.
    """
    start, end = sentence_bounds(text, offset)
    words = [m.start() for m in _WORD.finditer(text, start, end)]
    if len(words) <= max_words:
        return start, end
    cuts = sorted(b for b in breaks or [] if start < b[0] < end)
    pieces: list[int] = [start]  # piece start offsets
    count = 0
    for pos, pause in cuts:
        before = sum(1 for w in words if pieces[-1] <= w < pos)
        after_next = _words_between(words, pos, _next_cut(cuts, pos, end))
        count = before
        if (pause and count >= 8) or count + after_next > max_words:
            pieces.append(pos)
    pieces.append(end)
    for a, b in zip(pieces, pieces[1:], strict=False):
        if a <= offset < b or b == end:
            inside = [w for w in words if a <= w < b]
            if len(inside) > max_words:  # no usable breaks: equal runs of words
                runs = -(-len(inside) // max_words)
                size = -(-len(inside) // runs)
                starts = inside[::size] + [b]
                for ra, rb in zip(starts, starts[1:], strict=False):
                    if ra <= offset < rb or rb == b:
                        return ra, _trim_end(text, ra, rb)
            return a, _trim_end(text, a, b)
    return start, end


def _words_between(words: list[int], a: int, b: int) -> int:
    return bisect.bisect_left(words, b) - bisect.bisect_left(words, a)


def _next_cut(cuts: list[tuple[int, bool]], pos: int, end: int) -> int:
    return next((c for c, _ in cuts if c > pos), end)


def _trim_end(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1].isspace():
        b -= 1
    return b


def next_sentence(text: str, offset: int) -> int:
    m = _SENTENCE_END.search(text, offset)
    return m.end() if m else len(text)


def prev_sentence(text: str, offset: int) -> int:
    start, _ = sentence_bounds(text, offset)
    if start < offset:
        return start
    return sentence_bounds(text, max(0, start - 2))[0] if start else 0
