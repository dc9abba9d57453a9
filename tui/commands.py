"""Command palette: what the screen it is opened on can do, by name.

``GlossApp.get_system_commands(screen)`` gives the commands of the screen the palette
was opened on (the reader's actions on the reader only; a board, search or similar
view's keys on that screen), then the app-wide ones. Documents by title come from
``DocumentsProvider``, a provider of the reader screen alone (``ReaderScreen.COMMANDS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.markup import escape

from annotations.textsafe import one_line
from tui import bindings
from tui.messages import DocumentChosen

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.screens.reader_screen import ReaderScreen

MAX_HITS = 40


def palette_command(title: str, help_text: str, callback: Callable[[], object]) -> SystemCommand:
    """A palette entry whose help is shown literally: the palette reads help as markup."""
    return SystemCommand(title, escape(help_text), callback)


def screen_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    """The keys of a screen shown over the reader (board, search, similar view), by name:
    those its footer leaves out too, when its ``check_action`` allows them. Titled
    "<PALETTE_GROUP>: <description>"; none for a screen without a group (dialogs)."""
    group = getattr(screen, "PALETTE_GROUP", "")
    if not group:
        return
    for b in screen.BINDINGS:
        if not isinstance(b, Binding) or screen.check_action(b.action, ()) is not True:
            continue
        key = b.key_display or b.key.split(",")[0]
        yield palette_command(f"{group}: {b.description}", f"{b.tooltip or b.description} ({key})",
                              partial(screen.app.run_action, b.action, screen))


def reader_commands(screen: ReaderScreen) -> Iterator[SystemCommand]:
    """One command per reader action that ``check_action`` allows now."""
    actions = [(b.action, b.tooltip or b.description, b.key_display or b.key.split(",")[0])
               for b in bindings.ALL]
    actions.append(("copy", "Copy the selection's exact raw text", "ctrl+c"))
    for action, help_text, key in actions:
        if screen.check_action(action, ()) is not True:
            continue
        title = bindings.EXTRA_TITLES.get(action, action)
        yield palette_command(title, f"{help_text} ({key})", getattr(screen, f"action_{action}"))


class DocumentsProvider(Provider):
    """Documents whose title, channel or key hold the query (on the reader screen only:
    it is one of ``ReaderScreen.COMMANDS``, so it never opens a document underneath
    another screen)."""

    async def search(self, query: str) -> Hits:
        q = query.strip().lower()
        if len(q) < 2:
            return
        matcher = self.matcher(query)
        screen: ReaderScreen = self.screen  # type: ignore[assignment]
        found = 0
        for info in screen.table.rows:
            if q not in f"{info.title} {info.channel} {info.key}".lower():
                continue
            label = one_line(f"Open: {info.title or info.rel_path} · {info.channel} {info.date}", 120)
            yield Hit(1.0, matcher.highlight(escape(label)), partial(screen.post_message, DocumentChosen(info)),
                      help=escape(one_line(info.rel_path, 120)))
            found += 1
            if found >= MAX_HITS:
                return
