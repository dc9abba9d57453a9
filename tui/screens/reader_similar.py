"""Similar passages from the reader screen: query (both kinds) in a worker, show, jump, back.

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


def finder(screen: ReaderScreen) -> Any:
    """Both kinds over the app's passage index; videos (.txt/.vtt twins) from the corpus
    rows, regrouped when the index or the corpus changed."""
    from annotations.similar import SimilarFinder
    from annotations.similar.videos import VideoGroups

    app: Any = screen.gloss
    stamp = (id(app.passage_index), len(app.corpus.infos))
    cached = getattr(app, "_similar_finder", None)
    if cached is None or cached[0] != stamp:
        cached = (stamp, SimilarFinder(app.passage_index, VideoGroups(list(app.corpus.infos))))
        app._similar_finder = cached
    return cached[1]


def edited_quotes(app: Any, matches: list[Any]) -> dict[tuple[str, int, int], str]:
    """Each match's edited quote (issue 12: what leaves the reader is raw text or an edited
    form with every inferred character in [brackets]); in the query's worker thread."""
    from annotations.quote import edited_text
    from annotations.repair import repair

    repaired: dict[str, Any] = {}
    out: dict[tuple[str, int, int], str] = {}
    for m in matches:
        if m.doc_key not in repaired:
            try:
                doc = app.corpus.load(m.doc_key)
                repaired[m.doc_key] = ((doc.raw, repair(doc.raw, app.repair_context(doc)))
                                       if doc.info.ok else None)
            except Exception:  # noqa: BLE001 - an unreadable match keeps its display text
                repaired[m.doc_key] = None
        got = repaired[m.doc_key]
        if got is not None:
            raw, rep = got
            out[(m.doc_key, m.raw_start, m.raw_end)] = edited_text(rep, raw, m.raw_start,
                                                                   m.raw_end)
    return out


def query(screen: ReaderScreen, key: str, start: int, end: int) -> None:
    find = finder(screen)
    include_same = screen.include_same
    low = screen.gloss.similar_cutoff  # settings; None: each kind's 'suggested' level

    def run() -> None:
        res = find.find_span(key, start, end, kind="all", top=10, include_same=include_same,
                             cutoff=low)
        matches = res.all()
        screen.post_message(SimilarFound(key, start, end, matches,
                                         edited_quotes(screen.gloss, matches)))

    screen.run_worker(run, thread=True, exclusive=True, group="similar", name="similar query",
                      exit_on_error=False)


def show(screen: ReaderScreen, event: SimilarFound) -> None:
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
                                     info.channel if info else "", info.date if info else "",
                                     event.edited.get((m.doc_key, m.raw_start, m.raw_end), "")))
    scope = "this video too" if screen.include_same else "other videos"
    found = plural(len(results), "match", "matches")
    note = f"{found} in {scope} · Enter open · C compare · y copy · a same video"
    source = screen._similar_source[3] if screen._similar_source else None
    screen.app.push_screen(
        SimilarScreen(source_text, results, None, note=note, source=source,
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
