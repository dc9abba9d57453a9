"""Annotation filter semantics (annotations/filters.py) and tag normal form (tags.py).

``CASES`` is shared with ``tests/cli/test_annotations_cli.py``: the CLI must select
exactly what the core does (one implementation for sidebar, CLI and export).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotations.annotation import Annotation
from annotations.filters import AnnotationFilter, since_key
from annotations.tags import merge_tags, normalise_tag, tag_key


@dataclass
class Info:
    channel: str
    date: str


INFOS = {"a.txt": Info("CNN", "2023-11-03"), "b.txt": Info("DW", "2024-01-31")}


def make(id_: str, doc: str = "a.txt", *, quote: str = "the levee held", note: str = "",
         tags: tuple[str, ...] = (), verdict: str = "unverified", author: str = "ann",
         updated: str = "2024-02-01T10:00:00.000000Z") -> Annotation:
    return Annotation(doc, 0, len(quote), quote, id=id_, note=note, tags=list(tags),
                      verdict=verdict, author=author, created=updated, updated=updated)


ANNS = [
    make("1", tags=("claim", "UN"), verdict="false", note="Check 10:30 figure"),
    make("2", tags=("Gaza",), verdict="needs context", author="Bob",
         quote="crews are still pumping"),
    make("3", "b.txt", quote="officials said", tags=("claim",), verdict="misleading", author="bob",
         updated="2023-06-01T00:00:00.000000Z"),
    make("4", "b.txt", quote="water rose", verdict="unverified", author="carol", note="levee again"),
]

# (sidebar query, ids kept). Options of `gloss annotations` build the same terms.
CASES: list[tuple[str, str]] = [
    ("", "1234"),
    ("levee", "14"),
    ("LEVEE held", "1"),
    ('"crews are"', "2"),
    ("tag:claim", "13"),
    ("tag:#CLAIM", "13"),
    ("tag:un", "1"),
    ("tag:u", ""),  # whole tags, not substrings
    ("tag:ga*", "2"),
    ("tag:claim tag:gaza", "123"),  # one field twice: either
    ("tag:claim verdict:false", "1"),  # different fields: both
    ("verdict:needs-context", "2"),
    ("verdict:Needs_Context", "2"),
    ("verdict:false verdict:misleading", "13"),
    ("author:BOB", "23"),
    ("author:bo", ""),
    ("author:c*", "4"),
    ("-author:bob", "14"),
    ("-tag:claim levee", "4"),
    ("channel:cnn", "12"),
    ("date:2024", "34"),
    ("date:2023-11-03", "12"),
    ("doc:b.txt", "34"),
    ("doc:B.TXT", ""),  # keys are exact identifiers
    ("since:2024-01-01", "124"),
    ("10:30", "1"),  # unknown field: a free word
    ("tag:", "1234"),  # a field still being typed keeps everything
    ("levee tag: -", "14"),
]


def kept(query: str) -> str:
    flt = AnnotationFilter.parse(query)
    assert not flt.errors
    return "".join(a.id for a in flt.select(ANNS, INFOS.get))


@pytest.mark.parametrize(("query", "ids"), CASES)
def test_query_semantics(query: str, ids: str) -> None:
    assert kept(query) == ids


def test_build_equals_parse() -> None:
    built = AnnotationFilter.build(words=["levee"], tags=["#Claim"], verdicts=["false"],
                                   authors=["Ann"], since="2024-01-01")
    parsed = AnnotationFilter.parse("levee tag:claim verdict:false author:ann since:2024-01-01")
    assert built == parsed and str(parsed) == \
        "levee tag:claim verdict:false author:ann since:2024-01-01"


def test_empty_filter_is_false_and_keeps_all() -> None:
    assert not AnnotationFilter.parse("   ")
    assert AnnotationFilter.parse("x")


def test_bad_since_is_reported_not_raised() -> None:
    flt = AnnotationFilter.parse("since:yesterday levee")
    assert flt.errors and "not a date" in flt.errors[0] and str(flt) == "levee"
    with pytest.raises(ValueError, match="not a date"):
        AnnotationFilter.build(since="last week")


def test_channel_without_info_does_not_match() -> None:
    assert not AnnotationFilter.parse("channel:cnn").matches(ANNS[0])
    assert AnnotationFilter.parse("channel:cnn").needs_info()


def test_doc_keys_only_when_exact() -> None:
    assert AnnotationFilter.parse("doc:a.txt doc:b.txt").doc_keys() == ["a.txt", "b.txt"]
    assert AnnotationFilter.parse("doc:a* levee").doc_keys() is None
    assert AnnotationFilter.parse("levee").doc_keys() is None


def test_since_key() -> None:
    assert since_key("2024-01-31") == "2024-01-31"
    assert since_key("2024-01-31T12:00:00+01:00") == "2024-01-31T11:00:00.000000Z"


@pytest.mark.parametrize(("typed", "clean"), [
    ("#gaza", "gaza"), ("##gaza", "gaza"), ("  UN ", "UN"), ("a\x1b[31m b", "a-[31m-b"),
    ("#", ""), ("two   words", "two-words"), (" # human rights ", "human-rights"),
])
def test_normalise_tag(typed: str, clean: str) -> None:
    assert normalise_tag(typed) == clean


def test_tag_key_ignores_case_and_hash() -> None:
    assert tag_key("#UN") == tag_key("un") == tag_key("Un") == "un"


def test_merge_tags_keeps_first_spelling() -> None:
    assert merge_tags(["#un", "UN", "Gaza", "", "#"]) == ["un", "Gaza"]
    assert merge_tags(["un", "gaza"], known=["UN", "un"]) == ["UN", "gaza"]
