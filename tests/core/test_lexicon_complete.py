"""complete(): the completion of a cut word, against a word-by-word reference.

``complete`` takes the English list's part of the score once per prefix and sums in
another order; the reference below scores every candidate word one by one, as the
first version did. Their results must be the same, to the last digit of the confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.repair import lexicon
from annotations.repair.lexicon import (
    CORPUS_WEIGHT,
    ENGLISH_WEIGHT,
    THRESHOLD,
    TITLE_COUNT,
    Completion,
    WordIndex,
    _case_like,
    complete,
    english,
)


def reference(token: str, doc: WordIndex, title: WordIndex | None = None,
              corpus: WordIndex | None = None, proper: bool = False) -> Completion | None:
    """Every word extending ``token`` scored one by one (the straightforward way)."""
    t = token.lower()
    if len(t) < 2 or (len(t) < 3 and not proper) or not t.isalpha():
        return None
    scores: dict[str, list[float]] = {}
    sources: list[tuple[WordIndex | None, float]] = [
        (doc, 1.0), (title, TITLE_COUNT),
        (corpus, CORPUS_WEIGHT / corpus.total if corpus is not None and corpus.total > 0
         else 0.0),
        (english() if not proper and len(t) >= 3 else None, ENGLISH_WEIGHT),
    ]
    for slot, (idx, weight) in enumerate(sources):
        if idx is None or weight == 0.0:
            continue
        for k, n in idx.extensions(t):
            if len(k) - len(t) > 16 or "'" in k[len(t):]:
                continue
            scores.setdefault(k, [0.0, 0.0, 0.0, 0.0])[slot] += n * weight
    known = [i for i in (doc, title, corpus) if i is not None]
    cands = list(scores)
    if proper:
        cands = [k for k in cands if any(k in i.forms and i.forms[k][:1].isupper() for i in known)]
    elif token.islower():
        cands = [k for k in cands if scores[k][3] > 0 or any(
            i is not None and i.lower_counts.get(k, 0) > 0 for i in (doc, corpus))]
    if not cands:
        return None
    total = sum(sum(scores[k]) for k in cands)
    best = max(cands, key=lambda k: (sum(scores[k]), k))
    share = sum(scores[best]) / total if total else 0.0
    if share < THRESHOLD:
        return None
    row = scores[best]
    source = "document" if row[0] > 0 else (
        "document", "title", "corpus", "English word list")[row.index(max(row))]
    form = next((i.forms[best] for i in known if best in i.forms), best)
    spelt = _case_like(token, best, form)
    return Completion(spelt, spelt[len(token):], source, round(min(0.95, share), 3))


DOC = WordIndex(Counter({"Zorbanek": 4, "zorbanite": 1, "refugees": 3, "Qaravel": 2,
                         "qaravelle": 1, "statement": 2, "strategic": 1}))
TITLE = WordIndex(Counter({"Zorbanek": 1, "Summit": 1}))


@pytest.mark.parametrize(("token", "proper", "expected"), [
    ("Zorb", True, ("Zorbanek", "anek", "document")),  # a name of the document
    ("zorb", False, ("zorbanite", "anite", "document")),  # lower case: the name is out
    ("refug", False, ("refugees", "ees", "document")),
    ("REFUG", False, ("REFUGEES", "EES", "document")),  # capitals continue in capitals
    ("Qara", True, ("Qaravel", "vel", "document")),
    ("Summ", True, ("Summit", "it", "title")),
    ("sta", False, None),  # thousands of English words: none holds the share
    ("xq", False, None),  # too short unless a name
])
def test_made_up_words(token: str, proper: bool, expected: tuple[str, str, str] | None) -> None:
    got = complete(token, DOC, TITLE, proper=proper)
    assert got == reference(token, DOC, TITLE, proper=proper)
    assert (got and (got.word, got.suffix, got.source)) == expected


def test_an_english_word_no_document_holds() -> None:
    doc = WordIndex(Counter({"ceasefire": 1}))
    got = complete("humanitari", doc)
    assert got is not None and got.word == "humanitarian" and got.source == "English word list"
    assert got == reference("humanitari", doc)


REAL = ["statement", "stated", "strategic", "humanitarian", "humanitarians", "refugees",
        "refugee", "conflict", "conflicts", "ceasefire", "international", "interview",
        "pressure", "president", "presidential", "Gaza", "Gazans", "the", "there", "therefore"]
MADE_UP = ["sta", "con", "pre", "hum", "refu", "zor", "qar", "the", "int", "Gaz", "ceas"]
tails = st.text(alphabet="aeinorstl", min_size=0, max_size=6)
words = st.one_of(
    st.sampled_from(REAL),
    st.builds(lambda p, s, cap: (p + s).capitalize() if cap else p + s,
              st.sampled_from(MADE_UP), tails, st.booleans()))
counts = st.dictionaries(words, st.integers(1, 40), max_size=25)


@st.composite
def tokens(draw: st.DrawFn) -> str:
    """A cut word: the start of a real or made-up word, in some case."""
    word = draw(st.one_of(st.sampled_from(REAL), st.sampled_from(MADE_UP).map(
        lambda p: p + draw(st.text(alphabet="aeinorst", max_size=3)))))
    token = word[:draw(st.integers(2, max(2, len(word) - 1)))]
    style = draw(st.sampled_from(["lower", "lower", "upper", "capital"]))
    return {"lower": token.lower(), "upper": token.upper(), "capital": token.capitalize()}[style]


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, WordIndex, WordIndex | None, WordIndex | None, bool]:
    doc = WordIndex(Counter(draw(counts)))
    title = draw(st.one_of(st.none(), counts.filter(bool).map(lambda c: WordIndex(Counter(c)))))
    corpus = draw(st.one_of(st.none(), counts.map(lambda c: WordIndex(Counter(c)))))
    return draw(tokens()), doc, title, corpus, draw(st.booleans())


@pytest.mark.parametrize("margin,ranked", [(lexicon._MARGIN, lexicon._RANKED),
                                           (1.0, lexicon._RANKED),  # always word by word
                                           (lexicon._MARGIN, 1)])  # one English word kept
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=calls())
def test_complete_equals_the_word_by_word_reference(
        call: tuple[str, WordIndex, WordIndex | None, WordIndex | None, bool],
        margin: float, ranked: int) -> None:
    token, doc, title, corpus, proper = call
    saved = lexicon._MARGIN, lexicon._RANKED
    lexicon._MARGIN, lexicon._RANKED = margin, ranked
    lexicon._english_part.cache_clear()
    try:
        assert complete(token, doc, title, corpus, proper) == reference(
            token, doc, title, corpus, proper)
    finally:
        lexicon._MARGIN, lexicon._RANKED = saved
        lexicon._english_part.cache_clear()


def _letters(i: int) -> str:
    return "".join("abcdefghijklmnopqrstuvwxyz"[i // 26 ** d % 26] for d in (2, 1, 0))


@pytest.fixture
def small_english(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A made-up English list: 4,100 words extending ``zzq`` (more than the 4,000 a
    prefix search returns), two of them common: one inside the 4,000, one beyond."""
    words = ["zzq" + _letters(i) for i in range(4100)]
    table = dict.fromkeys(words, 1e-6)
    table[words[10]] = table[words[4050]] = 2e-3
    monkeypatch.setattr(lexicon, "_ENGLISH", WordIndex.folded(table))
    lexicon.english_extensions.cache_clear()
    lexicon._english_part.cache_clear()
    yield words
    lexicon.english_extensions.cache_clear()
    lexicon._english_part.cache_clear()


@pytest.mark.parametrize("margin", [lexicon._MARGIN, 1.0])
def test_english_words_held_by_the_document_count_once(
        small_english: list[str], monkeypatch: pytest.MonkeyPatch, margin: float) -> None:
    monkeypatch.setattr(lexicon, "_MARGIN", margin)
    inside, beyond = small_english[10], small_english[4050]
    # inside: 20 + 2 of 20 + 2 + 3.999 (the other 3,999 words of the first 4,000)
    doc = WordIndex(Counter({inside: 20}))
    assert complete("zzq", doc) == reference("zzq", doc)
    assert complete("zzq", doc) == Completion(inside, inside[3:], "document", 0.846)
    # beyond the 4,000 words searched, the English list gives it nothing: 40 of 40 + 5.999
    doc = WordIndex(Counter({beyond: 40}))
    assert complete("zzq", doc) == reference("zzq", doc)
    assert complete("zzq", doc) == Completion(beyond, beyond[3:], "document", 0.87)
