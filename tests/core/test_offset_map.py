"""The offset map of ``annotations.repair.edits`` on hand-made edits."""

from __future__ import annotations

import pytest

from annotations.repair.edits import Edit, Repaired, identity


def E(kind: str, s: int, e: int, rep: str) -> Edit:  # noqa: N802 - short test helper
    return Edit(kind, s, e, rep, 0.9, "test")


RAW = "the Lebano  Now it&#39;s"
#      012345678901234567890123


@pytest.fixture()
def rep() -> Repaired:
    return Repaired(RAW, [
        E("completion", 10, 10, "n"),      # Lebano|n
        E("gap", 11, 11, "[…]"),           # between the two spaces
        E("entity", 18, 23, "'"),          # &#39; -> '
    ])


def test_text_and_edit_spans(rep: Repaired) -> None:
    assert rep.text == "the Lebanon […] Now it's"
    spans = [(e.kind, rep.text[ts:te]) for e, ts, te in rep.edit_spans()]
    assert spans == [("completion", "n"), ("gap", "[…]"), ("entity", "'")]


def test_point_maps(rep: Repaired) -> None:
    assert rep.to_display(4) == 4  # "L"
    assert rep.to_display(11) == 15  # the raw space after the gap marker
    assert rep.to_raw(10) == 10  # the inserted "n" maps to its insertion point
    assert rep.to_raw(13) == 11  # inside the marker
    assert rep.to_raw(22) == 18  # the apostrophe maps to the entity start
    assert rep.to_display(20) == 22  # inside the entity: its display start
    assert rep.to_raw(len(rep.text)) == len(RAW)
    assert rep.to_display(len(RAW)) == len(rep.text)


def test_span_maps_cover_edits(rep: Repaired) -> None:
    # the display word "Lebanon" maps to the raw cut word (insertion included)
    assert rep.raw_span(4, 11) == (4, 10)
    # and back: the raw cut word shows with its completion
    assert rep.display_span(4, 10) == (4, 11)
    # a span touching the apostrophe covers the whole entity
    ds = rep.text.index("'")
    assert rep.raw_span(ds, ds + 1) == (18, 23)
    assert rep.display_span(19, 20) == (ds, ds + 1)
    # an empty raw span at an insertion shows the inserted text
    assert rep.display_span(11, 11) == (12, 15)
    assert rep.display_span(2, 2) == (2, 2)


def test_edit_at_and_segments(rep: Repaired) -> None:
    assert rep.edit_at(10) is not None and rep.edit_at(10).kind == "completion"
    assert rep.edit_at(0) is None
    segs = list(rep.segments_between(9, 16))
    assert [s.edit.kind if s.edit else None for s in segs] == [
        None, "completion", None, "gap", None]


def test_overlapping_edits_are_rejected() -> None:
    with pytest.raises(ValueError):
        Repaired("abcdef", [E("whitespace", 1, 4, ""), E("entity", 3, 5, "x")])
    with pytest.raises(ValueError):
        Repaired("abc", [E("whitespace", 2, 9, "")])


def test_identity_and_empty() -> None:
    r = identity("abc")
    assert r.text == "abc" and r.to_raw(2) == 2 and r.raw_span(0, 3) == (0, 3)
    empty = identity("")
    assert empty.text == "" and empty.to_raw(0) == 0 and empty.display_span(0, 0) == (0, 0)


def test_deletion_maps() -> None:
    r = Repaired("a  b", [E("whitespace", 2, 3, "")])
    assert r.text == "a b"
    assert r.to_display(2) == 2 and r.to_display(3) == 2
    assert r.raw_span(0, 3) == (0, 4)
    assert r.display_span(2, 3) == (2, 2)
