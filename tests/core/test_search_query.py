"""Search query language: parsing, errors, FTS5 rendering, hit placement on raw text."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.search.locate import locate
from annotations.search.query import Near, Or, QueryError, Term, date_matches, parse, to_fts5
from annotations.search.tokens import fold, index_text, tokens_of


def test_words_phrases_prefix_or_exclude() -> None:
    q = parse('iron "Iron Dome" isra* truce OR ceasefire -rumour')
    assert q.must[0] == Term(("iron",))
    assert q.must[1] == Term(("iron", "dome"))
    assert q.must[2] == Term(("isra",), prefix=True)
    assert q.must[3] == Or((Term(("truce",)), Term(("ceasefire",))))
    assert q.exclude == [Term(("rumour",))]
    assert to_fts5(q) == ('("iron" AND "iron dome" AND "isra" * AND ("truce" OR "ceasefire"))'
                          ' NOT "rumour"')


def test_near_and_fields() -> None:
    q = parse('NEAR(truce "aid convoy", 5) channel:CNN channel:"Al Jazeera" date:2024-04 '
              "date:2024-04-01..2024-04-10 has:annotations -channel:DW")
    assert q.must == [Near((Term(("truce",)), Term(("aid", "convoy"))), 5)]
    assert q.channels == ["CNN", "Al Jazeera"] and q.not_channels == ["DW"]
    assert q.dates == [("2024-04", "2024-04"), ("2024-04-01", "2024-04-10")]
    assert q.has_annotations is True
    assert to_fts5(q) == 'NEAR("truce" "aid convoy", 5)'


def test_case_and_accents_fold() -> None:
    assert parse("ÉLÉPHANT").must == [Term(("elephant",))]
    assert fold("Straße") == ("strasse",)
    assert parse("al-Aqsa").must == [Term(("al", "aqsa"))]  # a word with a hyphen: a phrase


@pytest.mark.parametrize("text, why", [
    ("", "nothing to search"),
    ("-war", "only excludes"),
    ('"open', "closing"),
    ("OR war", "OR needs"),
    ("war OR", "OR needs"),
    ("NEAR(war)", "two words"),
    ("NEAR(war peace, x)", "whole number"),
    ("NEAR(war peace, 5", r"closing \)"),
    ("date:2024-13 war", "month"),
    ("date:.. war", "at least one end"),
    ("has:nothing war", "has:annotations"),
    ("wa*r", "at the end"),
])
def test_bad_queries_say_why(text: str, why: str) -> None:
    with pytest.raises(QueryError, match=why):
        parse(text)


def test_date_bounds() -> None:
    assert date_matches("2024-04-30", ("2024-04", "2024-04"))
    assert not date_matches("2024-05-01", ("2024-04", "2024-04"))
    assert date_matches("2024-04-10", ("2024-04-01", "2024-04-10"))
    assert not date_matches("2024-04-11", ("2024-04-01", "2024-04-10"))
    assert date_matches("2030-01-01", ("2024", ""))
    assert not date_matches("", ("2024", ""))


_FTS = sqlite3.connect(":memory:")
_FTS.execute("CREATE VIRTUAL TABLE t USING fts5(body, content='', tokenize='ascii')")
_FTS.execute("INSERT INTO t(rowid, body) VALUES (1, 'some text')")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "-*:()ORNEAR,5 \u00e9\u00df_\t\n')) |
               st.characters(), max_size=40))
def test_arbitrary_input_parses_or_says_why(text: str) -> None:
    """Any input gives a query FTS5 accepts, or a QueryError with a one-line message."""
    try:
        q = parse(text)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    _FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (to_fts5(q),)).fetchall()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_index_text_tokenizes_like_tokens_of(raw: str) -> None:
    """What FTS5 indexes is token for token what the re-locator sees."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='ascii')")
    con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    con.execute("INSERT INTO t(rowid, body) VALUES (1, ?)", (index_text(raw),))
    got = [term for term, _off in
           sorted(con.execute("SELECT term, offset FROM v").fetchall(), key=lambda r: r[1])]
    assert got == [t for t, _, _ in tokens_of(raw)]


RAW = ("The Iron Dome intercepted rockets.\nHezbollah fired; the IRON   DOME again.\n"
       "Café talks, truce talks, peace talks. Nasrallah spoke.")


@pytest.mark.parametrize("query, quotes", [
    ('"iron dome"', ["Iron Dome", "IRON   DOME"]),
    ("cafe", ["Café"]),
    ("roc*", ["rockets"]),
    ('"the iron dom"*', ["The Iron Dome", "the IRON   DOME"]),
    ("NEAR(intercepted hezbollah, 1)", ["intercepted rockets.\nHezbollah"]),
    ("NEAR(intercepted hezbollah, 0)", []),
    ("truce OR peace -zzz", ["truce", "peace"]),
])
def test_hits_are_exact_raw_spans(query: str, quotes: list[str]) -> None:
    for raw in (RAW, RAW.replace("Café", "Cafe")):
        spans = locate(parse(query), raw)
        got = [raw[s:e] for s, e in spans]
        assert [g.replace("Cafe", "Café") for g in got] == quotes
        for s, e in spans:  # whole tokens: no letter just outside the span
            assert s == 0 or not raw[s - 1].isalnum()
            assert e == len(raw) or not raw[e].isalnum()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["iron", "Dome", "DÔME", "x", "rock", "rockets", ",", "\n"]),
                max_size=30), st.sampled_from(["dome", '"iron dome"', "rock*", "NEAR(iron x, 2)"]))
def test_located_hits_hold_the_query_words(words: list[str], query: str) -> None:
    raw = " ".join(words)
    q = parse(query)
    for s, e in locate(q, raw):
        toks = [t for t, _, _ in tokens_of(raw[s:e])]
        firsts = {t.tokens[0] for c in q.positive_terms()
                  for t in (c.terms if isinstance(c, Near) else (c,))}
        assert any(tok.startswith(f) for tok in toks for f in firsts)
