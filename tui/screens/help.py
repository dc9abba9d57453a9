"""Help screen: every key binding with its description, grouped by pane."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_label(key: str) -> str:
    names = {
        "question_mark": "?",
        "slash": "/",
        "right_parenthesis": ")",
        "left_parenthesis": "(",
        "escape": "Esc",
        "enter": "Enter",
        "space": "Space",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "left_square_bracket": "[",
        "backspace": "Backspace",
        "delete": "Del",
    }
    return " ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


def bindings_table(groups: list[tuple[str, list[BindingType]]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True, width=16)
    table.add_column("action")
    for title, bindings in groups:
        table.add_row("", Text(title, style="bold underline"))
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            desc = b.tooltip or b.description or b.action
            label = b.key_display or _key_label(b.key)
            table.add_row(Text(label), Text(desc))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("gloss — keys (Esc closes)", style="bold"), id="help-title")
            yield Static(bindings_table(self.groups))
