"""Cite: the quote with its source, copied and shown so it can be selected (issue 12).

``C`` (and the palette) builds the citation of the selection, else of the annotation at
the cursor (``annotations.citation``): the edited quote with inferred characters in
[brackets], channel, title, date, video time and link. It goes to the clipboard through
Textual's ``copy_to_clipboard`` (OSC 52, which works over SSH in most terminals) and is
shown in a dialog where it can be selected, because tmux and some terminals drop OSC 52.
No browser is ever opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from annotations.textsafe import visible
from annotations.timefmt import clock

if TYPE_CHECKING:
    from annotations.model import Document
    from tui.screens.reader_screen import ReaderScreen


class CitationDialog(ModalScreen[None]):
    """The citation as selectable text; Esc or Enter closes."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close",
                                                            show=False)]
    DEFAULT_CSS = """
    CitationDialog { align: center middle; }
    CitationDialog > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    CitationDialog .title { text-style: bold; }
    CitationDialog .hint { color: $text-muted; }
    CitationDialog TextArea { height: 8; }
    CitationDialog Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, citation: str) -> None:
        super().__init__()
        self.citation = citation

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Citation copied to the clipboard"), classes="title")
            yield TextArea(visible(self.citation), id="citation", read_only=True,
                           soft_wrap=True)
            yield Static(Text("If your terminal or tmux dropped the copy, select the text "
                              "above (Shift+arrows) and copy it. Esc closes."), classes="hint")
            with Horizontal():
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.select_all()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def time_at(doc: Document | None, raw: int) -> str:
    """The video time at raw offset ``raw`` (``''`` without cue times)."""
    if doc is None or not doc.cues:
        return ""
    cue = doc.cue_at(raw)
    return clock(cue.start) if cue is not None else ""


def cite(screen: ReaderScreen) -> None:
    """Copy the citation of the selection (else the annotation at the cursor) and show it."""
    from annotations.citation import cite as build

    doc = screen.document
    if doc is None:
        return
    span = screen.reader.selection_raw()
    if span is None:
        ann = screen.annotation_at_cursor()
        if ann is not None and not ann.orphan:
            span = (ann.raw_start, ann.raw_end)
    if span is None or span[0] == span[1]:
        screen.status("Select text, or put the cursor on an annotation, to cite it.")
        return
    rep = screen.reader.repaired if screen.reader.repaired.raw == doc.raw else None
    text = build(doc, rep, span[0], span[1]).render("text")
    screen.app.copy_to_clipboard(text)
    screen.status("Citation copied (also shown to select by hand).")
    screen.app.push_screen(CitationDialog(text))
