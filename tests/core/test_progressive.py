"""The quick head repair of a long document is a valid map of the whole raw text."""

from __future__ import annotations

from annotations.repair import RepairContext, repair
from annotations.repair.progressive import HEAD_CHARS, repair_head

LINE = "the Lebano border  And then the minister said that we were seeing there  Well "


def test_short_text_is_repaired_whole() -> None:
    assert repair_head(LINE * 10, RepairContext()) is None


def test_head_repair_covers_only_the_head_and_maps_exactly() -> None:
    raw = LINE * (4 * HEAD_CHARS // len(LINE))
    head = repair_head(raw, RepairContext())
    assert head is not None and head.raw == raw
    assert head.edits and all(e.raw_end < HEAD_CHARS for e in head.edits)
    # Applying the edits to raw gives the text; the tail is raw as is.
    assert head.text.endswith(raw[HEAD_CHARS:])
    full = repair(raw, RepairContext())
    assert len(full.edits) > len(head.edits)
    for e in head.edits:
        assert e in full.edits
