"""Selectors and re-anchoring: exact, moved, fuzzy, orphan — never silently wrong."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from annotations.anchor import (
    FUZZY_CUTOFF,
    anchor_all,
    doc_hash,
    reanchor,
    reanchor_all,
    selector,
)
from annotations.annotation import CONTEXT_CHARS, Annotation

TEXT = (
    "The minister said the dam was inspected in March. Residents disagree. "
    "The minister said the dam was safe. Officials will report on Friday, "
    "and the river is expected to crest tonight near the old bridge."
)


def make(raw: str, start: int, end: int) -> Annotation:
    quote, prefix, suffix = selector(raw, start, end)
    return Annotation(
        doc_key="d",
        raw_start=start,
        raw_end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        doc_hash=doc_hash(raw),
        author="t",
    )


def test_selector_and_hash() -> None:
    quote, prefix, suffix = selector(TEXT, 60, 70)
    assert quote == TEXT[60:70]
    assert prefix == TEXT[60 - CONTEXT_CHARS : 60] and len(prefix) == CONTEXT_CHARS
    assert suffix == TEXT[70 : 70 + CONTEXT_CHARS]
    assert selector(TEXT, 0, 3)[1] == ""  # no prefix at the start
    assert doc_hash(TEXT) == doc_hash(TEXT) != doc_hash(TEXT + " ")
    assert doc_hash("\udcff")  # lone surrogates (surrogateescape decoding) hash too
    for bad in ((-1, 3), (5, 4), (0, len(TEXT) + 1)):
        try:
            selector(TEXT, *bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


def test_exact_when_unchanged() -> None:
    ann = make(TEXT, 4, 12)
    assert reanchor(ann, TEXT).status == "exact"


def test_moved_after_insertion_before() -> None:
    start = TEXT.index("Officials")
    ann = make(TEXT, start, start + len("Officials will report"))
    new = "BREAKING. " + TEXT
    a = reanchor(ann, new)
    assert a.status == "moved" and (a.start, a.end) == (ann.raw_start + 10, ann.raw_end + 10)


def test_repeated_quote_disambiguated_by_context() -> None:
    second = TEXT.index("The minister said", 10)
    ann = make(TEXT, second, second + len("The minister said"))
    new = "Intro words here. " + TEXT  # both occurrences move; context picks the second
    a = reanchor(ann, new)
    assert a.status == "moved" and a.start == second + len("Intro words here. ")


def test_fuzzy_when_quote_edited() -> None:
    start = TEXT.index("the river is expected")
    ann = make(TEXT, start, start + len("the river is expected to crest tonight"))
    new = TEXT.replace("expected to crest", "expectd to crest")
    a = reanchor(ann, new)
    assert a.status == "fuzzy" and a.score >= FUZZY_CUTOFF
    assert fuzz.ratio(ann.quote, new[a.start : a.end]) >= FUZZY_CUTOFF
    assert "river" in new[a.start : a.end]


def test_orphan_when_quote_gone_and_kept() -> None:
    start = TEXT.index("Residents disagree.")
    ann = make(TEXT, start, start + len("Residents disagree."))
    new = TEXT.replace("Residents disagree. ", "")
    a = reanchor(ann, new)
    assert a.status == "orphan"
    placed = anchor_all([ann, make(TEXT, 0, 3)], new)
    assert len(placed) == 2  # orphans are listed, not dropped
    assert placed[-1].orphan and placed[-1].id == ann.id
    assert (placed[-1].raw_start, placed[-1].raw_end) == (ann.raw_start, ann.raw_end)
    assert not ann.orphan  # copies: the input is untouched


def test_short_quote_never_fuzzy() -> None:
    ann = make("abc xyz", 0, 3)
    assert reanchor(ann, "abd xyz").status == "orphan"


def test_reanchor_all_text_order_and_copies() -> None:
    a, b = make(TEXT, 50, 60), make(TEXT, 0, 10)
    out = reanchor_all([a, b], "xx" + TEXT)
    assert [x.id for x, _ in out] == [b.id, a.id]
    assert out[0][0].raw_start == 2 and b.raw_start == 0


# -- properties -------------------------------------------------------------------------------
WORDS = ["the", "dam", "river", "said", "minister", "safe", "report", "crest", "bridge", "and"]


@st.composite
def doc_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=60))
    raw = " ".join(words) + draw(st.sampled_from(["", ".", "\n"]))
    start = draw(st.integers(0, len(raw) - 1))
    end = draw(st.integers(start + 1, min(len(raw), start + 60)))
    return raw, start, end


edit = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.floats(0, 1),
    st.integers(1, 12),
    st.text(alphabet="abcdet .\n", max_size=12),
)


def apply(raw: str, op: tuple[str, float, int, str]) -> str:
    kind, where, size, text = op
    pos = int(where * len(raw))
    if kind == "insert":
        return raw[:pos] + text + raw[pos:]
    if kind == "delete":
        return raw[:pos] + raw[pos + size :]
    return raw[:pos] + text + raw[pos + size :]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_and_span(), st.lists(edit, max_size=6))
def test_property_never_points_at_other_text(case: tuple[str, int, int], edits: list) -> None:
    raw, start, end = case
    ann = make(raw, start, end)
    new = raw
    for op in edits:
        new = apply(new, op)
    a = reanchor(ann, new)
    assert a.status in ("exact", "moved", "fuzzy", "orphan")
    if a.status in ("exact", "moved"):
        assert new[a.start : a.end] == ann.quote
    elif a.status == "fuzzy":
        assert 0 <= a.start < a.end <= len(new)
        assert fuzz.ratio(ann.quote, new[a.start : a.end]) >= FUZZY_CUTOFF
        assert a.score >= FUZZY_CUTOFF


@settings(max_examples=200, deadline=None)
@given(doc_and_span(), st.lists(edit, max_size=5), st.data())
def test_property_edits_outside_keep_the_quote(
    case: tuple[str, int, int], edits: list, data: st.DataObject
) -> None:
    """Edits only outside the span: the quote is found again (exact or moved), and when
    it occurs once in the new text, at exactly the shifted place."""
    raw, start, end = case
    ann = make(raw, start, end)
    new, s = raw, start
    for kind, _, size, text in edits:
        before = data.draw(st.booleans())
        e = s + len(ann.quote)
        pos = data.draw(st.integers(0, s)) if before else data.draw(st.integers(e, len(new)))
        cut = min(size, s - pos) if before else size
        if kind == "insert":
            new, delta = new[:pos] + text + new[pos:], len(text)
        elif kind == "delete":
            new, delta = new[:pos] + new[pos + cut :], -len(new[pos : pos + cut])
        else:
            gone = len(new[pos : pos + cut])
            new, delta = new[:pos] + text + new[pos + cut :], len(text) - gone
        if before:
            s += delta
    assert new[s : s + len(ann.quote)] == ann.quote
    a = reanchor(ann, new)
    assert a.status in ("exact", "moved")
    assert new[a.start : a.end] == ann.quote
    if sum(new.startswith(ann.quote, i) for i in range(len(new))) == 1:
        assert a.start == s
