"""Corpus search screen: a query box, the concordance (KWIC) and counts.

The screen shows what :class:`annotations.search.service.Searcher` finds; the search
runs in a thread worker that adds lines as documents are looked into (the first
screen comes first). Enter dismisses the screen with the chosen hit (the app opens
the document with the hit selected). Document text is data: every cell is a
``rich.text.Text`` built from ``textsafe.one_line``. The worker posts its results
(tui/messages.py), each tagged with its query's run: a run replaced by a newer
query (its worker cancelled) adds nothing to the new one's lines.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from annotations.search.kwic import SORTS, Hit, count_hits, histogram, sort_hits
from annotations.textsafe import one_line
from tui.messages import HitsFound, SearchBegun, SearchDone, SearchFailed

if TYPE_CHECKING:
    from annotations.search.query import Query
    from annotations.search.service import Searcher

MAX_HITS = 5_000  # lines collected per query (the status says when there are more)
CONTEXT = 60  # characters of context kept either side (cut to the column width)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


class SearchScreen(Screen["tuple[Hit, Query] | None"]):
    """Search every document; Enter opens a hit."""

    PALETTE_GROUP = "Search"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("ctrl+r", "fuzzy", "Fuzzy", tooltip="Also match words spelled like the query's"),
        Binding("ctrl+o", "sort", "Sort", tooltip="Sort by date, channel, document, left or "
                "right context"),
        Binding("ctrl+v", "reverse", "Reverse", show=False, tooltip="Reverse the order"),
        Binding("ctrl+n", "counts", "Counts", show=False,
                tooltip="Show or hide counts per channel and month"),
        Binding("enter", "open", "Open", show=False),
    ]
    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #q { height: 1; border: none; padding: 0 1; }
    SearchScreen #search-status { height: 1; background: $panel; padding: 0 1; }
    SearchScreen #hit-info { height: 1; background: $panel; padding: 0 1; }
    SearchScreen #search-body { height: 1fr; }
    SearchScreen #kwic { width: 1fr; height: 1fr; }
    SearchScreen #facets { width: 30; height: 1fr; padding: 0 1;
                           border-left: vkey $foreground 20%; overflow-y: auto; }
    SearchScreen.-no-facets #facets { display: none; }
    """

    def __init__(self, searcher: Searcher, *, query: str = "", progress: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.initial = query
        self.fuzzy = False
        self.sort = "date"
        self.reverse = False
        self.hits: list[Hit] = []
        self.shown: list[Hit] = []
        self.query_obj: Query | None = None
        self.note = ""  # "n hits in m documents…"
        self.progress = progress  # index building, set by the app
        self.matching = 0
        self._started = 0.0
        self._partial = False
        self._run = 0  # queries run: a worker's messages count only for the latest

    def compose(self) -> ComposeResult:
        yield Input(self.initial, placeholder='Search: words "a phrase" a OR b -word pre* '
                    "NEAR(a b, 5) channel:CNN date:2024-04 has:annotations", id="q",
                    select_on_focus=False)  # typing from the table goes on, not over
        yield Static("", id="search-status")
        with Horizontal(id="search-body"):
            yield DataTable(id="kwic", cursor_type="row", zebra_stripes=False)
            with Vertical(id="facets"):
                yield Static("", id="facet-text")
        yield Static("", id="hit-info")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 140, "-no-facets")
        self._columns()
        self.query_one("#q", Input).focus()
        self._status()
        if self.initial:
            self.run_query(self.initial)

    def _columns(self) -> None:
        """Columns for the width: 80 columns keep date | left | hit | right (the title,
        channel and time of the line under the cursor are in the line below)."""
        table = self.query_one("#kwic", DataTable)
        table.clear(columns=True)
        width = self.app.size.width - (0 if self.has_class("-no-facets") else 31) - 2
        wide = width >= 110
        cols = [("Date", "date", 10)]
        if wide:
            cols += [("Channel", "channel", 8), ("Time", "time", 7)]
        fixed = sum(w for _, _, w in cols) + 14 + (16 if wide else 0)
        n = len(cols) + 3 + (1 if wide else 0)
        side = max(8, (width - fixed - 2 * n) // 2)
        self._side = side
        self._wide = wide
        cols += [("Left", "left", side), ("Hit", "hit", 14), ("Right", "right", side)]
        if wide:
            cols.append(("Title", "title", 16))
        for label, key, w in cols:
            table.add_column(label, key=key, width=w)

    # -- running a query -------------------------------------------------------------------
    @on(Input.Submitted, "#q")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_query(event.value)
        self.query_one("#kwic", DataTable).focus()

    def run_query(self, text: str) -> None:
        self.hits = []
        self.shown = []
        self.query_one("#kwic", DataTable).clear()
        self.note = "searching…"
        self._partial = bool(self.progress)
        self._started = time.perf_counter()
        self._status()
        self._run += 1
        self._search(text, self.fuzzy, self._run)

    @work(thread=True, exclusive=True, group="search", name="corpus search")
    def _search(self, text: str, fuzzy: bool, run: int) -> None:
        from textual.worker import get_current_worker

        from annotations.search.query import QueryError

        worker = get_current_worker()
        try:
            q = self.searcher.prepare(text, fuzzy=fuzzy)
            docs = self.searcher.documents(q)
        except QueryError as exc:
            self.post_message(SearchFailed(run, f"Bad query: {exc}"))
            return
        except Exception as exc:  # noqa: BLE001 - an index problem is shown, not raised
            self.post_message(SearchFailed(run, one_line(f"Search failed: {exc}", 200)))
            return
        self.post_message(SearchBegun(run, q, len(docs)))
        batch: list[Hit] = []
        last = time.perf_counter()
        total = 0
        for i, hits in self.searcher.iter_hits(q, docs, width=CONTEXT):
            if worker.is_cancelled:
                return
            batch.extend(hits)
            total += len(hits)
            now = time.perf_counter()
            if batch and (now - last > 0.15 or len(batch) >= 40 or total >= MAX_HITS):
                self.post_message(HitsFound(run, batch, i + 1))
                batch = []
                last = now
            if total >= MAX_HITS:
                self.post_message(SearchDone(run, i + 1, False))
                return
        if batch:
            self.post_message(HitsFound(run, batch, len(docs)))
        self.post_message(SearchDone(run, len(docs), True))

    @on(SearchFailed)
    def _failed(self, event: SearchFailed) -> None:
        event.stop()
        if event.run != self._run:
            return
        self.note = event.message
        self._status()

    @on(SearchBegun)
    def _begin(self, event: SearchBegun) -> None:
        event.stop()
        if event.run != self._run:
            return
        self.query_obj = event.query
        self.matching = matching = event.matching
        self.note = f"{matching:,} documents match; placing hits…" if matching else \
            "No document matches."
        self._status()

    @on(HitsFound)
    def _add(self, event: HitsFound) -> None:
        event.stop()
        if event.run != self._run:
            return
        hits, looked = event.hits, event.looked
        self.hits.extend(hits)
        if self.sort == "date" and not self.reverse:
            self._append_rows(hits)  # documents come newest first: already in order
        else:
            self._refill()
        self.note = f"{len(self.hits):,} hits so far ({looked:,}/{self.matching:,} documents)"
        self._status()

    @on(SearchDone)
    def _finish(self, event: SearchDone) -> None:
        event.stop()
        if event.run != self._run:
            return
        complete = event.complete
        counts = count_hits(self.hits)
        took = time.perf_counter() - self._started
        more = "" if complete else f" (first {MAX_HITS:,}; refine the query for the rest)"
        self.note = (f"{counts.hits:,} hits in {counts.documents:,} documents{more} · "
                     f"{took * 1000:.0f} ms")
        self._status()
        self._facets()
        self._refill()

    # -- table -------------------------------------------------------------------------------
    def _row(self, h: Hit) -> list[Text]:
        side = self._side
        left = one_line(h.left, 10_000)[-side:]
        right = one_line(h.right, 10_000)[:side]
        hit = Text(one_line(h.text, 60), style="bold reverse")
        if h.repaired:
            hit.stylize("underline")
        cells = [Text(h.date)]
        if self._wide:
            cells += [Text(one_line(h.channel, 8)), Text(clock(h.time))]
        cells += [Text(left, justify="right", no_wrap=True), hit, Text(right, no_wrap=True)]
        if self._wide:
            cells.append(Text(one_line(h.title, 40)))
        return cells

    def _append_rows(self, hits: list[Hit]) -> None:
        table = self.query_one("#kwic", DataTable)
        for h in hits:
            self.shown.append(h)
            table.add_row(*self._row(h))

    def _refill(self) -> None:
        table = self.query_one("#kwic", DataTable)
        row = table.cursor_row
        table.clear()
        self.shown = []
        self._append_rows(sort_hits(self.hits, self.sort, reverse=self.reverse))
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))

    def _status(self) -> None:
        parts = [self.note, f"sort: {self.sort}{' ↑' if self.reverse else ''}",
                 "fuzzy on" if self.fuzzy else "fuzzy off"]
        q = self.query_obj
        if q is not None and q.expansions:
            exp = "; ".join(f"{w} → {', '.join(a) if a else 'nothing similar'}"
                            for w, a in q.expansions.items())
            parts.append(exp)
        if self.progress:
            parts.append(self.progress)
        line = " · ".join(p for p in parts if p)
        self.query_one("#search-status", Static).update(Text(one_line(line, 400)))

    def index_done(self) -> None:
        """The indexer finished: run the query again (it may have run on a partial index)."""
        text = self.query_one("#q", Input).value
        if text.strip() and self.query_obj is not None:
            self.run_query(text)

    def set_progress(self, note: str) -> None:
        self.progress = note
        self._status()

    def _facets(self) -> None:
        counts = count_hits(self.hits)
        t = Text()
        t.append("Hits per channel\n", style="bold")
        for ch, n in list(counts.channels.items())[:12]:
            t.append(f"{one_line(ch or '(none)', 16):<16} {n:>6,}\n")
        t.append("\nHits per month\n", style="bold")
        for line in histogram(counts.months, width=12):
            t.append(line + "\n")
        self.query_one("#facet-text", Static).update(t)

    def on_key(self, event: events.Key) -> None:
        """Typing while the table has focus goes to the query box (never to the app's
        one-letter keys, which act on the reader behind this screen)."""
        box = self.query_one("#q", Input)
        if self.focused is box or not event.is_printable or event.character is None:
            return
        if event.character in ():
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.insert_text_at_cursor(event.character)

    # -- actions ----------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        table = self.query_one("#kwic", DataTable)
        if not self.shown or self.query_obj is None:
            return
        self.dismiss((self.shown[table.cursor_row], self.query_obj))

    @on(DataTable.RowHighlighted, "#kwic")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        h = self.selected()
        info = ""
        if h is not None:
            where = " · ".join(p for p in (one_line(h.channel, 30), h.date, clock(h.time)) if p)
            info = f"{one_line(h.title, 200)} · {where}" + (
                " · found in the repaired text" if h.repaired else "")
        self.query_one("#hit-info", Static).update(Text(one_line(info, 400)))

    @on(DataTable.RowSelected, "#kwic")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_fuzzy(self) -> None:
        self.fuzzy = not self.fuzzy
        text = self.query_one("#q", Input).value
        if text.strip():
            self.run_query(text)
        else:
            self._status()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._refill()
        self._status()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._refill()
        self._status()

    def action_counts(self) -> None:
        self.toggle_class("-no-facets")
        self._columns()
        self._refill()

    def selected(self) -> Any:
        table = self.query_one("#kwic", DataTable)
        if not self.shown:
            return None
        return self.shown[min(max(table.cursor_row, 0), len(self.shown) - 1)]
