"""The reader on a 100,000-word transcript: open and page down, headless (120×40).

Targets: first screen ≤ 100 ms after the open, a page down ≤ 16 ms.
Baseline: the same text in a plain ``Static`` inside a ``VerticalScroll`` (what a
naive reader would do), measured the same way in the same run.

How (``App.run_test``, no terminal):

* **open**: ``render_line`` of the widget is wrapped to timestamp each call;
  the figure runs from ``Reader.show(key, raw, repaired)`` (baseline:
  ``Static.update(Content(text))``) to the last visible row rendered by
  Textual's own next frame. Repair is done beforehand (its cost is timed
  separately in the note).
* **open from the list** (the reading screen): ``open_document(info)`` (what Enter in the
  list does: load + repair in a worker, then show) to the last visible row of
  the reader rendered, with the app otherwise idle.
* **page down**: one ``action_page_down()``, then the scroll applied at once
  (``immediate=True``) and every visible row rendered (``render_line(y)``): the
  work of one frame. Baseline: the VerticalScroll scrolled a page and the
  Static's visible rows rendered. The keypress-to-frame time under ``run_test``
  (which adds Textual's refresh scheduling) is in the note.

Reader API assumed (tui/widgets/reader.py): ``Reader.show(doc_key, raw, repaired)``,
``render_line(y) -> Strip``, ``action_page_down()``, ``scrollable_content_region``.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Row, percentile, quick

SIZE = (120, 40)


def _hook(widget: Any) -> list[tuple[float, int]]:
    """Timestamp every ``render_line`` call of ``widget``: (time, scroll y)."""
    calls: list[tuple[float, int]] = []
    original: Callable[[int], Any] = widget.render_line

    def render_line(y: int) -> Any:
        strip = original(y)
        calls.append((time.perf_counter(), int(widget.scroll_offset.y)))
        return strip

    widget.render_line = render_line
    return calls


async def _frame(pilot: Any, calls: list[tuple[float, int]], t0: float, rows: int,
                 moved_from: int | None = None, limit: float = 30.0) -> float:
    """Seconds from ``t0`` to the last of ``rows`` rows rendered by Textual after ``t0``."""
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        await pilot.pause()
        after = [t for t, y in calls if t >= t0 and (moved_from is None or y != moved_from)]
        if len(after) >= rows:
            return after[rows - 1] - t0
    raise TimeoutError("the widget was not rendered")


def _ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


# -- the Reader -------------------------------------------------------------------------------
async def reader_figures(raw: str, repaired: Any, opens: int, pages: int) -> dict[str, float]:
    from textual.app import App, ComposeResult

    from tui.widgets.reader import Reader

    class ReaderApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Reader(id="reader")

    app = ReaderApp()
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(Reader)
        reader.focus()
        await pilot.pause()
        calls = _hook(reader)
        h = reader.scrollable_content_region.height
        times = []
        for _ in range(opens):
            reader.show(None, "")
            await pilot.pause()
            t0 = time.perf_counter()
            reader.show("big", raw, repaired)
            times.append(await _frame(pilot, calls, t0, h))
        out["open"] = _ms(times)
        sync, frame = [], []
        for i in range(pages):
            y = int(reader.scroll_offset.y)
            t0 = time.perf_counter()
            reader.action_page_down()
            reader.scroll_to(y=y + h - 1, animate=False, immediate=True)
            for row in range(h):
                reader.render_line(row)
            sync.append(time.perf_counter() - t0)
            await pilot.pause()
            if i < 10:  # keypress -> Textual's own frame, for the note
                y = int(reader.scroll_offset.y)
                t0 = time.perf_counter()
                await pilot.press("pagedown")
                frame.append(await _frame(pilot, calls, t0, h, moved_from=y))
        out["page"] = _ms(sync)
        out["page_p95"] = percentile(sync, 95) * 1000
        out["page_frame"] = _ms(frame) if frame else float("nan")
        out["lines"] = reader.line_count
    return out


# -- the baseline: a Static in a VerticalScroll --------------------------------------------------
async def static_figures(text: str, opens: int, pages: int) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.content import Content
    from textual.widgets import Static

    class StaticApp(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll(id="scroll"):
                yield Static(id="static")

    app = StaticApp()
    out: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        scroll = app.query_one(VerticalScroll)
        static = app.query_one(Static)
        await pilot.pause()
        calls = _hook(static)
        h = scroll.scrollable_content_region.height
        times = []
        for i in range(opens):
            static.update("")
            await pilot.pause()
            t0 = time.perf_counter()
            static.update(Content(text + " " * i))  # a new object each time: no cache reuse
            times.append(await _frame(pilot, calls, t0, h))
        out["open"] = _ms(times)
        sync = []
        for _ in range(pages):
            y = int(scroll.scroll_offset.y)
            t0 = time.perf_counter()
            scroll.scroll_to(y=y + h - 1, animate=False, immediate=True)
            top = int(scroll.scroll_offset.y)
            for row in range(h):
                static.render_line(top + row)
            sync.append(time.perf_counter() - t0)
            await pilot.pause()
        out["page"] = _ms(sync)
        out["page_p95"] = percentile(sync, 95) * 1000
    return out


# -- GlossApp: from the list, through load and repair ---------------------------------------------
async def app_open_figure(folder: Path, opens: int) -> list[float]:
    import tempfile

    from tui.app import GlossApp

    with tempfile.TemporaryDirectory(prefix="gloss-bench-store-") as store:
        app = GlossApp(folder, store_dir=Path(store))
        async with app.run_test(size=SIZE) as pilot:
            end = time.perf_counter() + 60
            screen = app.screen  # the reading screen owns the list, the reader and opening
            while time.perf_counter() < end and (
                not screen.table.rows or any(w.is_running for w in app.workers)
            ):
                await pilot.pause(0.05)
            info = next(iter(app.corpus.infos))
            reader = screen.reader
            calls = _hook(reader)
            times = []
            for _ in range(opens):
                reader.show(None, "")
                await pilot.pause()
                t0 = time.perf_counter()
                screen.open_document(info)
                h = reader.scrollable_content_region.height
                end = time.perf_counter() + 30
                while reader.doc_key != info.key and time.perf_counter() < end:
                    await asyncio.sleep(0.001)
                times.append(await _frame(pilot, calls, t0, h))
    return times


def _repair(path: Path) -> tuple[str, Any, float, str]:
    """Raw body, Repaired, seconds to load + repair, and a note."""
    from annotations.corpus import Corpus

    corpus = Corpus(path.parents[1])
    info = next(i for i in corpus.scan() if i.path.name == path.name)
    t = time.perf_counter()
    doc = corpus.load(info)
    try:
        from annotations.repair import context_for, repair
    except ImportError as exc:
        return doc.raw, None, time.perf_counter() - t, f"repair unavailable ({exc})"
    repaired = repair(doc.raw, context_for(doc))
    first = time.perf_counter() - t
    t = time.perf_counter()  # again, warm (lexicons loaded)
    repaired = repair(corpus.load(info).raw, context_for(doc))
    note = f"{len(repaired.edits):,} repairs; first call {first * 1000:.0f} ms"
    return doc.raw, repaired, time.perf_counter() - t, note


def run() -> list[Row]:
    from bench.generate import ensure_big_document

    words = 20_000 if quick() else 100_000
    opens, pages = (3, 10) if quick() else (7, 40)
    path = ensure_big_document(words)
    raw, repaired, prep, prep_note = _repair(path)
    text = repaired.text if repaired is not None else raw
    mine = asyncio.run(reader_figures(raw, repaired, opens, pages))
    base = asyncio.run(static_figures(text, opens, pages))
    label = f"{words // 1000}k words"
    static = "same text in a Static (VerticalScroll)"
    rows = [
        Row(f"reader: open {label}, show → first screen", mine["open"], "ms", "<= 100 ms",
            mine["open"] <= 100, static, base["open"],
            f"median of {opens}; {mine['lines']:,} wrapped lines at 120×40; "
            f"load + repair (done beforehand) {prep * 1000:.0f} ms ({prep_note})"),
    ]
    try:
        runs = asyncio.run(app_open_figure(path.parents[1], max(3, opens // 2)))
        full = _ms(runs)
        rows.append(Row(f"reader: open {label} from the list (load + repair + show)", full, "ms",
                        "<= 100 ms", full <= 100, static, base["open"],
                        f"median of {len(runs)}, first {runs[0] * 1000:.0f} ms; "
                        "ReaderScreen.open_document → last visible row rendered, app otherwise idle"))
    except Exception as exc:  # noqa: BLE001 - the app path is optional for this bench
        rows.append(Row(f"reader: open {label} from the list (load + repair + show)",
                        float("nan"), "ms", "<= 100 ms", False, static, base["open"],
                        f"{type(exc).__name__}: {exc}"))
    rows.append(Row(f"reader: page down, {label}", mine["page"], "ms", "<= 16 ms",
                    mine["page"] <= 16, static, base["page"],
                    f"median of {pages} (p95 {mine['page_p95']:.1f} ms; Static p95 "
                    f"{base['page_p95']:.1f} ms); action + scroll + render {SIZE[1]} rows; "
                    f"keypress → frame under run_test {mine['page_frame']:.0f} ms"))
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))
