"""Tags typed in the app follow the core's rule (annotations/tags.py), issue 11 defect 10."""

from __future__ import annotations

from tui.editing import parse_tags


def test_typed_tags_are_normalised_and_spelled_as_the_store_does() -> None:
    assert parse_tags("#gaza, ##Gaza , human  rights,,#") == ["gaza", "human-rights"]
    assert parse_tags("un, #UN", known=["UN", "gaza"]) == ["UN"]
    assert parse_tags("Gaza", known=["gaza"]) == ["gaza"]
