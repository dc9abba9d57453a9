"""The reader: a Line API view of one document, repaired or raw.

Only visible lines are rendered (``render_line``), so a 100,000-word
transcript opens and scrolls as fast as a short one. The reader shows a
``Repaired`` (display text + offset map); every inferred character is styled
apart from raw text, and every cursor position and selection maps back to
exact raw offsets through the map (``reader_selection``; motions in
``reader_motion``, styles in ``reader_styles``).
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from annotations.repair.edits import Repaired, identity
from annotations.textsafe import one_line, visible
from tui.widgets import wrap as layout
from tui.widgets.reader_motion import ReaderMotions
from tui.widgets.reader_selection import ReaderSelection
from tui.widgets.reader_styles import (
    CURSOR,
    HIGHLIGHT,
    INFERRED,
    INFERRED_DEFAULT,
    MATCH,
    MATCH_CURRENT,
    SELECTION,
    Highlight,
)

if TYPE_CHECKING:
    from annotations.quote import SearchView


class Reader(ReaderMotions, ReaderSelection, ScrollView, can_focus=True):
    """Wrapped, cursor-driven view of one document."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("left", "cursor_left", "Left", show=False),
        Binding("right", "cursor_right", "Right", show=False),
        Binding("shift+up", "select_up", "Extend up", show=False),
        Binding("shift+down", "select_down", "Extend down", show=False),
        Binding("shift+left", "select_left", "Extend left", show=False),
        Binding("shift+right", "select_right", "Extend right", show=False),
        Binding("w", "word_next", "Next word", show=False),
        Binding("b", "word_prev", "Previous word", show=False),
        Binding("right_parenthesis", "sentence_next", "Next sentence", show=False),
        Binding("left_parenthesis", "sentence_prev", "Previous sentence", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "bottom", "Bottom", show=False),
        Binding("v", "toggle_select", "Select", show=False, tooltip="Start or stop extending a selection"),
        Binding("s", "select_sentence", "Sentence", show=False, tooltip="Select the sentence at the cursor"),
        Binding("escape", "clear_selection", "Clear selection / search", show=False),
        Binding("ctrl+c", "copy_selection", "Copy selection (raw)", show=False,
                tooltip="Copy the selection's exact raw text"),
    ]

    mode: reactive[str] = reactive("repaired", init=False)

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.doc_key: str | None = None
        self.raw = ""
        self.repaired: Repaired = identity("")
        self._view: Repaired = self.repaired
        self.text = ""
        self.placeholder = "Select a document from the list (Enter) to read it."
        self._starts = layout.array("l")
        self._ends = layout.array("l")
        self._wrap_width = 0
        self.cursor = 0
        self.sel_anchor: int | None = None
        # False once a selection has been used (annotated): the next plain
        # movement drops it instead of extending it.
        self.extending = True
        self.highlights: list[Highlight] = []
        self._hl_display: list[tuple[int, int, Style]] = []
        self.search: str = ""
        self.matches: list[int] = []
        self.match_ends: list[int] = []  # display end of each match (lengths vary)
        self._match_longest = 0
        self._search_view: tuple[Repaired, SearchView] | None = None
        self.match_index = -1
        self._dragging = False
        self.cues: list[tuple[int, bool]] = []
        self.typing_to: Input | None = None  # set while an input is about to take focus

    # -- content ----------------------------------------------------------------
    def show(self, doc_key: str | None, raw: str, repaired: Repaired | None = None) -> None:
        """Show a document; ``repaired`` defaults to the raw text as is."""
        self.doc_key = doc_key
        self.cues = []
        self.raw = raw
        self.repaired = repaired or identity(raw)
        self.cursor = 0
        self.sel_anchor = None
        self.matches = []
        self.match_ends = []
        self.match_index = -1
        self._apply_mode()
        self.scroll_to(0, 0, animate=False)

    def replace_repaired(self, repaired: Repaired) -> None:
        """Swap in a new repair of the same raw text, keeping place, cursor and selection."""
        if repaired.raw != self.raw:
            return
        top_raw = self._view.to_raw(self._starts[self.scroll_offset.y]) if self._starts else 0
        cursor_raw = self._view.to_raw(self.cursor)
        sel = self.selection_raw()
        self.repaired = repaired
        self._apply_mode()
        self.cursor = self._view.to_display(cursor_raw)
        if sel is not None:
            self.sel_anchor = self._view.display_span(*sel)[0]
        self.scroll_to(y=self.line_of(self._view.to_display(top_raw)), animate=False)
        self.refresh()

    def show_message(self, message: str) -> None:
        """Show a one-line reason instead of a document."""
        self.show(None, "")
        self.placeholder = message
        self.refresh()

    def watch_mode(self) -> None:
        if not self.raw:
            self._apply_mode()
            return
        old = self._view
        raw_cursor = old.to_raw(self.cursor)
        raw_sel = self.selection_raw()
        self._apply_mode()
        self.cursor = self._view.to_display(raw_cursor)
        if raw_sel:
            self.sel_anchor = self._view.to_display(raw_sel[0])
            self.cursor = self._view.display_span(*raw_sel)[1]
        self.scroll_to_cursor(center=True)
        self._moved()

    def _apply_mode(self) -> None:
        self._view = self.repaired if self.mode == "repaired" else identity(self.raw)
        self.text = self._view.text
        self._map_highlights()
        if self.search:
            self.set_search(self.search, move=False)
        self._rewrap()

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self.highlights = highlights
        self._map_highlights()
        self.refresh()

    def _map_highlights(self) -> None:
        spans = []
        for h in self.highlights:
            ds, de = self._view.display_span(h.raw_start, h.raw_end)
            spans.append((ds, de, HIGHLIGHT.get(h.color, HIGHLIGHT["yellow"])))
        spans.sort(key=lambda s: s[0])
        self._hl_display = spans

    # -- layout -----------------------------------------------------------------
    def _text_width(self) -> int:
        """Columns available for text (the scrollbar gutter is always reserved)."""
        return max(self.scrollable_content_region.width - 1, 10) if self.size.width else 80

    def _rewrap(self) -> None:
        width = self._text_width()
        self._wrap_width = width
        self._starts, self._ends = layout.wrap(self.text, width)
        self.virtual_size = Size(width, len(self._starts) if self.text else 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width() != self._wrap_width:
            self._rewrap()
            self.scroll_to_cursor()

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        return layout.line_of(self._starts, offset) if self._starts else 0

    @property
    def cursor_line(self) -> int:
        return layout.line_of(self._starts, self.cursor) if self._starts else 0

    # -- rendering ----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = scroll_y + y
        if not self.text:
            if line == 0:
                return Strip([Segment(visible(self.placeholder)[:width], base)]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if line >= len(self._starts):
            return Strip.blank(width, base)
        segments = self._line_segments(line, base)
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _line_segments(self, line: int, base: Style) -> list[Segment]:
        s = self._starts[line]
        e = self._ends[line]
        span_end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        intervals: list[tuple[int, int, Style]] = []
        if self._view.edits:
            for seg in self._view.segments_between(s, max(e, s + 1)):
                if seg.edit is not None and seg.text_end > seg.text_start:
                    kind = seg.edit.kind
                    intervals.append(
                        (seg.text_start, seg.text_end, INFERRED.get(kind, INFERRED_DEFAULT))
                    )
        for ds, de, style in self._hl_display:
            if ds >= e:
                break
            if de > s:
                intervals.append((ds, de, style))
        if self.matches:
            i = max(bisect.bisect_left(self.matches, s - self._match_longest), 0)
            while i < len(self.matches) and self.matches[i] < e:
                m = self.matches[i]
                style = MATCH_CURRENT if i == self.match_index else MATCH
                intervals.append((m, self.match_ends[i], style))
                i += 1
        sel = self.selection
        if sel and sel[0] < span_end and sel[1] > s:
            intervals.append((sel[0], sel[1], SELECTION))
        cursor_in_line = s <= self.cursor < span_end or (
            self.cursor == len(self.text) and line == len(self._starts) - 1
        )
        if cursor_in_line and self.has_focus and self.cursor < e:
            intervals.append((self.cursor, self.cursor + 1, CURSOR))
        points = {s, e}
        for a, b, _ in intervals:
            if a > s and a < e:
                points.add(a)
            if b > s and b < e:
                points.add(b)
        cuts = sorted(points)
        segments: list[Segment] = []
        text = self.text
        for a, b in zip(cuts, cuts[1:], strict=False):
            style = base
            for ia, ib, st in intervals:
                if ia <= a and ib >= b:
                    style = style + st
            chunk = text[a:b]
            if not chunk.isprintable():
                chunk = visible(chunk)
            segments.append(Segment(chunk, style))
        if cursor_in_line and self.has_focus and self.cursor >= e:
            segments.append(Segment(" ", base + CURSOR))
        return segments

    def describe_cursor(self) -> Text:
        """The status line for this reader: inferred text, selection, match or offset."""
        parts: list[str] = []
        edit = self.edit_at_cursor()
        if edit is not None:
            said = self.raw[edit.raw_start : edit.raw_end]
            parts.append(f"inferred {edit.kind}: {edit.reason}")
            if said.strip() and edit.kind not in {"completion"}:
                parts.append(f"raw “{one_line(said, 40)}”")
        sel = self.selection_raw()
        if sel:
            parts.append(f"selected raw {sel[0]}–{sel[1]} ({sel[1] - sel[0]} chars)")
        if self.matches:
            parts.append(f"match {self.match_index + 1}/{len(self.matches)}")
        if not parts:
            parts.append(f"{self.mode} · raw offset {self.cursor_raw():,}")
        return Text(one_line(" · ".join(parts), 400))

    # -- search -------------------------------------------------------------------
    def set_search(self, query: str, *, move: bool = True) -> None:
        """Matches of ``query``; in the repaired view inferred punctuation is skipped and
        whitespace runs match one space (``Iron Dome`` finds ``Iron[.] Dome``:
        ``annotations.quote.find``)."""
        self.search = query
        self.match_index = -1
        if not query:
            self.matches, self.match_ends = [], []
        elif self._view.edits:
            from annotations.quote import find, search_view

            if self._search_view is None or self._search_view[0] is not self._view:
                self._search_view = (self._view, search_view(self._view))
            hits = find(self._search_view[1], query)
            self.matches = [a for a, _b in hits]
            self.match_ends = [b for _a, b in hits]
        else:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            found = [m.span() for m in pattern.finditer(self.text)]
            self.matches = [a for a, _b in found]
            self.match_ends = [b for _a, b in found]
        self._match_longest = max((b - a for a, b in zip(self.matches, self.match_ends,
                                                           strict=True)), default=0)
        if query and move and self.matches:
            self.find_next(from_offset=self.cursor)
        self.refresh()

    def find_next(self, *, from_offset: int | None = None, backwards: bool = False) -> None:
        if not self.matches:
            return
        here = self.cursor if from_offset is None else from_offset
        if backwards:
            i = bisect.bisect_left(self.matches, here) - 1
            i = i if i >= 0 else len(self.matches) - 1
        else:
            start = here if from_offset is not None else here + 1
            i = bisect.bisect_left(self.matches, start)
            i = i if i < len(self.matches) else 0
        self.match_index = i
        self.sel_anchor = None
        self.move_to(self.matches[i], center=True)

    def on_key(self, event: events.Key) -> None:
        """Keys typed before a just-opened input (the find bar) has focus go into it."""
        box = self.typing_to  # cleared when the input closes
        if box is None:
            return
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            box.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self.call_later(box.action_submit)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
