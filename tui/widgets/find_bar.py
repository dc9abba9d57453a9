"""The find bar: one line under the reader, shown only while typing a search."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Typing searches as you go; Enter keeps the match and returns to the text; Esc closes."""

    BINDINGS = [Binding("escape", "close", "Close find", show=False)]

    @dataclass
    class Closed(Message):
        """The bar was left: ``keep`` True (Enter) keeps the search, False (Esc) clears it."""

        keep: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Find in document (Enter: go to match · n/N next/previous · Esc: clear)",
                         id=id, compact=True, select_on_focus=True)

    def action_close(self) -> None:
        self.post_message(self.Closed(keep=False))

    async def action_submit(self) -> None:
        self.post_message(self.Closed(keep=bool(self.value)))
