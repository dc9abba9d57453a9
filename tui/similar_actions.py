"""Similar passages from the app: index in a worker, the view, jump, back, compare, copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from annotations.annotation import Annotation, default_author
from annotations.textsafe import one_line

if TYPE_CHECKING:
    from tui.app import GlossApp

def similar_cutoff() -> float | None:
    """The lowest score shown (settings ``similar_cutoff``, 0-100); None: each kind's own
    'suggested' threshold."""
    try:
        from tui.settings import load_settings

        value = getattr(load_settings(), "similar_cutoff", None)
        return None if value is None else max(0.0, min(100.0, float(value)))
    except (ImportError, TypeError, ValueError):
        return None


# Corpora up to this size get their passage index at start-up; larger ones on the
# first similar-passage request (the index of 10,000 documents holds ~450 MB).
AUTO_INDEX_DOCS = 2_000

SIMILAR_BINDINGS = [
    Binding("f", "similar", "Similar", id="similar",
            tooltip="Find passages like the selection, annotation or sentence at the cursor"),
    Binding("backspace,left_square_bracket", "back", "Back", show=False, id="back",
            tooltip="Return to where you were before jumping to a match"),
]


class SimilarMixin:
    """Mixed into GlossApp."""

    def setup_similar(self: GlossApp) -> None:
        self.passage_index: Any = None
        self.index_progress = ""
        self.history: list[tuple[str, int, int | None]] = []
        self.include_same = False
        self._similar_source: tuple[str, int, int, Annotation | None] | None = None
        self._pending_jump: tuple[int, int] | None = None
        self.index_building = False
        self._similar_waiting = False

    def start_index_if_small(self: GlossApp) -> None:
        if len(self.table.rows) <= AUTO_INDEX_DOCS:
            self.start_index()
        else:
            self.fully_loaded()

    def start_index(self: GlossApp) -> None:
        if not self.index_building and self.passage_index is None:
            self.index_building = True
            self.build_index()

    @work(thread=True, exclusive=True, group="index", name="passage index")
    def build_index(self: GlossApp) -> None:
        try:
            self._build_index()
        except Exception as exc:  # noqa: BLE001 - the app keeps working without the index
            self.call_from_thread(self._index_done)
            self.call_from_thread(
                self.notify_plain, f"Similar passages unavailable: {exc}", severity="error"
            )

    def _build_index(self: GlossApp) -> None:
        from annotations.similar import PassageIndex

        def progress(done: int, total: int) -> None:
            if total:
                pct = 100 * done // total
                self.call_from_thread(self._index_progress, f"indexing passages {pct}%")

        cache = self.store.root / "similar" if self.store is not None else None
        # One process: forking from a thread under a running Textual app is unsafe,
        # and the index is cached, so only the first build pays for it.
        index = PassageIndex.open(self.corpus, cache, progress=progress, workers=1)
        self.passage_index = index
        self.call_from_thread(self._index_done)

    @work(thread=True, exclusive=True, group="index", name="passage index update")
    def update_index(self: GlossApp) -> None:
        """Re-cut only the documents that were added, changed or removed."""
        if self.passage_index is not None:
            try:
                self.passage_index.update(workers=1)
            except Exception as exc:  # noqa: BLE001 - keep the old index, say why
                self.call_from_thread(self.notify_plain,
                                      f"Passage index not updated: {exc}", severity="warning")

    def _index_done(self: GlossApp) -> None:
        self.index_building = False
        self._index_progress("")
        self.fully_loaded()
        if self._similar_waiting and self.passage_index is not None:
            self._similar_waiting = False
            self.action_similar()

    def _index_progress(self: GlossApp, note: str) -> None:
        self.index_progress = note
        from tui.widgets.doc_list import DocumentList

        self.query_one(DocumentList).update_status(note)

    def _source_span(self: GlossApp) -> tuple[int, int, Annotation | None] | None:
        doc = self.document
        if doc is None:
            return None
        sel = self.reader.selection_raw()
        if sel and sel[1] > sel[0]:
            return sel[0], sel[1], self.annotation_selected() or self._annotation_at_cursor()
        ann = self._annotation_at_cursor()
        if ann is not None:
            return ann.raw_start, ann.raw_end, ann
        from tui.widgets.wrap import sentence_bounds

        ds, de = sentence_bounds(self.reader.text, self.reader.cursor)
        rs, re_ = self.reader._view.raw_span(ds, de)
        return (rs, re_, None) if re_ > rs else None

    def action_similar(self: GlossApp) -> None:
        if self.document is None:
            self.notify_plain("Open a document first.", severity="warning")
            return
        if self.passage_index is None:
            self._similar_waiting = True
            self.start_index()
            self.notify_plain("Building the passage index (progress under the document list); "
                              "the matches open when it is ready.", timeout=6)
            return
        span = self._source_span()
        if span is None:
            self.notify_plain("Put the cursor on a sentence or select a passage.",
                              severity="warning")
            return
        start, end, ann = span
        self._similar_source = (self.document.key, start, end, ann)
        self.run_similar(self.document.key, start, end)

    def similar_finder(self: GlossApp) -> Any:
        """Both kinds over the passage index; videos (.txt/.vtt twins) from the corpus rows,
        regrouped when the corpus changed."""
        from annotations.similar import SimilarFinder
        from annotations.similar.videos import VideoGroups

        stamp = (id(self.passage_index), len(self.corpus.infos))
        cached = getattr(self, "_similar_finder", None)
        if cached is None or cached[0] != stamp:
            finder = SimilarFinder(self.passage_index, VideoGroups(list(self.corpus.infos)))
            cached = self._similar_finder = (stamp, finder)
        return cached[1]

    @work(thread=True, exclusive=True, group="similar", name="similar query")
    def run_similar(self: GlossApp, key: str, start: int, end: int) -> None:
        res = self.similar_finder().find_span(key, start, end, kind="all", top=10,
                                              include_same=self.include_same,
                                              cutoff=similar_cutoff())
        self.call_from_thread(self._show_similar, key, start, end, res.all())

    def _show_similar(self: GlossApp, key: str, start: int, end: int, matches: list[Any]) -> None:
        from tui.screens.similar import SimilarResult, SimilarScreen

        doc = self.document
        if doc is None or doc.key != key:
            return
        rs, re_ = self.reader.repaired.display_span(start, end)
        source_text = self.reader.repaired.text[rs:re_]
        results = []
        for m in matches:
            info = self.corpus.get(m.doc_key)
            results.append(SimilarResult(m, info.title if info else m.doc_key,
                                         info.channel if info else "", info.date if info else ""))
        scope = "this video too" if self.include_same else "other videos"
        note = f"{len(results)} matches in {scope} · Enter open · C compare · y copy · a same video"
        self.push_screen(SimilarScreen(source_text, results, None, note=note))

    def toggle_same_document(self: GlossApp) -> None:
        self.include_same = not self.include_same
        if self._similar_source is not None:
            key, start, end, _ = self._similar_source
            self.run_similar(key, start, end)

    # -- jump and back -------------------------------------------------------------------------
    def open_match(self: GlossApp, match: Any) -> None:
        if self.document is not None:
            sel = self.reader.selection_raw()
            self.history.append(
                (self.document.key, self.reader.cursor_raw(), sel[1] if sel else None)
            )
        self._go_to(match.doc_key, match.raw_start, match.raw_end)
        self.status(f"Match opened · score {match.score:.1f} · Backspace returns")

    def _go_to(self: GlossApp, key: str, start: int, end: int | None) -> None:
        info = self.corpus.get(key)
        if info is None:
            self.notify_plain(f"Document {key} is no longer in the corpus.", severity="error")
            return
        if self.document is not None and self.document.key == key:
            self.reader.go_to_raw(start, end)
        else:
            self._pending_jump = (start, end if end is not None else start)
            self.open_document(info)
        self.reader.focus()

    def apply_pending_jump(self: GlossApp) -> None:
        if self._pending_jump is not None:
            start, end = self._pending_jump
            self._pending_jump = None
            self.reader.go_to_raw(start, end if end > start else None)

    def action_back(self: GlossApp) -> None:
        if not self.history:
            self.notify_plain("Nothing to go back to.")
            return
        key, cursor, end = self.history.pop()
        self._go_to(key, cursor, end)

    # -- compare and copy ------------------------------------------------------------------------
    def compare_match(self: GlossApp, match: Any) -> None:
        doc = self.document
        if doc is None or self._similar_source is None:
            return
        self.status("Opening both documents side by side…")
        self.load_compare(doc, self.reader.repaired, self._similar_source[1:3], match)

    @work(thread=True, exclusive=True, group="open", name="compare documents")
    def load_compare(self: GlossApp, doc: Any, here_rep: Any, source: tuple[int, int],
                     match: Any) -> None:
        """Load and repair the matched document off the UI thread, then show both."""
        from tui.app import repair_document

        other = self.corpus.load(match.doc_key)
        other_rep = repair_document(other)
        self.call_from_thread(self._show_compare, doc, here_rep, source, other, other_rep, match)

    def _show_compare(self: GlossApp, doc: Any, here_rep: Any, source: tuple[int, int],
                      other: Any, other_rep: Any, match: Any) -> None:
        from tui.screens.similar import CompareScreen

        def fill_left(reader: Any) -> None:
            reader.show(doc.key, doc.raw, here_rep)
            reader.go_to_raw(*source)

        def fill_right(reader: Any) -> None:
            reader.show(other.key, other.raw, other_rep)
            reader.go_to_raw(match.raw_start, match.raw_end)

        self.push_screen(CompareScreen((doc.title, fill_left), (other.title, fill_right)))

    def copy_annotation_to(self: GlossApp, match: Any) -> None:
        if self.store is None or self._similar_source is None:
            return
        source = self._similar_source[3]
        if source is None:
            self.notify_plain("The source passage has no annotation to copy.", severity="warning")
            return
        from annotations.anchor import annotate_span
        from tui.annotating import store_error

        other = self.corpus.load(match.doc_key)
        new = annotate_span(
            other, match.raw_start, match.raw_end, color=source.color,
            tags=list(source.tags), verdict=source.verdict,
            note=f"Copied from {source.doc_key} “{one_line(source.quote, 80)}”",
            author=self.author or default_author(),
        )
        try:
            self.store.add(new)
        except store_error() as exc:
            self.notify_plain(str(exc), title="Not saved", severity="error")
            return
        self.undo_stack.append((None, new))
        self.refresh_counts()
        self.notify_plain(f"Copied tags and verdict onto “{one_line(new.quote, 60)}”.")
