"""Reader styles and the highlight record.

Colours are given as RGB chosen so that a 16-colour terminal shows the colour
named (Textual maps named ANSI colours through its own palette, where
"yellow" is orange and becomes bright red in 16 colours), each paired with an
attribute (underline, italic, bold) so every distinction survives
``NO_COLOR``, where colours become grey levels: marks use light colours so
their grey stays readable on a dark background.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

# Highlight name -> RGB that downgrades to that ANSI colour in 16 colours.
COLOR_RGB = {
    "yellow": "#f0dc00",  # ANSI 11 bright yellow
    "green": "#00be00",  # ANSI 2
    "blue": "#3c6eff",  # ANSI 12
    "magenta": "#e600e6",  # ANSI 5
    "red": "#dc0000",  # ANSI 1
    "cyan": "#00d2d2",  # ANSI 6
}
_INFERRED = "#5fd7ff"  # ANSI 14 bright cyan; light grey under NO_COLOR
INFERRED = {
    "gap": Style(color="#ff87ff", bold=True, underline=True),  # ANSI 13; never dim
    "completion": Style(color=_INFERRED, italic=True, underline=True),
    "punctuation": Style(color=_INFERRED, bold=True, underline=True),
    "case": Style(color=_INFERRED, italic=True),
    "entity": Style(color=_INFERRED, underline=True),
    "repeat": Style(color="#f0dc00", underline=True),
}
INFERRED_DEFAULT = Style(color=_INFERRED, underline=True)
HIGHLIGHT = {
    name: Style(bgcolor=rgb, color="#000000" if name in {"yellow", "green", "cyan"} else "#ffffff",
                bold=True)
    for name, rgb in COLOR_RGB.items()
}
MATCH = Style(bgcolor="#ffff5f", color="#000000", underline=True)
MATCH_CURRENT = Style(bgcolor="#87ff87", color="#000000", bold=True, underline=True)
SELECTION = Style(reverse=True)
CURSOR = Style(reverse=True)


@dataclass(frozen=True, slots=True)
class Highlight:
    raw_start: int
    raw_end: int
    color: str
    ident: str = ""




def set_highlight_styles(styles: dict[str, str]) -> None:
    """Settings ``[highlight]``: colour name -> Rich style ("black on #ffd75f"); bad ones skipped."""
    from rich.errors import StyleSyntaxError

    for name, text in styles.items():
        try:
            HIGHLIGHT[name] = Style.parse(text) + Style(bold=True)
        except StyleSyntaxError:
            continue
