"""Similar-passage view: matches grouped by kind (same words, same claim), best first,
the matching span highlighted on both sides; jump and compare.

The screen shows what ``annotations.similar`` found. It compares and copies
by itself (through the app's corpus and annotator) and returns the user's
choice (open a match, or include the same document) with ``dismiss``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from annotations.textsafe import one_line, visible
from tui.messages import CompareReady


@dataclass(slots=True)
class SimilarChoice:
    """What the view returns: a match to open, or a request to include the same document."""

    match: Any = None
    toggle_same: bool = False


@dataclass(slots=True)
class SimilarResult:
    """What the screen needs about one match."""

    match: Any  # annotations.similar Match
    title: str
    channel: str
    date: str
    edited: str = ""  # the match's edited quote ([inferred], […] lost); "" when unknown


def diff_text(ops: list[tuple[str, str]], side: str) -> Text:
    """Render word diff ops for one side: 'a' (source) or 'b' (match)."""
    t = Text()
    for op, raw_words in ops:
        if op == "replace":
            a, _, b = raw_words.partition("\x00")
            t.append(visible(a if side == "a" else b),
                     style="bold red underline" if side == "a" else "bold green underline")
            t.append(" ")
            continue
        words = visible(raw_words)
        if op == "equal":
            t.append(words + " ")
        elif op == "delete" and side == "a":
            t.append(words, style="bold red underline")
            t.append(" ")
        elif op == "insert" and side == "b":
            t.append(words, style="bold green underline")
            t.append(" ")
    return t


KIND_TITLES = {"words": "Same words", "claim": "Same claim"}
SPAN_STYLE = "bold reverse"  # readable in 16 colours and without colour


def highlighted(text: str, start: int, end: int, limit: int = 2000) -> Text:
    """``text`` shown literally with ``[start, end)`` highlighted."""
    t = Text()
    t.append(visible(text[max(0, start - limit) : start]))
    t.append(visible(text[start:end]), style=SPAN_STYLE)
    t.append(visible(text[end : end + limit]))
    return t


class SimilarScreen(Screen[SimilarChoice | None]):
    """Matches for one passage."""

    PALETTE_GROUP = "Similar view"
    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("enter", "open", "Open match", tooltip="Open the match in the reader, marked"),
        Binding("C", "compare", "Compare", tooltip="Both documents side by side, aligned"),
        Binding("y", "copy_annotation", "Copy tags+verdict",
                tooltip="Copy the source annotation's tags and verdict onto the match"),
        Binding("a", "toggle_same", "Same video", tooltip="Include matches in the same video"),
    ]
    DEFAULT_CSS = """
    SimilarScreen { layout: vertical; }
    #sim-source { height: auto; max-height: 5; padding: 0 1; background: $panel; }
    #sim-list { height: 1fr; min-height: 5; border: none; }
    #sim-preview { height: 1fr; }
    #sim-preview VerticalScroll { width: 1fr; padding: 0 1; border-top: hkey $foreground 20%; }
    #sim-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, source_text: str, results: list[SimilarResult],
                 diff: Any, *, note: str = "", source: Any = None,
                 source_doc: tuple[Any, Any, tuple[int, int]] | None = None) -> None:
        super().__init__()
        self.source = source  # the source passage's annotation, if any (for y)
        self.source_doc = source_doc  # (document, its repair, raw span) for compare
        self.source_text = source_text
        self.results = results
        self.diff = diff
        self.note = note

    def compose(self) -> ComposeResult:
        yield Static(Text("Similar to: “" + one_line(self.source_text, 300) + "”"), id="sim-source")
        yield OptionList(*self._options(), id="sim-list")
        with Horizontal(id="sim-preview"):
            with VerticalScroll():
                yield Static(Text("source"), id="sim-a")
            with VerticalScroll():
                yield Static(Text("match"), id="sim-b")
        yield Static(Text(self.note), id="sim-status")
        yield Footer(compact=True)

    def _options(self) -> list[Option]:
        if not self.results:
            return [Option(Text("No similar passages found above the score cutoff."), disabled=True)]
        out: list[Option] = []
        self._rows: list[int | None] = []  # option index -> result index (None: a header)
        for kind, title in KIND_TITLES.items():
            group = [i for i, r in enumerate(self.results)
                     if getattr(r.match, "kind", "words") == kind]
            out.append(Option(Text(f"{title} ({len(group)})", style="bold underline"),
                              disabled=True))
            self._rows.append(None)
            for i in group:
                r = self.results[i]
                m = r.match
                t = Text()
                t.append(f"{m.score:5.1f} ", style="bold")
                level = getattr(m, "level", "")
                t.append(f"{level[:4]:4} " if level else "", style="dim")
                t.append(one_line(r.title, 50))
                t.append(f"  {one_line(r.channel, 12)} {r.date}\n", style="dim")
                t.append("      " + one_line(r.edited or m.text, 110), style="italic")
                out.append(Option(t))
                self._rows.append(i)
        return out

    def _result_index(self, option: int | None) -> int | None:
        rows = getattr(self, "_rows", None)
        if option is None or rows is None or not 0 <= option < len(rows):
            return None
        return rows[option]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.results:
            first = next(i for i, r in enumerate(self._rows) if r is not None)
            options.highlighted = first
            self._preview(first)

    @property
    def current(self) -> SimilarResult | None:
        i = self._result_index(self.query_one(OptionList).highlighted)
        return None if i is None else self.results[i]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def _preview(self, option: int) -> None:
        index = self._result_index(option)
        if index is None:
            return
        r = self.results[index]
        m = r.match
        head_b = Text(f"{one_line(r.title, 60)} · {one_line(r.channel, 12)} {r.date}\n",
                      style="bold")
        src = self.source_text
        a0 = getattr(m, "source_at", 0)
        source_part = getattr(m, "source_text", "") or src
        left = highlighted(src, a0, a0 + len(source_part))
        context = getattr(m, "context", "") or m.text
        b0 = getattr(m, "context_at", 0)
        right = highlighted(context, b0, b0 + len(m.text))
        kind = KIND_TITLES.get(getattr(m, "kind", ""), "")
        self.query_one("#sim-a", Static).update(
            Text(f"source · {kind.lower()}\n", style="bold") + left)
        self.query_one("#sim-b", Static).update(head_b + right)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open(self) -> None:
        if self.current is not None:
            self.dismiss(SimilarChoice(match=self.current.match))

    def action_compare(self) -> None:
        if self.current is None or self.source_doc is None:
            return
        self.query_one("#sim-status", Static).update(Text("Opening both documents side by side…"))
        self.run_worker(partial(self._load_compare, self.current.match), thread=True,
                        exclusive=True, group="compare", name="compare documents",
                        exit_on_error=False)

    def _load_compare(self, match: Any) -> None:
        """Load and repair the matched document off the UI thread, then show both."""
        from annotations.repair import repair

        app: Any = self.app
        other = app.corpus.load(match.doc_key)
        self.post_message(CompareReady(other, repair(other.raw, app.repair_context(other)), match))

    @on(CompareReady)
    def _compare_ready(self, event: CompareReady) -> None:
        assert self.source_doc is not None
        doc, here_rep, source = self.source_doc
        other, other_rep, match = event.other, event.other_repaired, event.match
        self.query_one("#sim-status", Static).update(Text(self.note))

        def fill_left(reader: Any) -> None:
            reader.show(doc.key, doc.raw, here_rep)
            reader.go_to_raw(*source)

        def fill_right(reader: Any) -> None:
            reader.show(other.key, other.raw, other_rep)
            reader.go_to_raw(match.raw_start, match.raw_end)

        self.app.push_screen(CompareScreen((doc.title, fill_left), (other.title, fill_right)))

    def action_copy_annotation(self) -> None:
        """Copy the source annotation's colour, tags and verdict onto the match (undoable)."""
        from annotations.anchor import annotate_span
        from annotations.annotation import default_author
        from annotations.store import StoreError

        app: Any = self.app
        if self.current is None or app.annotator is None:
            return
        if self.source is None:
            app.say("The source passage has no annotation to copy.", severity="warning")
            return
        match, source = self.current.match, self.source
        other = app.corpus.load(match.doc_key)
        new = annotate_span(
            other, match.raw_start, match.raw_end, color=source.color,
            tags=list(source.tags), verdict=source.verdict,
            note=f"Copied from {source.doc_key} “{one_line(source.quote, 80)}”",
            author=app.author or default_author(),
        )
        try:
            app.annotator.save(None, new)
        except StoreError as exc:
            app.show_error(str(exc), title="Not saved")
            return
        app.main.refresh_counts()
        app.say(f"Copied tags and verdict onto “{one_line(new.quote, 60)}”.")

    def action_toggle_same(self) -> None:
        self.dismiss(SimilarChoice(toggle_same=True))


class CompareScreen(Screen[None]):
    """Two documents side by side, aligned at the matched passages, scrolling together."""

    PALETTE_GROUP = "Compare"
    BINDINGS = [
        Binding("escape,q", "close", "Back", priority=True),
        Binding("tab", "other", "Other pane", priority=True),
    ]
    DEFAULT_CSS = """
    CompareScreen { layout: vertical; }
    #cmp-panes { height: 1fr; }
    #cmp-panes Vertical { width: 1fr; }
    #cmp-panes .cmp-title { height: 1; background: $panel; padding: 0 1; }
    #cmp-b-box { border-left: vkey $foreground 20%; }
    """

    def __init__(self, left: tuple[str, Any], right: tuple[str, Any]) -> None:
        super().__init__()
        self.left = left  # (title, callable(reader) that fills it)
        self.right = right
        self._syncing = False

    def compose(self) -> ComposeResult:
        from tui.widgets.reader import Reader

        with Horizontal(id="cmp-panes"):
            with Vertical(id="cmp-a-box"):
                yield Static(Text(one_line(self.left[0], 80)), classes="cmp-title")
                yield Reader(id="cmp-a")
            with Vertical(id="cmp-b-box"):
                yield Static(Text(one_line(self.right[0], 80)), classes="cmp-title")
                yield Reader(id="cmp-b")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.anchor_a = self.anchor_b = 0
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        from tui.widgets.reader import Reader

        a = self.query_one("#cmp-a", Reader)
        b = self.query_one("#cmp-b", Reader)
        self._syncing = True
        self.left[1](a)
        self.right[1](b)
        # Align: both matched passages start on the third row of their pane.
        for reader in (a, b):
            start = reader.selection[0] if reader.selection else reader.cursor
            line = reader.line_of(start)
            reader.scroll_to(y=max(0, line - 2), animate=False)
        self.anchor_a = max(0, a.line_of(a.selection[0] if a.selection else a.cursor) - 2)
        self.anchor_b = max(0, b.line_of(b.selection[0] if b.selection else b.cursor) - 2)
        self._syncing = False
        a.focus()

    def on_cursor_moved(self, event: Any) -> None:
        from tui.widgets.reader import Reader

        if self._syncing:
            return
        a = self.query_one("#cmp-a", Reader)
        b = self.query_one("#cmp-b", Reader)
        src, dst = (a, b) if event.reader is a else (b, a)
        src_anchor, dst_anchor = (
            (self.anchor_a, self.anchor_b) if src is a else (self.anchor_b, self.anchor_a)
        )
        delta = src.scroll_offset.y - src_anchor
        self._syncing = True
        try:
            dst.scroll_to(y=max(0, dst_anchor + delta), animate=False)
        finally:
            self._syncing = False

    def action_other(self) -> None:
        from tui.widgets.reader import Reader

        a = self.query_one("#cmp-a", Reader)
        b = self.query_one("#cmp-b", Reader)
        (b if a.has_focus else a).focus()

    def action_close(self) -> None:
        self.dismiss(None)
