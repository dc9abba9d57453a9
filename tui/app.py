"""GlossApp: what outlives a screen, and nothing else.

The app owns the corpus, the annotation store (with its undo-aware
``Annotator``), the passage index, the settings and the one error handler.
Everything about the document being read lives in ``ReaderScreen``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from annotations.textsafe import one_line
from tui.messages import IndexBuilt, IndexProgress
from tui.note_drafts import NoteDraftsMixin
from tui.search_actions import SEARCH_BINDINGS, SearchMixin
from tui.terminal_guard import TerminalGuardMixin

if TYPE_CHECKING:
    from annotations.corpus import Corpus
    from annotations.model import Document
    from annotations.repair import RepairContext
    from tui.editing import Annotator
    from tui.screens.reader_screen import ReaderScreen


class GlossApp(TerminalGuardMixin, NoteDraftsMixin, SearchMixin, App[int]):
    """Read, repair and annotate transcripts."""

    TITLE = "gloss"
    CSS_PATH = Path(__file__).parent / "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", show=False, id="quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        *SEARCH_BINDINGS,
    ]

    # Set from workers (through messages); the reader screen watches them.
    index_note: reactive[str] = reactive("")
    index_ready: reactive[bool] = reactive(False)
    store_note: reactive[str] = reactive("")

    def __init__(self, path: Path, *, store_dir: Path | None = None, author: str | None = None,
                 open_key: str | None = None, settings: Any = None,
                 follow_links: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.store_dir = store_dir
        self.author = author
        self.open_key = open_key
        self.settings = settings
        self.follow_links = follow_links
        self._corpus: Corpus | None = None
        self.store: Any = None
        self.annotator: Annotator | None = None
        self.passage_index: Any = None
        self.index_building = False
        self.setup_search()
        self._apply_settings()

    def _apply_settings(self) -> None:
        theme = getattr(self.settings, "theme", None)
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        keymap = getattr(self.settings, "keymap", None)
        if keymap:
            self.set_keymap(keymap)  # binding ids (tui/bindings.py) -> keys
        highlight = getattr(self.settings, "highlight", None)
        if highlight:
            from tui.widgets.reader_styles import set_highlight_styles

            set_highlight_styles(highlight)
        if self.settings is not None:
            from tui.settings import motion_for

            self.animation_level = motion_for(self.settings).animation_level

    @property
    def similar_cutoff(self) -> float | None:
        cutoff = getattr(self.settings, "similar_cutoff", None)
        return float(cutoff) if isinstance(cutoff, (int, float)) else None

    def get_default_screen(self) -> ReaderScreen:
        from tui.screens.reader_screen import ReaderScreen

        return ReaderScreen()

    @property
    def corpus(self) -> Corpus:
        """The corpus; imported and opened on first use (after the first frame)."""
        if self._corpus is None:
            from annotations.corpus import Corpus

            self._corpus = Corpus(self.path, follow_links=self.follow_links)
        return self._corpus

    @property
    def main(self) -> ReaderScreen:
        from tui.screens.reader_screen import ReaderScreen

        screen = self.screen_stack[0] if self.screen_stack else self.screen
        assert isinstance(screen, ReaderScreen)
        return screen

    def on_mount(self) -> None:
        self.sub_title = one_line(str(self.path))

    def on_ready(self) -> None:
        """The first frame is on screen: start the background work that can wait."""
        if os.environ.get("GLOSS_EXIT_ON_READY") == "1":
            self.exit(0)  # start-up benchmark: process start to first painted screen
            return
        self.open_store()
        self.main.start_background()
        self.update_search_index()  # a child process; searches see what is indexed so far

    # -- the one error handler ---------------------------------------------------------
    def show_error(self, message: str, title: str = "Error", *, timeout: float = 10) -> None:
        """Every error the user should see comes here: one line, shown literally."""
        self.notify(one_line(message, 600), title=one_line(title, 80), severity="error",
                    timeout=timeout, markup=False)

    def say(self, message: str, title: str = "", *, severity: str = "information",
            timeout: float = 5) -> None:
        """A notification whose text is never parsed as markup nor sent raw."""
        self.notify(one_line(message, 600), title=one_line(title, 80),
                    severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Workers run with ``exit_on_error=False``: their errors end up here."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.show_error(f"{error}" or type(error).__name__,
                            title=f"{event.worker.name or 'Background job'} failed")

    # -- store ---------------------------------------------------------------------------
    def open_store(self) -> None:
        from annotations.store import StoreError, open_store
        from tui.editing import Annotator

        try:
            self.store, note = open_store(self.corpus.root, self.store_dir)
        except StoreError as exc:
            self.store = None
            self.show_error(str(exc), title="Annotations unavailable")
            return
        self.annotator = Annotator(self.store)
        if note:
            self.store_note = note
            self.say(note, title="Annotation store", timeout=8)

    def watch_store_note(self, note: str) -> None:
        """A read-only or private store is said in the header too (the sidebar has the whole note)."""
        base = one_line(str(self.path))
        self.sub_title = f"{base} · ! {one_line(note, 60)}" if note else base

    # -- passage index -------------------------------------------------------------------
    def start_index(self) -> None:
        if not self.index_building and self.passage_index is None:
            self.index_building = True
            self.build_index()

    @work(thread=True, exclusive=True, group="index", name="passage index", exit_on_error=False)
    def build_index(self) -> None:
        from annotations.similar import PassageIndex

        def progress(done: int, total: int) -> None:
            if total:
                self.post_message(IndexProgress(f"indexing passages {100 * done // total}%"))

        cache = self.store.root / "similar" if self.store is not None else None
        try:
            # One process: forking from a thread under a running Textual app is unsafe,
            # and the index is cached, so only the first build pays for it.
            index = PassageIndex.open(self.corpus, cache, progress=progress, workers=1)
        except Exception:
            self.post_message(IndexBuilt(None))
            raise
        self.post_message(IndexBuilt(index))

    @work(thread=True, exclusive=True, group="index", name="passage index update",
          exit_on_error=False)
    def update_index(self) -> None:
        """Re-cut only the documents that were added, changed or removed."""
        if self.passage_index is not None:
            self.passage_index.update(workers=1)

    @work(thread=True, exclusive=True, group="warm", name="load word list", exit_on_error=False)
    def warm_repair(self) -> None:
        """Load the English word list off the UI thread, before the first document."""
        from annotations.repair import warm

        warm()

    @work(thread=True, exclusive=True, group="names", name="learn names", exit_on_error=False)
    def learn_names(self) -> None:
        """Learn the corpus's names (for sentence case of all-caps captions) once per scan,
        off the UI thread; documents opened before this ends are repaired without them."""
        self.corpus.names()

    def repair_context(self, doc: Document) -> RepairContext:
        """The repair context of ``doc`` with the corpus's names when already learned."""
        from annotations.repair import context_for

        return context_for(doc, names=self.corpus.learned_names())

    @on(IndexProgress)
    def _index_progress(self, event: IndexProgress) -> None:
        self.index_note = event.note

    @on(IndexBuilt)
    def _index_built(self, event: IndexBuilt) -> None:
        self.index_building = False
        self.index_note = ""
        self.passage_index = event.index
        self.index_ready = event.index is not None
        self.fully_loaded()

    def fully_loaded(self) -> None:
        """List scanned and passage index ready (``GLOSS_EXIT_WHEN_LOADED=1``: memory bench)."""
        if os.environ.get("GLOSS_EXIT_WHEN_LOADED") == "1":
            self.exit(0)

    # -- settings ------------------------------------------------------------------------
    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is kept for the next start."""
        if not self.is_running:
            return
        try:
            from tui import settings as settings_module
        except ImportError:
            return
        path = getattr(self.settings, "path", None)
        try:
            problem = settings_module.save_theme(
                theme, path=path if isinstance(path, Path) else None)
        except OSError as exc:  # a read-only config folder must not stop the app
            problem = str(exc)
        if problem:
            self.show_error(problem, title="Theme not saved")

    # -- actions everywhere ----------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, reader_help_groups

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(reader_help_groups(self), self.store_summary()))

    def store_summary(self) -> str:
        where = str(self.store.root) if self.store is not None else "no store open"
        return where + (f" ({self.store_note})" if self.store_note else "")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """What ``screen`` (the one the palette was opened on) can do now, by name (its own
        ``check_action`` decides), then the app-wide commands; once each. The reader's
        actions come only on the reader: over the board, a view or a dialog they would act
        on the reader hidden underneath."""
        from tui.commands import palette_command, reader_commands, screen_commands
        from tui.screens.reader_screen import ReaderScreen

        if isinstance(screen, ReaderScreen):
            yield from reader_commands(screen)
        else:
            yield from screen_commands(screen)  # the board's, search's, similar view's keys
        yield palette_command("Help: keys and concepts", "Keys, marks, colours, verdicts, filters",
                               self.action_help)
        yield palette_command("Theme", "Change the colour theme (kept for the next start)",
                               self.action_change_theme)
        yield from self.draft_commands()
        yield from self.corpus_commands()
        yield palette_command("Quit", "Leave gloss", self.action_quit)
