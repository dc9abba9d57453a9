"""Cursor motions of the reader: by character, line, word, sentence and page.

With a selection being extended (``anchor`` set and ``extending``), motions
extend it; after a selection was used, the next plain motion drops it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.widgets import wrap as layout

if TYPE_CHECKING:
    from array import array

    from textual.geometry import Offset, Region


class ReaderMotions:
    """Mixed into Reader (which provides what is declared here)."""

    if TYPE_CHECKING:
        text: str
        cursor: int
        sel_anchor: int | None
        extending: bool
        _starts: array[int]
        _ends: array[int]

        @property
        def scrollable_content_region(self) -> Region: ...

        @property
        def scroll_offset(self) -> Offset: ...

        def scroll_top_to(self, line: int) -> None: ...

        def move_to(self, offset: int, *, extend: bool = False, center: bool = False) -> None: ...

    def _vertical(self, lines: int, extend: bool = False) -> None:
        if not self._starts:
            return
        line = layout.line_of(self._starts, self.cursor)
        col = layout.offset_to_column(self.text, self._starts[line], self.cursor)
        target = max(0, min(len(self._starts) - 1, line + lines))
        offset = layout.column_to_offset(
            self.text, self._starts[target], self._ends[target], col
        )
        if lines and target == line:
            offset = 0 if lines < 0 else len(self.text)
        self.move_to(offset, extend=extend)

    def _plain_move(self, offset: int) -> None:
        self.move_to(offset, extend=self.sel_anchor is not None and self.extending)

    def action_cursor_up(self) -> None:
        self._vertical(-1, extend=self.sel_anchor is not None and self.extending)

    def action_cursor_down(self) -> None:
        self._vertical(1, extend=self.sel_anchor is not None and self.extending)

    def action_cursor_left(self) -> None:
        self._plain_move(self.cursor - 1)

    def action_cursor_right(self) -> None:
        self._plain_move(self.cursor + 1)

    def action_select_up(self) -> None:
        self._vertical(-1, extend=True)

    def action_select_down(self) -> None:
        self._vertical(1, extend=True)

    def action_select_left(self) -> None:
        self.move_to(self.cursor - 1, extend=True)

    def action_select_right(self) -> None:
        self.move_to(self.cursor + 1, extend=True)

    def action_word_next(self) -> None:
        target = layout.next_word(self.text, self.cursor)
        if self.sel_anchor is not None:
            target = layout.word_end(self.text, self.cursor)
        self._plain_move(target)

    def action_word_prev(self) -> None:
        self._plain_move(layout.prev_word(self.text, self.cursor))

    def action_sentence_next(self) -> None:
        if self.sel_anchor is not None:
            self._plain_move(layout.sentence_bounds(self.text, self.cursor + 1)[1])
        else:
            self._plain_move(layout.next_sentence(self.text, self.cursor))

    def action_sentence_prev(self) -> None:
        self._plain_move(layout.prev_sentence(self.text, self.cursor))

    def _page(self, direction: int) -> None:
        """Scroll a page and move the cursor by the same number of lines."""
        page = max(self.scrollable_content_region.height - 1, 1)
        top = self.scroll_offset.y
        new_top = max(0, min(top + direction * page, len(self._starts) - 1))
        self.scroll_top_to(new_top)
        self._vertical(direction * page, extend=self.sel_anchor is not None and self.extending)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_page_down(self) -> None:
        self._page(1)

    def action_top(self) -> None:
        self.move_to(0)

    def action_bottom(self) -> None:
        self.move_to(len(self.text))

