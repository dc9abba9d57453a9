"""Properties of repair over arbitrary text: the edits and the two-way offset map."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.repair import RepairContext, Repaired, repair

ARTIFACTS = [
    " ", " ", " ", "  ", "   ", "the", "war", "And", "Lebano", "Lebanon", "Nas", "g", "i",
    "into into", "&#39;", "&gt;&gt;", "&gt;&gt;&gt;", "&amp;", "&bogus;", "&#0;", "&#x1F600;",
    "\r\n", "\r", "\n", "\n\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u200b", "\ufeff",
    "\u2028", "\xa0", "é", "日本", "😀", ".", "?", ",", "U.S.", "I", "I'M", "HEZBOLLAH",
    "GAZA", "STORM", "-", "—", "'", '"', "Well", "So", "capabilit", "Hezb",
]

texts = st.lists(
    st.one_of(st.sampled_from(ARTIFACTS), st.text(max_size=4)), max_size=60
).map("".join)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, RepairContext]:
    raw = draw(texts)
    spaces = [i for i, c in enumerate(raw) if c == " "]
    joins: list[tuple[int, int]] = []
    if spaces and draw(st.booleans()):
        picked = sorted(draw(st.sets(st.sampled_from(spaces), max_size=8)))
        joins = [(p, draw(st.sampled_from([5, 12, 32, 33]))) for p in picked]
    ctx = RepairContext(
        title=draw(st.sampled_from(["", "Storm hits Lebanon", "HEZBOLLAH Nasrallah"])),
        joins=joins,
        style=draw(st.sampled_from([None, None, "cut", "upper", "asr", "prose"])),
        width=draw(st.sampled_from([None, None, 6, 10, 32])),
        case=draw(st.sampled_from([None, True, False])),
        pauses=[p for p, _c in joins[:2]],
        corpus=draw(st.sampled_from([None, {"Lebanon": 5, "capability": 3, "Hezbollah": 9}])),
    )
    return raw, ctx


def _check(raw: str, r: Repaired) -> None:
    assert r.raw == raw
    # edits sorted, non-overlapping, inside the text; never two insertions at one point
    prev = None
    for e in r.edits:
        assert 0 <= e.raw_start <= e.raw_end <= len(raw)
        assert e.reason and 0.0 <= e.confidence <= 1.0
        if prev is not None:
            assert prev.raw_end <= e.raw_start
            assert not (prev.raw_start == prev.raw_end == e.raw_start == e.raw_end)
        prev = e
    # applying the edits to raw gives the text
    parts, pos = [], 0
    for e in r.edits:
        parts.append(raw[pos:e.raw_start])
        parts.append(e.replacement)
        pos = e.raw_end
    parts.append(raw[pos:])
    assert "".join(parts) == r.text
    # each edit's display span shows its replacement
    for e, ts, te in r.edit_spans():
        assert r.text[ts:te] == e.replacement
    # no raw character disappears without an edit naming it: segments tile both texts
    r_pos = t_pos = 0
    for s in r.segments:
        assert s.raw_start == r_pos and s.text_start == t_pos
        if s.edit is None:
            assert raw[s.raw_start:s.raw_end] == r.text[s.text_start:s.text_end]
        else:
            assert (s.raw_start, s.raw_end) == (s.edit.raw_start, s.edit.raw_end)
        r_pos, t_pos = s.raw_end, s.text_end
    assert (r_pos, t_pos) == (len(raw), len(r.text))
    # point maps: total and monotonic
    last = 0
    for d in range(len(r.text) + 1):
        x = r.to_raw(d)
        assert 0 <= x <= len(raw) and x >= last
        last = x
    assert r.to_raw(len(r.text)) == len(raw)
    last = 0
    for x in range(len(raw) + 1):
        d = r.to_display(x)
        assert 0 <= d <= len(r.text) and d >= last
        last = d
    assert r.to_display(len(raw)) == len(r.text)


def _covers(r: Repaired, ds: int, de: int) -> None:
    rs, re_ = r.raw_span(ds, de)
    assert 0 <= rs <= re_ <= len(r.raw)
    for d in range(ds, de):
        s = next(s for s in r.segments if s.text_start <= d < s.text_end)
        if s.edit is None:
            assert rs <= s.raw_start + (d - s.text_start) < re_
        else:
            assert rs <= s.edit.raw_start and s.edit.raw_end <= re_
    # and back: the display span of that raw span covers the display span
    xs, xe = r.display_span(rs, re_)
    assert xs <= ds and de <= xe


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_edits_and_offset_map(case: tuple[str, RepairContext]) -> None:
    raw, ctx = case
    _check(raw, repair(raw, ctx))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_display_spans_map_back_to_covering_raw_spans(case: tuple[str, RepairContext],
                                                      data: st.DataObject) -> None:
    raw, ctx = case
    r = repair(raw, ctx)
    n = len(r.text)
    for _ in range(5):
        ds = data.draw(st.integers(0, n))
        de = data.draw(st.integers(ds, n))
        if ds < de:
            _covers(r, ds, de)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_raw_spans_show_what_they_hold(case: tuple[str, RepairContext], data: st.DataObject) -> None:
    raw, ctx = case
    r = repair(raw, ctx)
    for _ in range(5):
        a = data.draw(st.integers(0, len(raw)))
        b = data.draw(st.integers(a, len(raw)))
        ds, de = r.display_span(a, b)
        assert 0 <= ds <= de <= len(r.text)
        # every kept raw char of [a, b) is shown inside [ds, de), every edit inside too
        for s in r.segments:
            if s.edit is None:
                lo, hi = max(a, s.raw_start), min(b, s.raw_end)
                if lo < hi:
                    assert ds <= s.text_start + (lo - s.raw_start)
                    assert s.text_start + (hi - s.raw_start) <= de
            elif a <= s.raw_start and s.raw_end <= b and s.raw_start < s.raw_end:
                assert ds <= s.text_start and s.text_end <= de
        # and the raw span of what is shown lies within the touched raw range
        rs, re_ = r.raw_span(ds, de)
        if ds < de:
            xs, xe = r.display_span(rs, re_)
            assert xs <= ds and de <= xe


def test_property_checker_catches_a_broken_map() -> None:
    """The checks above fail on a wrong map (so the properties can fail)."""
    raw = "ab  cd"
    r = repair(raw, RepairContext(style="prose"))
    assert r.edits  # the double space is normalised
    broken = Repaired(raw, list(r.edits))
    broken.text = broken.text + "x"
    try:
        _check(raw, broken)
    except AssertionError:
        return
    raise AssertionError("the checker accepted a text that the edits do not produce")
