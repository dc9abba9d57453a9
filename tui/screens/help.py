"""Help: what the marks and colours mean, then every key, generated from the bindings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.textsafe import one_line
from tui.widgets.reader_styles import HIGHLIGHT, INFERRED, MATCH

if TYPE_CHECKING:
    from tui.app import GlossApp

NAMES = {
    "question_mark": "?", "slash": "/", "right_parenthesis": ")", "left_parenthesis": "(",
    "escape": "Esc", "enter": "Enter", "space": "Space", "pageup": "PgUp", "pagedown": "PgDn",
    "left_square_bracket": "[", "backspace": "Backspace", "delete": "Del",
}


def _key_label(key: str) -> str:
    return " ".join(NAMES.get(k.strip(), k.strip()) for k in key.split(","))


def reader_help_groups(app: GlossApp) -> list[tuple[str, list[Any]]]:
    """Key groups: the app's, the reader screen's (with the similar view's), list, reader,
    the search view's and the board's."""
    from tui import bindings
    from tui.screens.board import BoardScreen
    from tui.screens.search import SearchScreen
    from tui.screens.similar import SimilarScreen
    from tui.widgets.doc_list import DocTable, DocumentList
    from tui.widgets.reader import Reader

    return [
        ("Everywhere", list(app.BINDINGS) + [
            Binding("ctrl+p", "", "Command palette: this screen's actions (documents in the reader)"),
            Binding("tab", "", "Next pane"), Binding("shift+tab", "", "Previous pane")]),
        *bindings.GROUPS,
        ("In the similar-passages view", list(SimilarScreen.BINDINGS)),
        ("Document list (type to filter; Backspace edits the filter)",
         list(DocTable.BINDINGS) + list(DocumentList.BINDINGS)),
        ("Reader", list(Reader.BINDINGS)),
        ("In the search view (Ctrl+F)", list(SearchScreen.BINDINGS)),
        ("In the annotation board (Ctrl+G)", list(BoardScreen.BINDINGS)),
    ]


def concepts(store: str) -> Text:
    """The legend: marks, colours (with their 16-colour / NO_COLOR form), verdicts, filters."""
    t = Text()

    def head(title: str) -> None:
        t.append(f"\n{title}\n", style="bold underline")

    def row(sample: str, style: Any, text: str) -> None:
        t.append("  ")
        t.append(sample, style=style)
        t.append(f"  {text}\n")

    head("What you see in the repaired text")
    row("[…]", INFERRED["gap"], "a gap: words were lost here (quotes show it as […])")
    row("word", INFERRED["completion"], "inferred (underlined): gloss added or changed it; "
        "r shows the raw text; quotes put it in [brackets]")
    row(",.", INFERRED["punctuation"], "inferred punctuation (bold underlined)")
    row("text", MATCH, "a search match (underlined)")
    t.append("  Without colour (NO_COLOR) the underline, bold and italics still mark each kind.\n")
    head("Highlight colours (h cycles them; they carry no verdict)")
    for name, style in HIGHLIGHT.items():
        row(f" {name:<7} ", style, "")
    t.append("  Colours are your own grouping; the verdict is written out in the sidebar.\n")
    head("Verdicts (c)")
    t.append("  unverified · true · mostly true · misleading · needs context · false · "
             "not checkable\n  (a store may define its own list in its config.json)\n")
    head("Sidebar filter (A then the box above the list)")
    t.append("  words match quote, note, tags, verdict and author;  tag:gaza  verdict:false  "
             "author:alice\n  Several terms must all match. Esc leaves the box; another "
             "document starts unfiltered.\n")
    head("Tags")
    t.append("  Comma-separated; '#' is dropped and case is ignored: '#Gaza', 'gaza' and 'GAZA' are one tag.\n")
    head("Where annotations are stored")
    t.append("  " + one_line(store, 300) + "\n")
    return t


def bindings_table(groups: list[tuple[str, list[BindingType]]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True, width=16)
    table.add_column("action")
    for title, group in groups:
        table.add_row("", Text(title, style="bold underline"))
        for b in group:
            if not isinstance(b, Binding):
                continue
            desc = b.tooltip or b.description or b.action
            table.add_row(Text(b.key_display or _key_label(b.key)), Text(desc))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Concepts and key bindings; Esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]], store: str = "") -> None:
        super().__init__()
        self.groups = groups
        self.store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("gloss — help (Esc closes; ↑↓ PgUp PgDn scroll)", style="bold"),
                         id="help-title")
            yield Static(bindings_table(self.groups))
            yield Static(concepts(self.store))
