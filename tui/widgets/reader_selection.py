"""Cursor, selection and mouse of the reader: every position maps to exact raw offsets.

The cursor and the selection's anchor are display offsets in the shown text
(repaired or raw); ``selection_raw``, ``cursor_raw`` and ``go_to_raw`` convert
through the view's offset map, so a selection always covers every inferred
character it touches. Each change is posted up as ``CursorMoved``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.actions import SkipAction

from tui.messages import CursorMoved, SearchCleared
from tui.widgets import wrap as layout

if TYPE_CHECKING:
    from array import array

    from textual.scroll_view import ScrollView

    from annotations.repair.edits import Edit, Repaired
    from tui.widgets.reader import Reader

    _Widget = ScrollView
else:
    _Widget = object


class ReaderSelection(_Widget):
    """Mixed into Reader (which provides what is declared here)."""

    if TYPE_CHECKING:
        text: str
        raw: str
        cursor: int
        sel_anchor: int | None
        extending: bool
        search: str
        cues: list[tuple[int, bool]]
        _view: Repaired
        _starts: array[int]
        _ends: array[int]
        _dragging: bool

        @property
        def cursor_line(self) -> int: ...

        def set_search(self, query: str, *, move: bool = True) -> None: ...

    def _moved(self) -> None:
        """Tell the screen: the cursor or the selection changed."""
        self.post_message(CursorMoved(cast("Reader", self)))

    # -- cursor and selection -------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """Selected display span, or None."""
        if self.sel_anchor is None or self.sel_anchor == self.cursor:
            return None
        return (min(self.sel_anchor, self.cursor), max(self.sel_anchor, self.cursor))

    def selection_raw(self) -> tuple[int, int] | None:
        """The selection as exact raw offsets (covers every edit it touches)."""
        sel = self.selection
        return None if sel is None else self._view.raw_span(*sel)

    def cursor_raw(self) -> int:
        return self._view.to_raw(self.cursor)

    def edit_at_cursor(self) -> Edit | None:
        if not self._view.edits:
            return None
        edit = self._view.edit_at(self.cursor)
        if edit is None and self.cursor > 0:
            prev = self._view.edit_at(self.cursor - 1)
            if prev is not None and prev.raw_start == prev.raw_end:
                return prev
        return edit

    def move_to(self, offset: int, *, extend: bool = False, center: bool = False) -> None:
        offset = max(0, min(offset, len(self.text)))
        if extend and self.sel_anchor is None:
            self.sel_anchor = self.cursor
        if extend:
            self.extending = True
        elif self.sel_anchor is not None and not self.extending:
            self.sel_anchor = None
        self.cursor = offset
        self.scroll_to_cursor(center=center)
        self.refresh()
        self._moved()

    def go_to_raw(self, raw_start: int, raw_end: int | None = None) -> None:
        """Put the cursor (and a selection, when given an end) on a raw span."""
        ds, de = self._view.display_span(raw_start, raw_end if raw_end is not None else raw_start)
        self.sel_anchor = None
        self.cursor = de if raw_end is not None and de > ds else ds
        if raw_end is not None and de > ds:
            self.sel_anchor = ds
            self.extending = False  # shown marked; the next plain move drops it
        self.scroll_to_cursor(center=True)
        self.refresh()
        self._moved()

    def scroll_top_to(self, line: int) -> None:
        """Put ``line`` at the top of the view (no animation)."""
        self.scroll_to(y=line, animate=False)

    def scroll_to_cursor(self, center: bool = False) -> None:
        if not self._starts:
            return
        line = layout.line_of(self._starts, self.cursor)
        top = self.scroll_offset.y
        height = max(self.scrollable_content_region.height, 1)
        if center and not (top <= line < top + height):
            self.scroll_to(y=max(0, line - height // 2), animate=False)
        elif line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def action_toggle_select(self) -> None:
        self.sel_anchor = self.cursor if self.sel_anchor is None else None
        self.extending = True
        self.refresh()
        self._moved()

    def set_cues(self, cues: list[tuple[int, bool]]) -> None:
        """Raw offsets where caption cues start (``True``: after a pause), for ``s``."""
        self.cues = cues

    def _breaks(self) -> list[tuple[int, bool]]:
        return [(self._view.to_display(raw), pause) for raw, pause in self.cues]

    def action_select_sentence(self) -> None:
        if not self.text:
            return
        start, end = layout.speech_bounds(self.text, self.cursor, self._breaks())
        self.sel_anchor = start
        self.extending = True
        self.move_to(end)

    def action_clear_selection(self) -> None:
        """Esc: drop the selection, else the search; with neither it does nothing."""
        if self.sel_anchor is not None:
            self.sel_anchor = None
        elif self.search:
            self.set_search("")
            self.post_message(SearchCleared())
        else:
            return
        self.refresh()
        self._moved()

    def action_copy_selection(self) -> None:
        """Ctrl+C: copy the exact raw text of the selection (no selection: Ctrl+C as usual)."""
        sel = self.selection_raw()
        if sel is None:
            raise SkipAction()
        self.app.copy_to_clipboard(self.raw[sel[0] : sel[1]])
        self.app.notify(f"Copied {sel[1] - sel[0]:,} characters of raw text.", markup=False)

    def sentence_raw_span(self) -> tuple[int, int] | None:
        """Raw span of the sentence (or speech-sized chunk) at the cursor."""
        if not self.text:
            return None
        ds, de = layout.speech_bounds(self.text, self.cursor, self._breaks())
        rs, re_ = self._view.raw_span(ds, de)
        return (rs, re_) if re_ > rs else None

    def place_at_raw(self, raw: int, row: int) -> None:
        """Put the cursor on raw offset ``raw``, shown on screen row ``row`` (pane sync)."""
        self.cursor = self._view.to_display(raw)
        self.scroll_to(y=max(0, self.cursor_line - row), animate=False)
        self.refresh()

    # -- mouse ----------------------------------------------------------------------
    def _offset_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or not self._starts:
            return None
        line = self.scroll_offset.y + offset.y
        if line >= len(self._starts):
            return len(self.text)
        col = self.scroll_offset.x + offset.x
        return layout.column_to_offset(self.text, self._starts[line], self._ends[line], col)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        pos = self._offset_at(event)
        if pos is None:
            return
        self.focus()
        self.sel_anchor = pos
        self.extending = True
        self.cursor = pos
        self._dragging = True
        self.capture_mouse()
        self.refresh()
        self._moved()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            pos = self._offset_at(event)
            if pos is not None and pos != self.cursor:
                self.cursor = pos
                self.refresh()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            if self.sel_anchor == self.cursor:
                self.sel_anchor = None
            self.refresh()
            self._moved()
