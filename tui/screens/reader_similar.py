"""Similar passages from the reader screen: query in a worker, show, jump, back, compare, copy.

The similar view returns what the user chose through ``dismiss``; jumping
leaves a place in the screen's ``JumpHistory`` so Backspace returns.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from tui.editing import plural
from tui.history import Place
from tui.messages import SimilarFound

if TYPE_CHECKING:
    from tui.screens.reader_screen import ReaderScreen
    from tui.screens.similar import SimilarChoice


def similar(screen: ReaderScreen) -> None:
    app = screen.gloss
    if screen.document is None:
        return
    if app.passage_index is None:
        screen._similar_waiting = True
        app.start_index()
        app.say("Building the passage index (progress under the document list); "
                "the matches open when it is ready.", timeout=6)
        return
    span = source_span(screen)
    if span is None:
        app.say("Put the cursor on a sentence or select a passage.", severity="warning")
        return
    start, end, ann = span
    screen._similar_source = (screen.document.key, start, end, ann)
    query(screen, screen.document.key, start, end)


def source_span(screen: ReaderScreen) -> tuple[int, int, Any] | None:
    """The selection, else the annotation at the cursor, else the sentence there."""
    sel = screen.reader.selection_raw()
    if sel and sel[1] > sel[0]:
        return sel[0], sel[1], screen.annotation_at_cursor()
    ann = screen.annotation_at_cursor()
    if ann is not None:
        return ann.raw_start, ann.raw_end, ann
    span = screen.reader.sentence_raw_span()
    return (span[0], span[1], None) if span else None


def query(screen: ReaderScreen, key: str, start: int, end: int) -> None:
    index = screen.gloss.passage_index
    include_same = screen.include_same
    cutoff = screen.gloss.similar_cutoff
    extra = {"cutoff": cutoff} if cutoff is not None else {}

    def run() -> None:
        matches = index.query_span(key, start, end, top=20, include_same=include_same, **extra)
        screen.post_message(SimilarFound(key, start, end, matches))

    screen.run_worker(run, thread=True, exclusive=True, group="similar", name="similar query",
                      exit_on_error=False)


def show(screen: ReaderScreen, event: SimilarFound) -> None:
    from annotations.similar import word_diff
    from tui.screens.similar import SimilarResult, SimilarScreen

    doc = screen.document
    if doc is None or doc.key != event.key:
        return
    rs, re_ = screen.reader.repaired.display_span(event.start, event.end)
    source_text = screen.reader.repaired.text[rs:re_]
    corpus = screen.gloss.corpus
    results = []
    for m in event.matches:
        info = corpus.get(m.doc_key)
        results.append(SimilarResult(m, info.title if info else m.doc_key,
                                     info.channel if info else "", info.date if info else ""))
    scope = "including this document" if screen.include_same else "other documents"
    found = plural(len(results), "match", "matches")
    note = f"{found} in {scope} · Enter open · C compare · y copy · a same doc"
    source = screen._similar_source[3] if screen._similar_source else None
    screen.app.push_screen(
        SimilarScreen(source_text, results, word_diff, note=note, source=source,
                      source_doc=(doc, screen.reader.repaired, (event.start, event.end))),
        partial(chosen, screen),
    )


def chosen(screen: ReaderScreen, choice: SimilarChoice | None) -> None:
    """What the similar view returned: open a match, or ask again including this document."""
    if choice is None:
        return
    if choice.toggle_same:
        screen.include_same = not screen.include_same
        if screen._similar_source is not None:
            key, start, end, _ = screen._similar_source
            query(screen, key, start, end)
        return
    match: Any = choice.match
    if screen.document is not None:
        sel = screen.reader.selection_raw()
        screen.history.leave(Place(screen.document.key, screen.reader.cursor_raw(),
                                   sel[1] if sel else None))
    screen.go_to(match.doc_key, match.raw_start, match.raw_end)
    screen.status(f"Match opened · score {match.score:.1f} · Backspace returns")
    screen.refresh_bindings()
