"""Corpus search and the annotation board from the app: keys, palette, index upkeep, n/N.

The search index (``<store>/search.sqlite``) is kept up to date by a child process
(``python -m annotations.search.build``; forking from the threaded app is unsafe),
started when the search screen opens (and after the corpus scan); its progress
lines go to the status line and the search screen, which searches the part already
indexed meanwhile. Opening a hit remembers the query: ``n``/``N`` in the reader then
step through the query's hits in that document (found in its raw and repaired text).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message

from annotations.textsafe import one_line
from tui.commands import palette_command

if TYPE_CHECKING:
    from annotations.corpus import Corpus
    from annotations.search.kwic import Hit
    from annotations.search.query import Query
    from tui.screens.reader_screen import ReaderScreen

class SearchIndexNote(Message):
    """Progress of the search index child process ('' when done)."""

    def __init__(self, note: str, finished: bool = False) -> None:
        super().__init__()
        self.note = note
        self.finished = finished


SEARCH_BINDINGS = [
    Binding("ctrl+f,f3", "search", "Search", show=False, id="search",
            tooltip="Search every document (concordance)"),
    Binding("ctrl+g,f4", "board", "Board", show=False, id="board",
            tooltip="Every annotation of the corpus in one table"),
]


class SearchMixin(App[int]):
    """Mixed into GlossApp (declared an App so the type checker knows what it uses)."""

    if TYPE_CHECKING:
        store: Any

        @property
        def main(self) -> ReaderScreen: ...

        @property
        def corpus(self) -> Corpus: ...

        def show_error(self, message: str, title: str = "Error", *,
                       timeout: float = 10) -> None: ...

    def corpus_commands(self) -> Iterator[SystemCommand]:
        if self.store is not None:
            yield palette_command("Search the corpus", "Words, phrases, NEAR, channel:, date: — "
                                   "a concordance of every hit (Ctrl+F, F3)", self.action_search)
            yield palette_command("Annotation board", "Every annotation of the corpus: filter, "
                                   "sort, mark, set verdicts and tags in bulk (Ctrl+G, F4)",
                                   self.action_board)

    def setup_search(self) -> None:
        self._searcher: Any = None
        self._search_text = ""
        self._search_ctx: tuple[str, Query] | None = None
        self._search_spans: list[tuple[int, int]] | None = None
        self._index_proc: subprocess.Popen[str] | None = None
        self.search_progress = ""

    # -- the index ---------------------------------------------------------------------------
    def searcher(self) -> Any:
        """The Searcher over the store's index (opened on first use); None without a store."""
        if self._searcher is None:
            store = getattr(self, "store", None)
            if store is None:
                return None
            from annotations.search.build import open_index
            from annotations.search.service import Searcher, corpus_loader
            from annotations.search.sqlite_index import IndexError_

            try:
                index = open_index(store.root, read_only=store.read_only)
            except IndexError_ as exc:
                self.show_error(str(exc), title="Search index")
                return None
            self._searcher = Searcher(self.corpus.root, index,
                                      annotated=lambda: frozenset(store.counts()),
                                      loader=corpus_loader(self.corpus))
        return self._searcher

    def update_search_index(self) -> None:
        """Run the index builder as a child process (unless one runs); report progress.

        A plain daemon thread, not a Textual worker: the child may run for minutes on a
        big corpus and nothing should wait for it (searches use what is indexed so far).
        """
        store = getattr(self, "store", None)
        if store is None or store.read_only or self._index_proc is not None:
            return
        cmd = [sys.executable, "-m", "annotations.search.build", str(self.corpus.root),
               str(store.root)]
        try:
            # a session of its own: stopping it stops the workers it forks (see
            # tui.child_processes), never leaving them behind
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    stdin=subprocess.DEVNULL, text=True, start_new_session=True,
                                    preexec_fn=_lower_priority)  # noqa: PLW1509
        except OSError as exc:
            self.show_error(f"cannot start the search indexer: {exc}", title="Search index")
            return
        self._index_proc = proc
        threading.Thread(target=self._follow_index, args=(proc,), daemon=True,
                         name="search index progress").start()

    def _follow_index(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            done, total = msg.get("done", 0), msg.get("total", 0)
            if total and done < total:
                what = "indexing" if msg.get("phase") == "raw" else "indexing repaired text"
                self._post_note(f"{what} {done:,}/{total:,} (searching what is in)")
            elif total:
                self._post_note("")
        proc.wait()
        self._index_proc = None
        self.post_message(SearchIndexNote("", finished=True))

    def _post_note(self, note: str) -> None:
        self.post_message(SearchIndexNote(note))  # thread-safe; dropped once the app closed

    def on_search_index_note(self, event: SearchIndexNote) -> None:
        """The indexer's progress, for the search screen if it is on top. The child runs
        apart from the app: its last note may arrive while the app shuts down, its
        screens already gone (``self.screen`` would raise): then there is no one to tell."""
        self.search_progress = event.note
        from tui.screens.search import SearchScreen

        top = self.screen_stack[-1] if self.is_running and self.screen_stack else None
        if isinstance(top, SearchScreen):
            top.set_progress(event.note)
            if event.finished:
                top.index_done()

    def on_unmount(self) -> None:
        self.stop_search_index()

    def stop_search_index(self) -> None:
        from tui.child_processes import terminate_group

        proc = self._index_proc
        if proc is not None:
            terminate_group(proc)

    # -- search screen -----------------------------------------------------------------------
    def action_search(self) -> None:
        from tui.screens.search import SearchScreen

        searcher = self.searcher()
        if searcher is None:
            self.show_error("Search needs the annotation store folder (none is open).")
            return
        if self._index_proc is None:
            self.update_search_index()  # picks up files changed since (cheap when none)

        def done(result: tuple[Hit, Query] | None) -> None:
            if result is not None:
                self.open_hit(*result)

        if isinstance(self.screen, SearchScreen):
            return
        self.push_screen(SearchScreen(searcher, query=self._search_text,
                                      progress=self.search_progress), done)

    def open_hit(self, hit: Hit, q: Query) -> None:
        """Open the hit's document with the hit selected; n/N then go through the query."""
        self._search_text = q.text
        self._search_ctx = (hit.key, q)
        self._search_spans = None
        self.main.go_to(hit.key, hit.start, hit.end)

    def search_hits_here(self) -> list[tuple[int, int]]:
        """Raw spans of the opened query's hits in the document on screen ([] if none)."""
        ctx = self._search_ctx
        doc = self.main.document
        if ctx is None or doc is None or doc.key != ctx[0]:
            return []
        if self._search_spans is None:
            from annotations.search.locate import locate

            reader = self.main.reader
            rep = reader.repaired if reader.repaired.raw == doc.raw else None
            self._search_spans = locate(ctx[1], doc.raw, rep)
        return self._search_spans

    def search_step(self, backwards: bool = False) -> bool:
        """Move to the next (previous) hit of the opened query; False when none applies."""
        spans = self.search_hits_here()
        if not spans or self._search_ctx is None:
            return False
        ctx = self._search_ctx
        reader = self.main.reader
        here = reader.cursor_raw()
        sel = reader.selection_raw()
        start = sel[0] if sel else here
        if backwards:
            before = [i for i, (s, _e) in enumerate(spans) if s < start]
            i = before[-1] if before else len(spans) - 1
        else:
            after = [i for i, (s, _e) in enumerate(spans) if s > start]
            i = after[0] if after else 0
        s, e = spans[i]
        reader.go_to_raw(s, e)
        note = f"hit {i + 1}/{len(spans)} of “{one_line(ctx[1].text, 40)}” (n/N)"
        self.call_after_refresh(self.main.status, note)  # after the cursor's own status
        return True

    # -- board -------------------------------------------------------------------------------
    def action_board(self) -> None:
        from tui.screens.board import BoardScreen

        store = getattr(self, "store", None)
        if store is None:
            self.show_error("The board needs the annotation store (none is open).")
            return
        if isinstance(self.screen, BoardScreen):
            return

        def done(result: Any) -> None:
            if result is not None:
                doc_key, start, end = result
                self.main.go_to(doc_key, start, end)

        self.push_screen(BoardScreen(store, self.corpus), done)


def _lower_priority() -> None:  # pragma: no cover - runs in the child
    try:
        os.nice(10)
    except OSError:
        pass
