"""Moving around on the reader screen: cursor status, find, views and jumps.

The readers post ``CursorMoved``; the status line and the other pane follow
it here. The find bar searches the open document as you type (else ``n``/``N``
step through a corpus search's hits). Jumps to another place (a similar
passage, a search hit) go through ``go_to``; ``back`` returns along the
screen's ``JumpHistory``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.widgets import Input

from annotations.textsafe import one_line
from tui.messages import CursorMoved
from tui.screens import citing
from tui.screens.reader_layout import ReaderLayout
from tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from annotations.model import DocInfo
    from tui.widgets.reader import Reader


class ReaderNavigation(ReaderLayout):
    """Part of ``ReaderScreen``: the cursor, find, the views and jumps."""

    if TYPE_CHECKING:  # provided by the other parts of ReaderScreen
        def open_document(self, info: DocInfo) -> None: ...

    # -- reader status line -----------------------------------------------------------------
    @on(CursorMoved)
    def _cursor_moved(self, event: CursorMoved) -> None:
        reader = event.reader
        if reader is self.reader and self.split:
            self._sync_panes(reader, self.raw_pane)
        elif reader is self.raw_pane:
            self._sync_panes(reader, self.reader)
        status = reader.describe_cursor()
        at = citing.time_at(self.document, reader.cursor_raw())
        if at:
            status = Text(f"⏱ {at} · ").append_text(status)
        self.status(status)
        self.refresh_bindings()

    def _sync_panes(self, source: Reader, target: Reader) -> None:
        """Keep the other pane at the same raw position (panes scroll together)."""
        target.place_at_raw(source.cursor_raw(), source.cursor_line - source.scroll_offset.y)

    # -- find ------------------------------------------------------------------------------
    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        self.finding = True
        bar.display = True  # at once: focus() is deferred, and keys typed meanwhile
        self.reader.typing_to = bar  # (a fast typist, a paste, tmux) go to the bar
        bar.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reader.set_search(event.value)
        if event.value and not self.reader.matches:
            self.status(f"No match for “{one_line(event.value, 60)}”")
        else:
            self.status(self.reader.describe_cursor() if event.value else Text(""))
        self.refresh_bindings()

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self._close_find(keep=event.keep)
        self.reader.focus()

    def _close_find(self, *, keep: bool) -> None:
        """Hide the bar (Tab no longer lands in it); without ``keep`` the search is cleared."""
        bar = self.query_one(FindBar)
        self.finding = False
        bar.display = False
        self.reader.typing_to = None
        if not keep:
            with bar.prevent(Input.Changed):
                bar.value = ""
            self.reader.set_search("")
        self.refresh_bindings()

    def on_search_cleared(self) -> None:
        self._close_find(keep=False)

    def action_find_next(self) -> None:
        if not self.reader.matches and self.gloss.search_step():
            return
        self.reader.find_next()

    def action_find_prev(self) -> None:
        if not self.reader.matches and self.gloss.search_step(backwards=True):
            return
        self.reader.find_next(backwards=True)

    # -- views ------------------------------------------------------------------------------
    def action_toggle_raw(self) -> None:
        self.reader.mode = "raw" if self.reader.mode == "repaired" else "repaired"
        self.status(f"Showing {self.reader.mode} text")

    def action_toggle_split(self) -> None:
        self.split = not self.split
        if self.split:
            self.show_list = False  # room for two panes; Ctrl+L shows it
            self.reader.mode = "repaired"
            self.call_after_refresh(self._sync_panes, self.reader, self.raw_pane)
            self.status("Side by side: repaired | raw (panes scroll together)")

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar

    def action_focus_list(self) -> None:
        self.show_list = True
        self.query_one("#filter", Input).focus()

    def action_copy(self) -> None:
        self.reader.action_copy_selection()

    # -- jumps ------------------------------------------------------------------------------
    def go_to(self, key: str, start: int, end: int | None) -> None:
        info = self.gloss.corpus.get(key)
        if info is None:
            self.gloss.show_error(f"Document {key} is no longer in the corpus.")
            return
        if self.document is not None and self.document.key == key:
            self.reader.go_to_raw(start, end)
        else:
            self._pending_jump = (start, end if end is not None else start)
            self.open_document(info)
        self.reader.focus()

    def action_back(self) -> None:
        place = self.history.back()
        if place is not None:
            self.go_to(place.key, place.raw, place.end)
        self.refresh_bindings()
