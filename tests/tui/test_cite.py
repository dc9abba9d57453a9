"""Pilot: one document per video, time at the cursor and in the sidebar, citation dialog,
find across inferred characters (issue 12)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from tests.tui.helpers import SAMPLES, settle
from tui.app import GlossApp
from tui.screens.citing import CitationDialog

TWINS = Path("tests/core/twins")


async def _open(pilot, app, key: str) -> None:  # type: ignore[no-untyped-def]
    info = app.corpus.get(key)
    assert info is not None
    app.main.open_document(info)
    await settle(pilot)


async def test_twins_are_one_row_and_cite_copies_and_shows() -> None:
    app = GlossApp(TWINS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = [r.key for r in app.main.table.rows]
        assert sorted(keys) == ["Qx7Lm2Rt9Vb", "lone-caption.srt"]
        await _open(pilot, app, "Qx7Lm2Rt9Vb")
        reader = app.main.reader
        raw = app.main.document.raw
        i = raw.index("The mayor")
        reader.go_to_raw(i, i + len("The mayor said"))
        reader.focus()
        await settle(pilot)
        status = str(app.main.query_one("#status", Static).render())
        assert "⏱ 0:09" in status  # the video time at the cursor
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CitationDialog)
        text = app.screen.query_one(TextArea).text
        assert text.startswith("“The mayor said” — WNN, Harbor bridge closes after barge")
        assert "12 Mar 2024, 00:00:09, https://www.youtube.com/watch?v=Qx7Lm2Rt9Vb&t=9s" in text
        assert app.clipboard == text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CitationDialog)


async def test_cite_without_a_span_says_how() -> None:
    app = GlossApp(TWINS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open(pilot, app, "Qx7Lm2Rt9Vb")
        app.main.reader.focus()
        await pilot.press("C")
        await settle(pilot)
        assert not isinstance(app.screen, CitationDialog)
        assert "Select text" in str(app.main.query_one("#status", Static).render())


async def test_find_matches_across_inferred_characters() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open(pilot, app, "_BjBr7Kf8rA")
        reader = app.main.reader
        reader.set_search("arrives in Lebanon now")  # shown "Lebano[n.] Now"
        assert len(reader.matches) == 1
        a, b = reader.matches[0], reader.match_ends[0]
        assert reader.text[a:b] == "arrives in Lebanon. Now"


async def test_annotation_on_the_caption_file_shows_on_the_merged_document() -> None:
    from annotations.anchor import annotate_span
    from annotations.corpus import Corpus

    single = Corpus(TWINS / "harbor-bridge-closes.en.vtt")
    list(single.scan())
    vtt = single.load("harbor-bridge-closes.en.vtt")
    i = vtt.raw.index("inspectors will work")
    made = annotate_span(vtt, i, i + len("inspectors will work"), tags=["claim"])
    app = GlossApp(TWINS)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store is not None
        app.store.add(made)  # stored under the caption file's key
        await _open(pilot, app, "Qx7Lm2Rt9Vb")
        [shown] = app.main.annotations
        assert shown.id == made.id and not shown.orphan
        doc = app.main.document
        assert doc.raw[shown.raw_start:shown.raw_end] == "inspectors will work"
        sidebar = app.main.sidebar
        prompt = sidebar.query_one("#ann-list").get_option_at_index(0).prompt
        assert "⏱ 0:09" in str(prompt) and "inspectors will work" in str(prompt)
        app.main.refresh_counts()
        await settle(pilot)
        assert app.main.table.counts.get("Qx7Lm2Rt9Vb") == 1  # counted on the one row
