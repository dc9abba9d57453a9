"""SVG snapshots of the main screens at 80×24 and 120×40 (deterministic fixture).

Update with: .venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tests.tui.helpers import SAMPLES, open_by_title, settle
from tui.app import GlossApp


async def _open_seed(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    open_by_title(pilot.app, "Hezbollah could be getting")
    await settle(pilot)
    pilot.app.main.reader.focus()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen_list(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)

    assert snap_compare(GlossApp(SAMPLES), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_reader_on_seed_transcript(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(GlossApp(SAMPLES), terminal_size=size, run_before=_open_seed)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_screen(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(GlossApp(SAMPLES), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_export_dialog(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_seed(pilot)
        await pilot.press("E")
        await pilot.pause()
        box = pilot.app.screen.query_one("#path")
        box.value = "gloss-export.json"  # the default name holds the time
        await pilot.pause()

    assert snap_compare(GlossApp(SAMPLES), terminal_size=size, run_before=run_before)


def test_reader_after_resize(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_seed(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)

    assert snap_compare(GlossApp(SAMPLES), terminal_size=(120, 40), run_before=run_before)
