"""Annotation board screen: every annotation of the corpus, filtered, sorted, marked, bulk-edited.

The table shows :class:`annotations.board.Board` rows through the core filter syntax
(``verdict:false tag:claim channel:CNN date:2024-04 doc:KEY`` and free words). The
board is read in a worker, newest documents first (the first screen comes at once);
other writers' changes are picked up every 2 s. Any printable key typed on the table
goes to the filter (as in the document list), so typing never fires an action. Space
marks a row; Ctrl+T sets the verdict of the marked rows, Ctrl+N/Ctrl+R add or remove a
tag (the core tag rule), Ctrl+Z undoes the last bulk action, Ctrl+S exports the marked
rows, Ctrl+O/Ctrl+V sort. Enter opens the document at the annotation. Document text is data: every cell goes through ``textsafe.one_line``.

The workers (read, live refresh, counts, orphans, bulk and undo) post their results
to this screen (tui/messages.py): handled here while it is open, dropped once it is
closed. The export worker's notice goes through ``app.notify`` (thread-safe: it
posts a message to the app), so it is said even when the board was closed meanwhile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from annotations.board import (
    COLUMNS,
    Board,
    BoardRow,
    BulkResult,
    add_tag,
    check_orphans,
    remove_tag,
    set_verdict,
    undo,
)
from annotations.textsafe import one_line
from tui.editing import plural
from tui.messages import BoardChanged, BoardCounted, BoardRead, BulkDone, OrphansChecked

SHOWN = 500  # rows put in the table at once (the status gives the full count)
POLL = 2.0


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class BoardScreen(Screen["tuple[str, int, int] | None"]):
    # Typing any printable key filters (``on_key``), so no bulk action hangs on a letter
    # or a symbol of the filter syntax (``-tag:x``): they are Ctrl keys (none of them is
    # one of the filter box's own editing keys except Ctrl+A and Ctrl+V, table only).
    PALETTE_GROUP = "Board"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("space", "mark", "Mark", tooltip="Mark or unmark the row"),
        Binding("ctrl+a", "mark_all", "Mark all", show=False,
                tooltip="Mark every row the filter shows"),
        Binding("ctrl+t", "verdict", "Verdict", tooltip="Set the verdict of the marked rows"),
        Binding("ctrl+n", "add_tag", "+Tag", tooltip="Add a tag to the marked rows"),
        Binding("ctrl+r", "remove_tag", "-Tag", tooltip="Remove a tag from the marked rows"),
        Binding("ctrl+z", "undo", "Undo", show=False, tooltip="Undo the last bulk action"),
        Binding("ctrl+o", "sort", "Sort", show=False, tooltip="Sort by the next column"),
        Binding("ctrl+v", "reverse", "Reverse", show=False),
        Binding("ctrl+s", "export", "Export", show=False, tooltip="Export the marked rows"),
        Binding("slash", "focus_filter", "Filter"),
    ]
    DEFAULT_CSS = """
    BoardScreen { layout: vertical; }
    BoardScreen #board-filter { height: 1; border: none; padding: 0 1; }
    BoardScreen #board-status { height: 1; background: $panel; padding: 0 1; }
    BoardScreen #board-counts { height: 1; padding: 0 1; color: $text-muted; }
    BoardScreen #board-table { height: 1fr; }
    """

    def __init__(self, store: Any, corpus: Any, *, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.corpus = corpus
        self.board = Board()
        self.initial = query
        self.column = "date"
        self.reverse = True
        self.marked: set[tuple[str, str]] = set()
        self.shown: list[BoardRow] = []
        self.total = 0
        self.load_note = "reading the store…"
        self.history: list[BulkResult] = []
        self.checked_docs: set[str] = set()
        self._versions: dict[str, Any] = {}  # the live refresh's, kept in its thread
        self._log_token: Any = None
        self._read_seq = 0  # BoardRead posts so far
        self._count_seq = 0  # count_view runs started

    def compose(self) -> ComposeResult:
        yield Input(self.initial, placeholder="Filter: words tag:x verdict:false author:a "
                    "channel:CNN date:2024-04 doc:KEY -tag:done", id="board-filter",
                    select_on_focus=False)  # a key typed on the table starts the filter
        yield Static("", id="board-status")
        yield Static("", id="board-counts")
        yield DataTable(id="board-table", cursor_type="row")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#board-table", DataTable)
        w = self.app.size.width
        quote = max(16, w - 2 - 10 - 10 - 6 - 14 - 10 - 8 - 14 - 2 * 9)
        for label, key, width in (("", "mark", 1), ("Title", "title", 14), ("Channel", "channel", 8),
                                  ("Date", "date", 10), ("Time", "time", 6), ("Quote", "quote", quote),
                                  ("Tags", "tags", 10), ("Verdict", "verdict", 10),
                                  ("Author", "author", 8), ("Updated", "updated", 10)):
            table.add_column(label, key=key, width=width)
        table.focus()
        self.load_board()
        self.set_interval(POLL, self.poll)

    # -- loading -------------------------------------------------------------------------------
    def _info(self, key: str) -> Any:
        return self.corpus.get(key)

    @work(thread=True, exclusive=True, group="board-load", name="read annotations")
    def load_board(self) -> None:
        """Read the store newest documents first; the screen gets a copy of the rows read
        so far every 300 documents (this thread goes on adding to its own board), then
        the whole board, its default order warmed, which this thread no longer touches."""
        board = Board()

        def post(shown: Board, note: str) -> None:
            self._read_seq += 1
            self.post_message(BoardRead(shown, note, self._read_seq))

        def progress(done: int, total: int) -> None:
            if done < total:
                post(Board(board.rows), f"reading {done:,}/{total:,} documents")

        self._log_token = self._token()
        for _ in board.stream(self.store, self._info, progress, batch=300):
            pass
        board.warm(self.column, self.reverse)
        self._versions = {k: self.store.version(k) for k in {r.ann.doc_key for r in board.rows}}
        post(board, "")

    @on(BoardRead)
    def _loaded(self, event: BoardRead) -> None:
        event.stop()
        if event.seq < self._read_seq:
            return  # a later post (the same board, read further) is on its way
        self.board = event.board
        self.load_note = event.note
        self.refresh_view()

    def _token(self) -> Any:
        try:
            st = (self.store.root / "index.log").stat()
            sn = (self.store.root / "index.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, sn.st_mtime_ns)

    @work(thread=True, exclusive=True, group="board-poll", name="board live refresh")
    def poll(self) -> None:
        """Pick up other writers' changes (cheap when nothing changed: two stats)."""
        if self.load_note:
            return
        token = self._token()
        if token == self._log_token:
            return
        self._log_token = token
        changed = []
        for key in self.store.doc_keys():
            v = self.store.version(key)
            if self._versions.get(key) != v:
                self._versions[key] = v
                changed.append(key)
        gone = set(self._versions) - set(self.store.doc_keys())
        if not changed and not gone:
            return
        for key in gone:
            self._versions.pop(key, None)
        fresh = []
        for key in changed:
            try:
                fresh.append((key, self.store.list(key)))
            except Exception:  # noqa: BLE001 - a bad file is reported by the store check
                continue
        self.post_message(BoardChanged(fresh, gone))

    @on(BoardChanged)
    def _apply_fresh(self, event: BoardChanged) -> None:
        event.stop()
        for key, anns in event.fresh:
            self.board.replace_doc(key, anns, self._info(key))
        for key in event.gone:
            self.board.replace_doc(key, [], None)
        self.checked_docs -= {k for k, _ in event.fresh}
        self.refresh_view()

    # -- view ----------------------------------------------------------------------------------
    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#board-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#board-table", DataTable).focus()

    def refresh_view(self) -> None:
        text = self.query_one("#board-filter", Input).value
        view = self.board.view(text, self.column, self.reverse)
        self.shown = view.first(SHOWN)
        self._redraw(view.filter.errors)
        self._count_seq += 1
        self.count_view(text, self.column, self.reverse, self._count_seq)
        self.check_shown()

    def _cells(self, r: BoardRow) -> list[Text]:
        a = r.ann
        mark = "✓" if r.key in self.marked else " "
        verdict = Text(one_line(a.verdict, 14))
        if r.orphan:
            verdict = Text("orphan", style="bold")
        quote = Text(one_line(a.quote, 300))
        if r.orphan:
            quote.stylize("italic")
        return [Text(mark), Text(one_line(r.title, 60)), Text(one_line(r.channel, 12)),
                Text(r.date), Text(clock(a.time_start)), quote,
                Text(one_line(", ".join(a.tags), 60)), verdict,
                Text(one_line(a.author, 20)), Text(a.updated[:10])]

    def _status(self, errors: tuple[str, ...] = ()) -> None:
        parts = [plural(len(self.board.rows), "annotation"), f"sort: {self.column}"
                 f"{' ↓' if self.reverse else ' ↑'}", f"{len(self.marked):,} marked"]
        if self.load_note:
            parts.append(self.load_note)
        if errors:
            parts.append("; ".join(errors))
        self.query_one("#board-status", Static).update(Text(one_line(" · ".join(parts), 300)))

    @work(thread=True, exclusive=True, group="board-count", name="board counts")
    def count_view(self, text: str, column: str, reverse: bool, seq: int) -> None:
        view = self.board.view(text, column, reverse)
        verdicts, tags = view.counts()
        n = len(view.all())
        v = ", ".join(f"{k or '—'} {c:,}" for k, c in list(verdicts.items())[:6])
        t = ", ".join(f"#{k} {c:,}" for k, c in list(tags.items())[:6])
        line = f"{n:,} shown · {v}" + (f" · tags: {t}" if t else "")
        self.post_message(BoardCounted(line, seq))

    @on(BoardCounted)
    def _counts(self, event: BoardCounted) -> None:
        event.stop()
        if event.seq == self._count_seq:  # not a view since replaced (an older worker's)
            self.query_one("#board-counts", Static).update(Text(one_line(event.line, 400)))

    @work(thread=True, exclusive=True, group="board-orphans", name="board orphans")
    def check_shown(self) -> None:
        """Re-anchor the rows on screen against their documents' current text."""
        rows = [r for r in self.shown[:100] if r.ann.doc_key not in self.checked_docs]
        if not rows:
            return

        def raw_of(key: str) -> str | None:
            info = self.corpus.get(key)
            if info is None:
                return None
            doc = self.corpus.load(info)
            return None if doc.info.error else doc.raw

        orphans, checked = check_orphans(rows, raw_of)
        self.post_message(OrphansChecked(orphans, checked))

    @on(OrphansChecked)
    def _orphans(self, event: OrphansChecked) -> None:
        event.stop()
        self.board.mark_orphans(event.orphans, event.checked)
        self.checked_docs |= event.checked
        if event.orphans & {r.ann.id for r in self.shown}:
            self._redraw()

    def _redraw(self, errors: tuple[str, ...] = ()) -> None:
        table = self.query_one("#board-table", DataTable)
        row = table.cursor_row
        table.clear()
        for r in self.shown:
            table.add_row(*self._cells(r))
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))
        self._status(errors)

    def on_key(self, event: events.Key) -> None:
        """Any printable key typed while the table has focus goes to the filter box: no
        letter or symbol acts (``verdict:false`` typed here filters, it never opens the
        verdict dialog); only Space (mark) and ``/`` (to the filter) are keys here."""
        box = self.query_one("#board-filter", Input)
        if self.focused is box or not event.is_printable or event.character is None:
            return
        if event.character in (" ", "/"):  # mark; "/" focuses the filter (its binding)
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.insert_text_at_cursor(event.character)

    # -- actions -------------------------------------------------------------------------------
    def _current(self) -> BoardRow | None:
        table = self.query_one("#board-table", DataTable)
        if not self.shown:
            return None
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected, "#board-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        r = self._current()
        if r is None:
            return
        if r.orphan:
            self.app.notify(f"Orphan: “{one_line(r.ann.quote, 60)}” is no longer in the text.",
                            markup=False)
        self.dismiss((r.ann.doc_key, r.ann.raw_start, r.ann.raw_end))

    def action_focus_filter(self) -> None:
        self.query_one("#board-filter", Input).focus()

    def action_mark(self) -> None:
        r = self._current()
        if r is None:
            return
        self.marked ^= {r.key}
        table = self.query_one("#board-table", DataTable)
        table.update_cell_at(Coordinate(table.cursor_row, 0),
                             Text("✓" if r.key in self.marked else " "))
        if table.cursor_row + 1 < len(self.shown):
            table.move_cursor(row=table.cursor_row + 1)
        self._status()

    def action_mark_all(self) -> None:
        text = self.query_one("#board-filter", Input).value
        keys = {r.key for r in self.board.view(text, self.column, self.reverse).all()}
        self.marked = set() if keys <= self.marked else self.marked | keys
        self._redraw()

    def _targets(self) -> list[tuple[str, str]]:
        if self.marked:
            return sorted(self.marked)
        r = self._current()
        return [r.key] if r is not None else []

    def action_verdict(self) -> None:
        from tui.screens.dialogs import ChoiceDialog

        targets = self._targets()
        if not targets:
            return
        verdicts = list(self.store.verdicts)

        def done(choice: object) -> None:
            if isinstance(choice, str) and choice in verdicts:
                self.bulk("verdict", choice, targets)

        self.app.push_screen(ChoiceDialog(f"Verdict for {plural(len(targets), 'annotation')}", verdicts,
                                          ""), done)

    def _tag_prompt(self, what: str) -> None:
        from tui.screens.dialogs import PromptDialog

        targets = self._targets()
        if not targets:
            return

        def done(value: object) -> None:
            if isinstance(value, str) and value.strip():
                self.bulk(what, value.strip(), targets)

        title = f"{'Add' if what == 'add' else 'Remove'} a tag ({plural(len(targets), 'annotation')})"
        self.app.push_screen(PromptDialog(title, "", suggestions=sorted(self.store.tag_counts())),
                             done)

    def action_add_tag(self) -> None:
        self._tag_prompt("add")

    def action_remove_tag(self) -> None:
        self._tag_prompt("remove")

    @work(thread=True, exclusive=True, group="board-bulk", name="bulk action")
    def bulk(self, what: str, value: str, targets: list[tuple[str, str]]) -> None:
        if what == "verdict":
            result = set_verdict(self.store, targets, value)
        elif what == "add":
            result = add_tag(self.store, targets, value)
        else:
            result = remove_tag(self.store, targets, value)
        self.post_message(BulkDone(result))  # thread-safe: handled on the UI thread

    @on(BulkDone)
    def _bulk_done(self, event: BulkDone) -> None:
        event.stop()
        result = event.result
        if result.changes and event.record:
            self.history.append(result)
        msg = f"{result.action}: {result.changed:,} changed"
        if result.missing:
            msg += f", {len(result.missing):,} deleted meanwhile"
        if result.failed:
            msg += f"; not written: {result.failed[0]}"
        self.app.notify(one_line(msg, 300), markup=False,
                        severity="error" if result.failed else "information")
        self.poll()

    def action_undo(self) -> None:
        if not self.history:
            self.app.notify("Nothing to undo on the board.", markup=False)
            return
        self._undo(self.history.pop())

    @work(thread=True, exclusive=True, group="board-bulk", name="undo bulk action")
    def _undo(self, done: BulkResult) -> None:
        result = undo(self.store, done)
        self.post_message(BulkDone(result, record=False))

    def action_sort(self) -> None:
        self.column = COLUMNS[(COLUMNS.index(self.column) + 1) % len(COLUMNS)]
        self.refresh_view()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.refresh_view()

    def action_export(self) -> None:
        from tui.screens.dialogs import PromptDialog

        targets = set(self._targets())
        if not targets:
            return

        def done(value: object) -> None:
            if isinstance(value, str) and value.strip():
                anns = [r.ann for r in self.board.rows if r.key in targets]
                self.export(anns, value.strip())

        self.app.push_screen(PromptDialog(f"Export {plural(len(targets), 'annotation')} to "
                                          "(.json, .jsonld for W3C, .csv, .md)",
                                          "board-export.json"), done)

    @work(thread=True, exclusive=True, group="board-export", name="board export")
    def export(self, anns: list[Any], name: str) -> None:
        from annotations.exchange import export

        path = Path(name).expanduser()
        fmt = {".csv": "csv", ".md": "markdown", ".jsonld": "w3c"}.get(path.suffix.lower(), "json")
        try:
            tmp = path.with_name(path.name + ".part")
            with tmp.open("w", encoding="utf-8", newline="") as out:
                n = export(anns, fmt, out, self.corpus)
            tmp.replace(path)
        except (OSError, ValueError) as exc:
            # notify is thread-safe (it posts to the app): said even if the board closed
            self.app.notify(one_line(f"Export failed: {exc}", 300), markup=False,
                            severity="error")
            return
        self.app.notify(one_line(f"Exported {n:,} as {fmt} to {path}", 300), markup=False)
