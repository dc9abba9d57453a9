"""One cheap pass over the raw text, shared by the repair passes.

Everything here runs in C-speed string methods (``split``, ``find``, ``count``,
``Counter``) rather than per-character Python loops: ``raw.split(" ")`` gives the
tokens between single spaces (an empty token is a double space), and offsets are
only computed when a pass needs them.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter

_WORD = re.compile(r"\b[A-Za-z](?:[A-Za-z']*[A-Za-z])?\b")
_STRIP = "\"'()[]{}.,;:!?…—–-“”‘’«»*"


def word_parts(tok: str) -> list[str]:
    """The words in one space-free token (punctuation stripped, digits excluded)."""
    t = tok.strip(_STRIP)
    if not t:
        return []
    if t.isalpha() and t.isascii():
        return [t]
    return _WORD.findall(t)


class Scan:
    """Tokens of ``raw`` split at single spaces, with lazily computed extras."""

    __slots__ = ("raw", "toks", "_starts", "_words", "_lower")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.toks = raw.split(" ")
        self._starts: list[int] | None = None
        self._words: Counter[str] | None = None
        self._lower: list[str] | None = None

    @property
    def starts(self) -> list[int]:
        """Start offset of each token."""
        if self._starts is None:
            self._starts = list(itertools.accumulate([len(t) + 1 for t in self.toks], initial=0))
            self._starts.pop()
        return self._starts

    @property
    def words(self) -> Counter[str]:
        """Word counts (spelling kept): ``Lebanon.`` counts as ``Lebanon``."""
        if self._words is None:
            words: Counter[str] = Counter()
            for tok, n in Counter(self.toks).items():
                for w in word_parts(tok):
                    words[w] += n
            self._words = words
        return self._words

    @property
    def lower(self) -> list[str]:
        if self._lower is None:
            self._lower = self.raw.lower().split(" ")
        return self._lower


def double_spaces(raw: str) -> list[int]:
    """Offsets of runs of exactly two spaces."""
    out: list[int] = []
    i = raw.find("  ")
    n = len(raw)
    while i >= 0:
        j = i + 2
        if j < n and raw[j] == " ":
            while j < n and raw[j] == " ":
                j += 1
        elif i == 0 or raw[i - 1] != " ":
            out.append(i)
        i = raw.find("  ", j)
    return out


def repeated_pairs(scan: Scan) -> list[tuple[int, int, int]]:
    """Words said twice in a row: (start of the first, start of the second, length)."""
    low = scan.lower
    hits = list(itertools.compress(itertools.count(),
                                   map(operator.eq, low, itertools.islice(low, 1, None))))
    hits = [i for i in hits if _wordy(low[i])]
    if not hits:
        return []
    raw = scan.raw
    text = raw.lower()
    if len(text) != len(raw):
        starts = scan.starts
        return [(starts[i], starts[i + 1], len(low[i])) for i in hits]
    out: list[tuple[int, int, int]] = []
    for w in {low[i] for i in hits}:
        pair = f"{w} {w}"
        n = len(w)
        j = text.find(pair)
        while j >= 0:
            before = text[j - 1] if j else " "
            after = text[j + 2 * n + 1:j + 2 * n + 2] or " "
            if before in " \n" and after in " \n":
                out.append((j, j + n + 1, n))
            j = text.find(pair, j + n + 1)
    out.sort()
    return out


def _wordy(tok: str) -> bool:
    return bool(tok) and tok[0].isalpha() and tok.replace("'", "").isalpha() and tok.isascii()


_SPACE_BYTES = bytes(1 if i == 32 else 0 for i in range(256))
_OTHER_BYTES = bytes(0 if i == 32 else 1 for i in range(256))
_ONE = re.compile(b"\x01")


def line_end_candidates(raw: str, width: int) -> list[int]:
    """Single-space offsets ``e`` that end a line of exactly ``width`` columns.

    The line ``raw[e - width:e]`` follows a separator space, does not start or end with a
    space, and the separator at ``e`` is a single space. Computed with big-integer bit
    masks (one byte per character) rather than a loop over positions.
    """
    b = raw.encode("ascii", "replace")  # one byte per character
    n = len(b)
    if n != len(raw) or n <= width + 1:
        return []
    sp = int.from_bytes(b.translate(_SPACE_BYTES), "little")
    other = int.from_bytes(b.translate(_OTHER_BYTES), "little")
    x = sp & (sp << 8 * (width + 1)) & (other << 8) & (other >> 8) & (other << 8 * width)
    xb = x.to_bytes(n + width + 2, "little")[:n]
    return [m.start() for m in _ONE.finditer(xb)]


_CAP_BYTES = bytes(1 if chr(i).isupper() or chr(i) in "\"'(" else 0 for i in range(128)) + bytes(128)


def capitalised_after(raw: str, offsets: list[int]) -> list[int]:
    """The offsets ``e`` (sorted) whose next character is a capital letter or a quote."""
    if not offsets:
        return []
    b = raw.encode("ascii", "replace")
    if len(b) != len(raw):
        return [e for e in offsets if e + 1 < len(raw) and raw[e + 1] in _CAPS_STR]
    caps = b.translate(_CAP_BYTES)
    n = len(b)
    return [e for e in offsets if e + 1 < n and caps[e + 1]]


_CAPS_STR = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ\"'(“‘")
