"""``exchange.export_file``: the one export writer (app and CLI) is atomic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.annotation import Annotation
from annotations.exchange import export_file


def _anns(n: int, fail_at: int | None = None) -> Iterator[Annotation]:
    for i in range(n):
        if i == fail_at:
            raise OSError(28, "No space left on device")
        yield Annotation("doc.txt", 0, 5, "Flood", id=f"id{i}")


def test_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert export_file(_anns(3), "json", out) == 3
    assert json.loads(out.read_text(encoding="utf-8"))["count"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_failure_leaves_the_old_file_and_no_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    out.write_text("old export\n", encoding="utf-8")
    with pytest.raises(OSError, match="No space"):
        export_file(_anns(10, fail_at=4), "csv", out)
    assert out.read_text(encoding="utf-8") == "old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]  # no .part, no temporary


def test_a_planted_link_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    out = tmp_path / "report.md"
    out.symlink_to(victim)
    assert export_file(_anns(1), "markdown", out) == 1
    assert victim.read_text(encoding="utf-8") == "keep me\n" and not out.is_symlink()
