"""Pilot tests: the app as a keyboard user drives it."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import SAMPLES, open_by_title, settle
from tui.app import GlossApp
from tui.screens.help import HelpScreen


async def test_lists_every_sample_document() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = {r.key for r in app.main.table.rows}
        assert "_BjBr7Kf8rA" in keys  # the tagged seed transcript, keyed by video id
        assert any(k.endswith("000_4f58a92286b26983.txt") for k in keys)
        assert any(r.format == "vtt" for r in app.main.table.rows)
        assert any(r.format == "srt" for r in app.main.table.rows)


async def test_open_each_document_with_keyboard() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.table.focus()
        for n in range(len(app.main.table.visible_rows)):
            app.main.table.move(n)
            await pilot.press("enter")
            await settle(pilot)
            info = app.main.table.cursor_info
            assert app.main.info is not None and app.main.info.key == info.key
            if info.ok:
                assert app.main.document is not None
                assert app.main.reader.raw == app.main.document.raw
                assert app.main.reader.text  # something is shown
            app.main.table.focus()


async def test_type_to_filter_then_open() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.table.focus()
        await pilot.press(*"hezbollah")
        await pilot.pause()
        assert app.query_one("#filter").value == "hezbollah"
        shown = [app.main.table.rows[i] for i in app.main.table.visible_rows]
        assert shown and all(
            "hezbollah" in (r.title + r.channel + r.key + r.rel_path).lower() for r in shown
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.document is not None
        assert app.focused is app.main.reader


async def test_scroll_and_search_in_reader() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_by_title(app, "Hezbollah could be getting")
        await settle(pilot)
        reader = app.main.reader
        reader.focus()
        await pilot.press("pagedown")
        assert reader.scroll_offset.y > 0
        await pilot.press("end")
        assert reader.cursor == len(reader.text)
        await pilot.press("home")
        assert reader.cursor == 0 and reader.scroll_offset.y == 0
        await pilot.press("slash", *"israel")
        await pilot.pause()
        assert len(reader.matches) >= 5
        count = len(reader.matches)
        await pilot.press("enter")
        first = reader.cursor
        assert reader.text[first : first + 6].lower() == "israel"
        await pilot.press("n")
        assert reader.cursor > first
        await pilot.press("N")
        assert reader.cursor == first
        assert f"/{count}" in str(app.query_one("#status").render())


async def test_help_opens_and_closes() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")


async def test_tab_moves_between_panes_and_q_quits() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = set()
        for _ in range(6):
            await pilot.press("tab")
            seen.add(app.focused.id if app.focused else None)
        assert {"reader", "doc-table"} <= seen
        await pilot.press("escape")
        app.main.table.focus()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_markup_and_escapes_are_shown_literally(tmp_path: Path) -> None:
    doc = tmp_path / "evil.txt"
    doc.write_text(
        "Evil title [bold red]NOT BOLD[/] [link=http://x]click[/link]\n"
        "body \x1b[31mred\x1b[0m and \x1b]8;;http://evil\x07osc\x1b]8;;\x07 end [b]x[/b]\n",
        encoding="utf-8",
    )
    app = GlossApp(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.table.move(0)
        app.main.table.action_open()
        await settle(pilot)
        app.query_one("#raw-pane")
        app.main.reader.mode = "raw"
        await pilot.pause()
        lines = [app.main.reader.render_line(y).text for y in range(3)]
        screen_text = "\n".join(lines)
        assert "[bold red]NOT BOLD[/]" in screen_text
        assert "[link=http://x]click[/link]" in screen_text
        assert "\x1b" not in screen_text and "␛[31m" in screen_text
        for y in range(3):
            for seg in app.main.reader.render_line(y):
                assert "\x1b" not in seg.text and "\x07" not in seg.text
        # The list row shows the title literally too.
        row = app.main.table.render_line(0).text
        assert "[bold red]" in row


async def test_mouse_click_opens_and_drag_selects() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [app.main.table.rows[i].title for i in app.main.table.visible_rows]
        row = next(n for n, t in enumerate(titles) if "Hezbollah could be" in t)
        await pilot.click("#doc-table", offset=(5, row))
        await settle(pilot)
        assert app.main.document is not None and "Hezbollah" in app.main.document.title
        reader = app.main.reader
        await pilot.mouse_down("#reader", offset=(1, 0))
        await pilot.hover("#reader", offset=(20, 1))
        await pilot.mouse_up("#reader", offset=(20, 1))
        await pilot.pause()
        sel = reader.selection_raw()
        assert sel is not None and sel[0] == 0 and sel[1] > 20
        assert app.focused is reader


async def test_single_file_path_opens() -> None:
    app = GlossApp(SAMPLES / "riverton-transit-strike.srt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [r.format for r in app.main.table.rows] == ["srt"]


async def test_command_palette_opens_a_document_by_title() -> None:
    app = GlossApp(SAMPLES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"riverton")
        from textual.widgets import OptionList

        results = app.screen.query_one(OptionList)
        for _ in range(500):  # the palette searches asynchronously: wait for a hit, no sleep
            if results.option_count:
                break
            await pilot.pause()
        assert results.option_count
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.main.document is not None and app.main.document.title == "Riverton transit strike"
