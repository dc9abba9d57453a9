"""Reader styles and the highlight record.

Styles are Rich styles on the 16 ANSI colours plus an attribute (underline,
italic, bold, reverse), so every distinction survives 16-colour terminals and
``NO_COLOR`` (which strips colours but keeps attributes).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

INFERRED = {
    "gap": Style(color="bright_magenta", bold=True),
    "completion": Style(color="bright_cyan", italic=True, underline=True),
    "punctuation": Style(color="bright_cyan", bold=True, underline=True),
    "case": Style(color="bright_cyan", italic=True),
    "entity": Style(color="bright_cyan", underline=True),
    "repeat": Style(color="yellow", underline=True),
}
INFERRED_DEFAULT = Style(color="bright_cyan", underline=True)
HIGHLIGHT = {
    "yellow": Style(bgcolor="yellow", color="black", bold=True),
    "green": Style(bgcolor="green", color="black", bold=True),
    "blue": Style(bgcolor="blue", color="white", bold=True),
    "magenta": Style(bgcolor="magenta", color="white", bold=True),
    "red": Style(bgcolor="red", color="white", bold=True),
    "cyan": Style(bgcolor="cyan", color="black", bold=True),
}
MATCH = Style(bgcolor="bright_yellow", color="black", underline=True)
MATCH_CURRENT = Style(bgcolor="bright_green", color="black", bold=True, underline=True)
SELECTION = Style(reverse=True)
CURSOR = Style(reverse=True)


@dataclass(frozen=True, slots=True)
class Highlight:
    raw_start: int
    raw_end: int
    color: str
    ident: str = ""


