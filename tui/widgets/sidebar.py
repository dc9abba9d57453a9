"""The sidebar: document metadata and, below it, the document's annotations."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.annotation import Annotation
from annotations.filters import AnnotationFilter
from annotations.model import DocInfo, Document
from annotations.textsafe import one_line, visible
from annotations.timefmt import clock
from tui.messages import AnnotationChosen
from tui.widgets.reader_styles import COLOR_RGB


def metadata_text(info: DocInfo | None, doc: Document | None) -> Text:
    """Metadata as plain Text (never markup)."""
    if info is None:
        return Text("No document open.", style="dim")
    t = Text()
    t.append(one_line(info.title or info.rel_path, 300) + "\n", style="bold")
    rows = [
        ("channel", info.channel),
        ("date", info.date),
        ("format", info.format),
        ("key", info.key),
        ("file", info.rel_path),
    ]
    if doc is not None:
        from annotations.formats import document_words  # loaded with the document

        rows.append(("words", f"{document_words(doc):,}"))
        if doc.cues:
            rows.append(("length", clock(doc.cues[-1].end)))
        for k, v in doc.metadata.items():
            if k not in {"video_id", "video_title", "publish_date"}:
                rows.append((k, v))
    for k, v in rows:
        if v:
            t.append(f"{one_line(str(k), 30):>8} ", style="dim")
            t.append(one_line(str(v), 120) + "\n")
    if info.error:
        t.append("✗ " + one_line(info.error) + "\n", style="red")
    for p in info.problems:
        t.append("! " + one_line(p) + "\n", style="yellow")
    return t


def annotation_prompt(ann: Annotation, width: int = 40, quote: str | None = None,
                      time: str = "") -> Text:
    """One annotation in the list: ``quote`` as the reader shows it (default: the raw
    quote) and the video ``time`` where it starts."""
    t = Text()
    mark = "⊘ " if ann.orphan else "▌"
    t.append(mark, style=Style(bold=True, color=COLOR_RGB.get(ann.color, COLOR_RGB["yellow"])))
    t.append("“" + one_line(ann.quote if quote is None else quote, max(width * 2, 30)) + "”\n")
    meta = ([f"⏱ {one_line(time, 20)}"] if time else []) + [one_line(ann.verdict, 40)]
    if ann.tags:
        meta.append(" ".join("#" + one_line(x, 30) for x in ann.tags))
    t.append("  " + " · ".join(meta) + "\n", style="italic")
    if ann.note:
        t.append("  ✎ " + one_line(ann.note, max(width * 2, 30)) + "\n", style="dim")
    t.append(f"  {one_line(ann.author, 30)} · {one_line(ann.updated[:16].replace('T', ' '), 16)}", style="dim")
    return t


class AnnotationList(OptionList):
    """The open document's annotations in text order; Enter jumps to one."""

    BINDINGS = [Binding("enter", "select", "Jump", show=False)]


class FilterBox(Input):
    """The annotation filter; Esc leaves it for the reader (the filter stays until cleared or
    another document). The reader, not the next widget: at 80 columns the list beside it is
    hidden and the annotation list may be empty, so focus would land where keys do nothing."""

    BINDINGS = [Binding("escape", "leave", "Leave filter", show=False)]

    def action_leave(self) -> None:
        reader = self.screen.query("#reader")
        if reader:
            reader.first().focus()
        else:
            self.screen.focus_next()


class Sidebar(Vertical):
    """Metadata above, annotations below, with a filter box."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.annotations: list[Annotation] = []
        self.shown: list[Annotation] = []
        self.filter_text = ""
        self.info: DocInfo | None = None  # the document shown (for channel:/date: filters)
        self.quote_of: Callable[[Annotation], str] | None = None
        self.time_of: Callable[[Annotation], str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(metadata_text(None, None), id="meta")
        yield Static("", id="store-note")
        yield FilterBox(placeholder="filter: word tag:x verdict:y author:z", id="ann-filter",
                        compact=True)
        yield Static("", id="ann-count")
        yield AnnotationList(id="ann-list")

    def show_document(self, info: DocInfo | None, doc: Document | None) -> None:
        self.info = info
        self.query_one("#meta", Static).update(metadata_text(info, doc))

    def clear_filter(self) -> None:
        """A new document starts unfiltered (a filter silently hiding annotations misleads)."""
        box = self.query_one("#ann-filter", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        self.filter_text = ""
        self._refill()

    def show_note(self, note: str) -> None:
        self.query_one("#store-note", Static).update(Text(visible(note), style="yellow"))

    def set_annotations(self, annotations: list[Annotation],
                        quote_of: Callable[[Annotation], str] | None = None,
                        time_of: Callable[[Annotation], str] | None = None) -> None:
        """Show ``annotations``; ``quote_of``/``time_of`` give each one's quote as the reader
        shows it and its video time."""
        self.annotations = sorted(annotations, key=lambda a: (a.orphan, a.raw_start, a.raw_end))
        self.quote_of, self.time_of = quote_of, time_of
        self._refill()

    def _refill(self) -> None:
        options = self.query_one(AnnotationList)
        highlighted = options.highlighted
        # One filter implementation (annotations/filters.py) for sidebar, CLI and export.
        query = AnnotationFilter.parse(self.filter_text)
        self.shown = [a for a in self.annotations if query.matches(a, self.info)]
        width = max(self.size.width - 4, 20)
        options.clear_options()
        options.add_options(
            [Option(annotation_prompt(
                a, width, self.quote_of(a) if self.quote_of else None,
                self.time_of(a) if self.time_of and not a.orphan else ""), id=a.id)
             for a in self.shown]
        )
        if self.shown and highlighted is not None:
            options.highlighted = min(highlighted, len(self.shown) - 1)
        hidden = len(self.annotations) - len(self.shown)
        count = self.query_one("#ann-count", Static)
        if hidden and self.filter_text.strip():
            count.update(Text(f"{len(self.shown)} of {len(self.annotations)} shown · "
                              f"{hidden} hidden by the filter", style="bold"))
        else:
            n = len(self.annotations)
            count.update(Text(f"{n} annotation{'' if n == 1 else 's'}" if n else "",
                              style="dim"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ann-filter":
            event.stop()
            self.filter_text = event.value
            self._refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.shown):
            self.post_message(AnnotationChosen(self.shown[event.option_index]))

    @property
    def highlighted_annotation(self) -> Annotation | None:
        options = self.query_one(AnnotationList)
        i = options.highlighted
        if i is None or not (0 <= i < len(self.shown)):
            return None
        return self.shown[i]
