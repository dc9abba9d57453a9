"""The reader screen's panes, layout reactives, shared state and status line.

``ReaderLayout`` is the base of ``ReaderScreen`` and of the screen's parts
(``reader_documents``, ``reader_annotations``, ``reader_navigation``): it
composes list | reader (| raw pane) | sidebar, turns the layout reactives into
CSS classes (``app.tcss``), and holds the state the parts share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from annotations.textsafe import one_line
from tui.history import JumpHistory
from tui.widgets.doc_list import DocTable, DocumentList
from tui.widgets.find_bar import FindBar
from tui.widgets.reader import Reader
from tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from annotations.annotation import Annotation
    from annotations.model import DocInfo, Document
    from tui.app import GlossApp

NARROW = 110  # below this width the list hides while reading


class ReaderLayout(Screen[None]):
    """List | reader | sidebar, and the open document's state."""

    show_list: reactive[bool] = reactive(True)
    show_sidebar: reactive[bool] = reactive(True)
    split: reactive[bool] = reactive(False)
    finding: reactive[bool] = reactive(False)
    narrow: reactive[bool] = reactive(False)
    browsing: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.info: DocInfo | None = None
        self.document: Document | None = None
        self.annotations: list[Annotation] = []
        self.history = JumpHistory()
        self.include_same = False
        self._store_version: object = None
        self._pending_jump: tuple[int, int] | None = None
        self._similar_source: tuple[str, int, int, Annotation | None] | None = None
        self._similar_waiting = False

    @property
    def gloss(self) -> GlossApp:
        from tui.app import GlossApp

        assert isinstance(self.app, GlossApp)
        return self.app

    # -- panes --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        with Horizontal(id="main"):
            yield DocumentList(id="list")
            with Vertical(id="center"):
                with Horizontal(id="readers"):
                    yield Reader(id="reader")
                    yield Reader(id="raw-pane")
                yield FindBar(id="find")
                yield Static("", id="status")
            yield Sidebar(id="sidebar")
        yield Footer(compact=True)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def raw_pane(self) -> Reader:
        return self.query_one("#raw-pane", Reader)

    @property
    def table(self) -> DocTable:
        return self.query_one(DocTable)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one(Sidebar)

    def on_resize(self) -> None:
        self.narrow = self.app.size.width < NARROW

    # -- reactive layout ----------------------------------------------------------------
    def watch_show_list(self, show: bool) -> None:
        self.query_one("#main").set_class(not show, "-no-list")

    def watch_show_sidebar(self, show: bool) -> None:
        self.query_one("#main").set_class(not show, "-no-sidebar")

    def watch_split(self, split: bool) -> None:
        self.query_one("#center").set_class(split, "-split")

    def watch_finding(self, finding: bool) -> None:
        self.query_one("#center").set_class(finding, "-finding")

    def watch_browsing(self, browsing: bool) -> None:
        self.query_one("#main").set_class(browsing, "-browsing")

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        if narrow and self.document is not None and not self.browsing:
            self.show_list = False  # small terminal: the reader gets the room

    def on_descendant_focus(self) -> None:
        focused = self.focused
        self.browsing = focused is not None and self.query_one("#list") in focused.ancestors_with_self
        if self.narrow and self.document is not None and not self.browsing:
            self.show_list = False  # back to reading on a small terminal: the reader gets the room
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    # -- status line ------------------------------------------------------------------------
    def status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text) else Text(one_line(text, 400)))
