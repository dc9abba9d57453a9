"""Pilot test: the similar-passage view from the keyboard alone, and its snapshot."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import settle
from tui.app import GlossApp
from tui.screens.similar import CompareScreen, SimilarScreen

QUOTE = (
    "The minister told reporters that the convoy would cross the northern bridge before "
    "dawn and that every truck had been inspected twice by officials from both sides"
)


def _corpus(root: Path) -> Path:
    (root / "en_AAA").mkdir(parents=True)
    (root / "en_BBB").mkdir(parents=True)
    filler = " ".join(f"word{i} filler text about the weather in the valley." for i in range(40))
    (root / "en_AAA" / "a.txt").write_text(
        "<video_id>aaa</video_id>\n<video_title>Convoy report A</video_title>\n"
        f"<publish_date>20240102</publish_date>\n\n<doc>\n{filler} {QUOTE}. {filler}\n</doc>",
        encoding="utf-8",
    )
    changed = QUOTE.replace("northern", "north").replace("twice", "two times")
    (root / "en_BBB" / "b.txt").write_text(
        "<video_id>bbb</video_id>\n<video_title>Convoy report B</video_title>\n"
        f"<publish_date>20240103</publish_date>\n\n<doc>\nOther words first. {changed}. "
        "Then something else entirely about a football match and the league table.\n</doc>",
        encoding="utf-8",
    )
    return root


async def _open_a_at_quote(pilot) -> GlossApp:  # type: ignore[no-untyped-def]
    app = pilot.app
    await settle(pilot)
    app.main.table.move(0)
    app.main.table.action_open()
    await settle(pilot)
    reader = app.main.reader
    reader.focus()
    start = reader.text.index("The minister")
    reader.move_to(start + 5)
    await pilot.pause()
    return app


async def test_similar_view_keyboard_only(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    app = GlossApp(corpus, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_a_at_quote(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, SimilarScreen)
        results = app.screen.results
        assert results and results[0].match.doc_key == "bbb"
        match = results[0].match
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SimilarScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.document is not None and app.main.document.key == "bbb"
        sel = app.main.reader.selection_raw()
        assert sel == (match.raw_start, match.raw_end)
        assert "convoy would cross the north bridge" in app.main.document.raw[sel[0] : sel[1]]
        await pilot.press("backspace")
        await settle(pilot)
        assert app.main.document.key == "aaa"


async def test_copy_annotation_onto_match(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    app = GlossApp(corpus, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_a_at_quote(pilot)
        await pilot.press("s", "t")
        await pilot.pause()
        await pilot.press(*"convoy", "enter")
        await pilot.pause()
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, SimilarScreen)
        await pilot.press("y")
        await pilot.pause()
        copied = app.store.list("bbb")
        assert len(copied) == 1 and copied[0].tags == ["convoy"]
        assert copied[0].quote == app.corpus.load("bbb").raw[copied[0].raw_start : copied[0].raw_end]


async def _similar_view_open(pilot) -> None:  # type: ignore[no-untyped-def]
    """Snapshots: the similar view of the quote in document A."""
    await _open_a_at_quote(pilot)
    await pilot.press("f")
    await settle(pilot)
    pilot.app.sub_title = "corpus"


def test_similar_view_snapshot(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path / "corpus")

    app = GlossApp(corpus, store_dir=tmp_path / "store")
    assert snap_compare(app, terminal_size=(120, 40), run_before=_similar_view_open)


def test_diff_text_marks_replacements_on_both_sides() -> None:
    from annotations.similar import word_diff
    from tui.screens.similar import diff_text

    ops = word_diff("cross the northern bridge", "cross the north bridge")
    a = diff_text(ops, "a")
    b = diff_text(ops, "b")
    assert "northern" in a.plain and "north " in b.plain and "␀" not in a.plain + b.plain
    assert any(span.style and "underline" in str(span.style) for span in a.spans)


async def test_large_corpus_builds_index_on_first_request(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tui.screens.reader_screen as sa

    monkeypatch.setattr(sa, "AUTO_INDEX_DOCS", 0)  # behave as for a big corpus
    corpus = _corpus(tmp_path / "corpus")
    app = GlossApp(corpus, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_a_at_quote(pilot)
        assert app.passage_index is None
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, SimilarScreen)
        assert app.screen.results[0].match.doc_key == "bbb"


def test_similar_view_snapshot_small(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = _corpus(tmp_path / "corpus")

    app = GlossApp(corpus, store_dir=tmp_path / "store")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_similar_view_open)
