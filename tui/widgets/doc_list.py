"""The document list: a filterable table that renders only visible rows.

Filtering 10,000 rows is one pass of substring tests over pre-lowered
strings, and rendering touches only the rows on screen (Line API).
"""

from __future__ import annotations

import time
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from annotations.doc_filter import SORTS, DocFilter, sort_rows
from annotations.model import DocInfo
from annotations.textsafe import one_line
from tui.messages import CorpusChanged, CountsLoaded, DocumentChosen, RowsScanned, ScanFinished

ERROR_STYLE = Style(color="red")
NOTE_STYLE = Style(color="yellow")


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells and pad it."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - cell_len(text))


class DocTable(ScrollView, can_focus=True):
    """Rows of documents; Enter or a click opens one."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Open", show=False, tooltip="Open the document under the cursor"),
        Binding("S", "cycle_sort", "Sort", show=False, tooltip="Sort the list by date, title, channel or "
                "annotation count"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[DocInfo] = []
        self._hay: list[str] = []
        self.counts: dict[str, int] = {}
        self.doc_tags: dict[str, str] = {}
        self.doc_verdicts: dict[str, list[str]] = {}
        self.sort = "folder"
        self._order: list[int] | None = None  # row indices in the sort order
        self.visible_rows: list[int] = []
        self.filter_query = ""
        self.cursor = 0
        self.current_key: str | None = None
        self.fresh_filter = False  # set when a document opens: the next typing starts anew

    # -- data ---------------------------------------------------------------------
    def set_rows(self, rows: list[DocInfo]) -> None:
        key = self.cursor_info.key if self.cursor_info else None
        self.rows = rows
        self._order = None
        self._hay = [f"{r.title}\t{r.channel}\t{r.date}\t{r.key}\t{r.rel_path}".lower() for r in rows]
        self.apply_filter(self.filter_query, keep_key=key)

    def add_rows(self, rows: list[DocInfo]) -> None:
        """Rows found by the scan (shown in scan order until the scan ends)."""
        self.rows.extend(rows)
        self._hay.extend(
            f"{r.title}\t{r.channel}\t{r.date}\t{r.key}\t{r.rel_path}".lower() for r in rows
        )
        self._order = None
        flt = DocFilter.parse(self.filter_query)
        base = len(self.rows) - len(rows)
        self.visible_rows.extend(base + i for i in range(len(rows)) if self._keep(flt, base + i))
        self._resize()

    def set_counts(self, counts: dict[str, int], tags: dict[str, str] | None = None,
                   verdicts: dict[str, list[str]] | None = None) -> None:
        self.counts = counts
        if tags is not None:
            self.doc_tags = tags
        if verdicts is not None:
            self.doc_verdicts = verdicts
        if self.sort == "count":
            self._order = None
        if self.filter_query or self.sort == "count":
            self.apply_filter(self.filter_query, keep_key=self.cursor_info.key
                              if self.cursor_info else None)
        self.refresh()

    def _keep(self, flt: DocFilter, i: int) -> bool:
        if not flt:
            return True
        info = self.rows[i]
        key = info.key
        return flt.matches(info, self._hay[i], count=self.counts.get(key, 0),
                           tags=self.doc_tags.get(key, ""),
                           verdicts=self.doc_verdicts.get(key, ()))

    def order(self) -> list[int]:
        if self._order is None or len(self._order) != len(self.rows):
            self._order = sort_rows(self.rows, self.sort, self.counts)
        return self._order

    def action_cycle_sort(self) -> None:
        """Next sort order (folder → date → title → channel → count); the status line
        shows it."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._order = None
        key = self.cursor_info.key if self.cursor_info else None
        self.apply_filter(self.filter_query, keep_key=key)
        parent = self.parent
        if isinstance(parent, DocumentList):
            parent.update_status()

    def apply_filter(self, query: str, keep_key: str | None = None) -> None:
        """Keep rows the list filter accepts (:mod:`annotations.doc_filter`), in the
        chosen order."""
        self.filter_query = query
        flt = DocFilter.parse(query)
        order = self.order()
        if not flt:
            self.visible_rows = list(order)
        elif flt.words and flt == DocFilter(words=flt.words):  # words only: the common case
            hay, rows, tags, words = self._hay, self.rows, self.doc_tags, flt.words
            self.visible_rows = [i for i in order if all(
                w in hay[i] or w in tags.get(rows[i].key, "") for w in words)]
        else:
            keep = self._keep
            self.visible_rows = [i for i in order if keep(flt, i)]
        self.cursor = 0
        if keep_key is not None:
            for n, i in enumerate(self.visible_rows):
                if self.rows[i].key == keep_key:
                    self.cursor = n
                    break
        self._resize()
        self.scroll_to_cursor()

    def _resize(self) -> None:
        self.virtual_size = Size(self.size.width or 40, len(self.visible_rows))
        self.refresh()

    @property
    def cursor_info(self) -> DocInfo | None:
        if 0 <= self.cursor < len(self.visible_rows):
            return self.rows[self.visible_rows[self.cursor]]
        return None

    # -- rendering -------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        n = self.scroll_offset.y + y
        if n >= len(self.visible_rows):
            if n == 0:
                text = "No documents match." if self.rows else "No documents yet."
                return Strip([Segment(_fit(text, width), base + Style(dim=True))])
            return Strip.blank(width, base)
        info = self.rows[self.visible_rows[n]]
        count = self.counts.get(info.key, 0)
        # "+": one video, two files (a transcript and its captions, merged)
        marker = "✗" if info.error else ("!" if info.problems else (
            "+" if len(info.sources) > 1 else " "))
        right = f" {_fit(one_line(info.channel, 12), 8)} {info.date or '          '}"
        right += f" {count:>3}" if count else "    "
        if width < 50:
            right = f" {count:>3}" if count else ""
        title_w = max(width - cell_len(right) - 2, 4)
        style = base
        if n == self.cursor:
            style = base + Style(reverse=True)
        marker_style = ERROR_STYLE if info.error else NOTE_STYLE
        segments = [
            Segment(marker, style + marker_style),
            Segment(" " + _fit(one_line(info.title or info.rel_path), title_w), style),
            Segment(right, style + Style(dim=n != self.cursor)),
        ]
        if info.key == self.current_key:
            segments[1] = Segment(segments[1].text, style + Style(bold=True))
        return Strip(segments).crop_extend(0, width, base)

    # -- movement ------------------------------------------------------------------------
    def scroll_to_cursor(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def move(self, cursor: int) -> None:
        if not self.visible_rows:
            return
        self.cursor = max(0, min(cursor, len(self.visible_rows) - 1))
        self.scroll_to_cursor()
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.move(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move(self.cursor + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_jump(self, where: int) -> None:
        self.move(0 if where == 0 else len(self.visible_rows) - 1)

    def action_open(self) -> None:
        info = self.cursor_info
        if info is not None:
            self.fresh_filter = True
            self.post_message(DocumentChosen(info))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if row < len(self.visible_rows):
            self.move(row)
            self.action_open()

    def on_key(self, event: events.Key) -> None:
        """Type to filter: printable keys go to the filter box.

        ``q``, ``?``, ``/`` and capital letters stay commands (quit, help, find,
        Shift+letter actions); the filter is case-insensitive, and once the box
        has focus every character types.
        """
        ch = event.character
        box = self.parent.query_one(Input) if self.parent else None
        if box is None:
            return
        if event.key == "backspace" and box.value:
            event.stop()
            event.prevent_default()
            box.focus()
            box.action_end()
            box.action_delete_left()
        elif event.is_printable and ch and ch not in "q?/" and not ch.isupper():
            event.stop()
            event.prevent_default()
            if self.fresh_filter:
                box.value = ""  # a document was opened since: typing starts a new filter
            self.fresh_filter = False
            box.focus()
            box.action_end()
            box.insert_text_at_cursor(ch)


class DocumentList(Vertical):
    """Filter box above the table; scans and watches the corpus to fill it."""

    BINDINGS = [Binding("escape", "clear_filter", "Clear filter", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.corpus: Any = None
        self.scanning = False
        self._next_watch = 0.0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type to filter…", id="filter", compact=True,
                    select_on_focus=False)
        yield Static("", id="list-status")
        yield DocTable(id="doc-table")

    @property
    def table(self) -> DocTable:
        return self.query_one(DocTable)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.table.apply_filter(event.value)
        self.update_status()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()
        info = self.table.cursor_info
        if info is not None:
            self.table.fresh_filter = True
            # Posted from here: a message created inside this handler has this
            # widget as sender, and Textual stops bubbling at the sender.
            self.post_message(DocumentChosen(info))

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.screen.focused is self.query_one(Input):
            event.stop()
            self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one(Input)
        if box.value:
            box.value = ""
        self.table.focus()

    # -- the corpus --------------------------------------------------------------------
    def start_scan(self, corpus: Any) -> None:
        self.corpus = corpus
        self.scan()
        self.set_interval(2.0, self.watch_corpus)

    @work(thread=True, exclusive=True, group="scan", name="scan corpus", exit_on_error=False)
    def scan(self) -> None:
        self.scanning = True
        done = 0
        try:
            for batch in self.corpus.scan_batches():
                done += len(batch)
                self.post_message(RowsScanned(batch, done))
        finally:
            self.scanning = False
            self.post_message(ScanFinished())

    def on_rows_scanned(self, event: RowsScanned) -> None:
        event.stop()
        self.table.add_rows(event.batch)
        self.update_status(f"scanning… {event.done:,}")

    def on_scan_finished(self) -> None:
        table = self.table
        if self.corpus is not None and len(self.corpus.infos) != len(table.rows):
            table.set_rows(list(self.corpus.infos))  # twins merged: one row per video
        else:
            key = table.cursor_info.key if table.cursor_info else None
            table.apply_filter(table.filter_query, keep_key=key)  # now in the sort order
        self.update_status()  # the message bubbles on to the screen

    @work(thread=True, exclusive=True, group="watch", name="watch corpus", exit_on_error=False)
    def watch_corpus(self) -> None:
        """Pick up files added, removed or edited; at most ~10% of one core on big folders."""
        now = time.monotonic()
        if self.scanning or now < self._next_watch:
            return
        changes = self.corpus.refresh()
        self._next_watch = time.monotonic() + max(0.0, 9 * (time.monotonic() - now))
        if changes:
            self.post_message(CorpusChanged(changes))

    def on_corpus_changed(self, event: CorpusChanged) -> None:
        self.table.set_rows(list(self.corpus.infos))
        self.update_status()  # the message bubbles on to the screen (open document)

    @work(thread=True, exclusive=True, group="counts", name="annotation counts",
          exit_on_error=False)
    def load_counts(self, store: Any) -> None:
        view = store.index.view()  # per document: n, tags, verdicts (the store's summaries)
        counts: dict[str, int] = {}
        tags: dict[str, str] = {}
        verdicts: dict[str, list[str]] = {}
        for key, v in view.items():
            # a caption file merged into its transcript: one row
            info = self.corpus.get(key) if self.corpus is not None else None
            row_key = info.key if info is not None else key
            if v.get("n"):
                counts[row_key] = counts.get(row_key, 0) + int(v.get("n", 0))
            if v.get("tags"):
                more = "\n".join(v.get("tags") or {}).casefold()
                tags[row_key] = f"{tags[row_key]}\n{more}" if row_key in tags else more
            if v.get("verdicts"):
                verdicts.setdefault(row_key, []).extend(v.get("verdicts") or {})
        self.post_message(CountsLoaded(counts, tags, verdicts))

    def on_counts_loaded(self, event: CountsLoaded) -> None:
        event.stop()
        self.table.set_counts(event.counts, event.tags, event.verdicts)

    def update_status(self, scanning: str = "") -> None:
        table = self.table
        shown = len(table.visible_rows)
        total = len(table.rows)
        text = f"{shown:,} of {total:,} documents" if table.filter_query else f"{total:,} documents"
        if table.sort != "folder":
            arrow = {"date": "newest first", "title": "A–Z", "channel": "A–Z",
                     "count": "most annotated first"}[table.sort]
            text += f" · by {table.sort}, {arrow}"
        errors = DocFilter.parse(table.filter_query).errors if table.filter_query else ()
        if errors:
            text += f" · {errors[0]}"
        if scanning:
            text += f" · {scanning}"
        self.query_one("#list-status", Static).update(text)
