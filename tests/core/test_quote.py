"""Editorial brackets (annotations/quote.py): examples and hypothesis properties."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.formats import load
from annotations.quote import Edited, edited, find, search_view, unbracket
from annotations.repair import RepairContext, Repaired, context_for, repair
from annotations.repair.edits import Edit
from tests.core.test_repair_properties import cases

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sample_docs" / "003_a59515f9ec2905fc.txt"


@pytest.fixture(scope="module")
def seed() -> Repaired:
    doc = load(SEED, SEED.parent)
    return repair(doc.raw, context_for(doc))


def _quote(r: Repaired, needle: str) -> Edited:
    i = r.raw.index(needle)
    return edited(r, i, i + len(needle))


def test_completion_and_restored_end_are_bracketed(seed: Repaired) -> None:
    assert _quote(seed, "arrives in Lebano Now").text == "arrives in Lebano[n.] Now"
    assert _quote(seed, "began on October  And it").text == "began on October […][.] And it"


def test_exact_text_has_no_brackets() -> None:
    r = repair("A plain sentence, nothing to repair.")
    q = edited(r, 2, 17)
    assert q.text == "plain sentence," and not q.changed


def test_all_caps_quote_marked_once_as_recased() -> None:
    raw = "&gt;&gt; THIS IS CNN. WE&#39;RE LIVE IN GAZA."
    r = repair(raw)
    q = edited(r, 0, len(raw))
    assert q.recased
    assert q.text == "[—] This is CNN. We're live in Gaza."
    assert q.with_note().endswith("[capitals inferred from all-caps captions]")


def test_inferred_punctuation_search_finds_the_name() -> None:
    raw = "the Iron Dome missile"
    r = Repaired(raw, [Edit("punctuation", 8, 9, ". ", 0.7, "test")])
    assert edited(r, 0, len(raw)).text == "the Iron[.] Dome missile"
    view = search_view(r)
    [(ds, de)] = find(view, "iron   DOME")
    assert r.text[ds:de] == "Iron. Dome"
    assert r.raw_span(ds, de) == (4, 13)
    assert find(view, "Iron. Dome") == []  # the inferred dot is not spoken


def test_completed_word_is_searchable(seed: Repaired) -> None:
    view = search_view(seed)
    hits = find(view, "arrives in Lebanon now")
    assert len(hits) == 1
    ds, de = hits[0]
    rs, re_ = seed.raw_span(ds, de)
    assert seed.raw[rs:re_].startswith("arrives in Lebano")


def _spoken(r: Repaired, q: Edited) -> str:
    return "".join(p.text for p in q.pieces if not (p.inferred or p.gap))


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_edited_quote_properties(case: tuple[str, RepairContext], data: st.DataObject) -> None:
    raw, ctx = case
    r = repair(raw, ctx)
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    q = edited(r, start, end)
    ds, de = r.display_span(start, end)
    # brackets removed: the repaired text of the span
    assert unbracket(q.pieces) == r.text[ds:de]
    assert q.repaired == r.text[ds:de]
    # outside brackets: raw characters in order (of the raw span the display span
    # covers: whole edits), entities decoded; layout whitespace and, for a re-cased
    # quote, letter case aside
    rs, re_ = r.raw_span(ds, de)
    spoken = "".join(_spoken(r, q).split())
    source = "".join(html.unescape(raw[rs:re_]).split())
    if q.recased:
        spoken, source = spoken.lower(), source.lower()
    assert _is_subsequence(spoken, source)
