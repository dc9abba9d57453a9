"""Document text is data: make any string safe to put on a terminal.

Control characters (including ESC, which starts ANSI/OSC sequences) are
replaced one-for-one with visible Unicode control pictures, so offsets are
kept and nothing reaches the terminal as a command. Rich markup is never
parsed because callers build ``rich.text.Text``/Segments, not markup strings.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e]")


def _picture(match: re.Match[str]) -> str:
    c = ord(match.group())
    if c < 0x20:
        return chr(0x2400 + c)  # ␀…␟ (␛ for ESC)
    if c == 0x7F:
        return "\u2421"  # ␡
    return "\u00bf"  # C1 controls and invisible format characters: ¿


def visible(text: str) -> str:
    """Same length as ``text``; every control char replaced by a visible one."""
    if text.isprintable():
        return text
    return _CONTROL.sub(_picture, text.replace("\t", "\u2192"))


def one_line(text: str, limit: int = 200) -> str:
    """Visible text on one line, shortened to ``limit`` characters."""
    text = visible(text.replace("\n", " ").replace("\r", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_EXPORT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def for_export(text: str) -> str:
    """Text for a file a person opens elsewhere (CSV, Markdown): same length, every
    control character (ESC, BEL, NUL, C1, bidi overrides…) replaced by a visible one;
    tab, newline and carriage return are kept (cells and paragraphs need them)."""
    if text.isprintable():
        return text
    return _EXPORT_CONTROL.sub(_picture, text)
