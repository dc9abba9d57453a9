"""The list fills progressively while a big folder is scanned, and picks up changes."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import settle
from tui.app import GlossApp
from tui.messages import RowsScanned
from tui.widgets.doc_list import DocumentList


def _folder(root: Path, n: int) -> Path:
    for i in range(n):
        sub = root / f"en_CH{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"doc{i:05d}.txt").write_text(f"Title number {i}\nBody of document {i}.\n")
    return root


async def test_list_fills_in_batches_with_progress(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = _folder(tmp_path / "c", 1234)
    app = GlossApp(root, store_dir=tmp_path / "store")
    seen: list[tuple[int, int]] = []
    original = DocumentList.on_rows_scanned

    def spy(self, event: RowsScanned) -> None:  # type: ignore[no-untyped-def]
        seen.append((len(event.batch), event.done))
        original(self, event)

    monkeypatch.setattr(DocumentList, "on_rows_scanned", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(seen) >= 3  # 500 + 500 + 234
        assert sum(n for n, _ in seen) == 1234
        assert [d for _, d in seen] == sorted(d for _, d in seen)
        assert len(app.main.table.rows) == 1234
        status = str(app.query_one("#list-status").render())
        assert "1,234 documents" in status


async def test_folder_changes_are_picked_up(tmp_path: Path) -> None:
    root = _folder(tmp_path / "c", 3)
    app = GlossApp(root, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(app.main.table.rows) == 3
        (root / "en_CH0" / "new.txt").write_text("A brand new document\nText.\n")
        (root / "en_CH1" / "doc00001.txt").unlink()
        app.main.query_one(DocumentList).watch_corpus()
        await settle(pilot)
        titles = {r.title for r in app.main.table.rows}
        assert "A brand new document" in titles
        assert "Title number 1" not in titles
        assert len(app.main.table.rows) == 3
