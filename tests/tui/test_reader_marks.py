"""Every inferred character is marked, without relying on colour (16 colours, NO_COLOR)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from annotations.formats import load
from annotations.repair import context_for, repair
from tests.tui.helpers import ROOT
from tui.widgets.reader import Reader


class _ReaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Reader(id="r")


def _attrs(style) -> bool:  # type: ignore[no-untyped-def]
    return bool(style and (style.underline or style.italic or style.bold))


async def test_inferred_characters_carry_an_attribute_not_only_a_colour() -> None:
    path = ROOT / "sample_docs" / "003_a59515f9ec2905fc.txt"
    doc = load(path, path.parent)
    rep = repair(doc.raw, context_for(doc))
    assert rep.edits
    app = _ReaderApp()
    async with app.run_test(size=(100, 60)) as pilot:
        reader = app.query_one(Reader)
        reader.show(doc.key, doc.raw, rep)
        await pilot.pause()
        checked = 0
        for y in range(50):
            line = reader.scroll_offset.y + y
            if line >= reader.line_count:
                break
            start = reader._starts[line]
            col = 0
            for seg in reader._line_segments(line, reader.rich_style):
                for i, _ch in enumerate(seg.text):
                    d = start + col + i
                    edit = rep.edit_at(d)
                    if edit is not None and edit.kind not in {"whitespace", "paragraph"}:
                        assert _attrs(seg.style), (edit, seg)
                        checked += 1
                    elif edit is None:
                        assert not (seg.style and seg.style.underline), (d, seg)
                col += len(seg.text)
        assert checked > 10


async def test_no_color_keeps_marks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    path = ROOT / "sample_docs" / "003_a59515f9ec2905fc.txt"
    doc = load(path, path.parent)
    rep = repair(doc.raw, context_for(doc))
    app = _ReaderApp()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.no_color
        reader = app.query_one(Reader)
        reader.show(doc.key, doc.raw, rep)
        await pilot.pause()
        strips = [reader.render_line(y) for y in range(10)]
        styles = [seg.style for strip in strips for seg in strip if seg.style]
        assert any(s.underline for s in styles)
