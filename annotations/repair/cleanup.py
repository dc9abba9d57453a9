"""Character-level clean-up: control characters, HTML entities and whitespace.

Each function returns edits (kinds ``control``, ``entity``, ``whitespace``) found by
one compiled regex over the whole text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Container

from annotations.repair.edits import Edit

SPEAKER = "—"  # shown for ">>" (a new speaker in broadcast captions)
STORY = "§"  # shown for ">>>" (a new story)

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]+"
)
_ENTITY = re.compile(
    r"(?:&gt;|&#62;|&#x3[eE];){2,3}"  # speaker / story marks
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_CR = re.compile(r"\r\n?")
_ODD = re.compile(r"[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\x85]")
_LINE_SEPS = "\u2028\u2029\x85"
_LEAD = re.compile(r"[ \n]+")


def control_edits(raw: str) -> list[Edit]:
    return [
        Edit("control", m.start(), m.end(), "", 0.99,
             f"control character{'s' if m.end() - m.start() > 1 else ''} "
             f"{', '.join(f'U+{ord(c):04X}' for c in m.group()[:3])} removed")
        for m in _CONTROL.finditer(raw)
    ]


def _speaker_reason(n: int) -> str:
    return "new story (>>> in the captions)" if n == 3 else "new speaker (>> in the captions)"


def entity_edits(raw: str) -> list[Edit]:
    out: list[Edit] = []
    if "&" not in raw:
        return out
    for m in _ENTITY.finditer(raw):
        s = m.group()
        if s.count(";") >= 2:
            n = s.count(";")
            out.append(Edit("entity", m.start(), m.end(), STORY if n == 3 else SPEAKER,
                            0.95, _speaker_reason(n)))
            continue
        shown = html.unescape(s)
        if shown == s or not shown:
            continue
        if _CONTROL.fullmatch(shown):
            out.append(Edit("entity", m.start(), m.end(), "", 0.9,
                            f"{s} (an invisible character) removed"))
            continue
        out.append(Edit("entity", m.start(), m.end(), shown, 0.99,
                        f"{s} → {shown}: HTML entity decoded"))
    return out


def whitespace_edits(raw: str, keep_doubles: Container[int] = ()) -> list[Edit]:
    """Normalise whitespace; double spaces at ``keep_doubles`` (gap points) are left.

    Runs of spaces become one space, spaces before a line break go, CR/LF becomes LF,
    tabs and odd spaces become a plain space, blank space at either end goes.
    """
    out: list[Edit] = []
    n = len(raw)
    m0 = _LEAD.match(raw)
    lead_end = m0.end() if m0 else 0
    if lead_end:
        out.append(Edit("whitespace", 0, lead_end, "", 0.99, "blank space at the start removed"))
    tail_start = len(raw.rstrip(" \n\t\r"))
    if "\r" in raw:
        for m in _CR.finditer(raw, lead_end, tail_start):
            s = m.start()
            if m.end() - s == 2:
                out.append(Edit("whitespace", s, s + 1, "", 0.99, "Windows line end (CR) removed"))
            else:
                out.append(Edit("whitespace", s, s + 1, "\n", 0.99,
                                "old Mac line end (CR) shown as a line break"))
    if not raw.isascii() or "\t" in raw:
        for m in _ODD.finditer(raw, lead_end, tail_start):
            s = m.start()
            c = raw[s]
            if c in _LINE_SEPS:
                out.append(Edit("whitespace", s, s + 1, "\n", 0.99, "line separator shown as a line break"))
            else:
                prev_space = s > 0 and raw[s - 1] in " \t"
                out.append(Edit("whitespace", s, s + 1, "" if prev_space else " ", 0.99,
                                f"U+{ord(c):04X} shown as a plain space"))
    i = raw.find("  ", lead_end, tail_start)
    while i >= 0:
        j = i + 2
        while j < n and raw[j] == " ":
            j += 1
        if j < tail_start:
            if raw[j] == "\n":
                out.append(Edit("whitespace", i, j, "", 0.99, "spaces at a line end removed"))
            elif j - i > 2 or i not in keep_doubles:
                out.append(Edit("whitespace", i + 1, j, "",
                                0.99, "double space removed" if j - i == 2 else "extra spaces removed"))
        i = raw.find("  ", j, tail_start)
    i = raw.find(" \n", lead_end, tail_start)
    while i >= 0:
        if i == 0 or raw[i - 1] != " ":
            out.append(Edit("whitespace", i, i + 1, "", 0.99, "space at a line end removed"))
        i = raw.find(" \n", i + 2, tail_start)
    if tail_start < n and tail_start >= lead_end:
        out.append(Edit("whitespace", tail_start, n, "", 0.99, "blank space at the end removed"))
    out.sort(key=lambda e: e.raw_start)
    return out
