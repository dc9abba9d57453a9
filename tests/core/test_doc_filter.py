"""The document list's filter (channel:, date:, has:annotations, verdict:, tags) and sorts."""

from __future__ import annotations

from pathlib import Path

from annotations.doc_filter import DocFilter, sort_rows
from annotations.model import DocInfo

ROWS = [
    DocInfo("k1", Path("a"), "a.txt", "Flood in Marlowe", "CNN", "2024-04-02"),
    DocInfo("k2", Path("b"), "b.txt", "Talks resume", "DW", "2024-04-15"),
    DocInfo("k3", Path("c"), "c.txt", "Older report", "Al Jazeera", "2023-11-20"),
]
COUNTS = {"k2": 3, "k3": 1}
TAGS = {"k2": "claim\ngaza", "k3": "un"}
VERDICTS = {"k2": ["false", "true"], "k3": ["needs context"]}


def keys(query: str) -> list[str]:
    flt = DocFilter.parse(query)
    out = []
    for r in ROWS:
        hay = f"{r.title}\t{r.channel}\t{r.date}\t{r.key}\t{r.rel_path}".lower()
        if flt.matches(r, hay, count=COUNTS.get(r.key, 0), tags=TAGS.get(r.key, ""),
                       verdicts=VERDICTS.get(r.key, ())):
            out.append(r.key)
    return out


def test_fields_and_words() -> None:
    assert keys("") == ["k1", "k2", "k3"]
    assert keys("channel:cnn") == ["k1"]
    assert keys('channel:dw channel:CNN') == ["k1", "k2"]
    assert keys("date:2024-04") == ["k1", "k2"]
    assert keys("date:2024-04-10..2024-04-30") == ["k2"]
    assert keys("has:annotations") == ["k2", "k3"]
    assert keys("-has:annotations") == ["k1"]
    assert keys("verdict:false") == ["k2"]
    assert keys("verdict:needs-context") == ["k3"]
    assert keys("gaza") == ["k2"]  # a tag of the document's annotations
    assert keys("report -un") == []
    assert keys("marlowe channel:cnn") == ["k1"]


def test_bad_date_is_reported_not_raised() -> None:
    flt = DocFilter.parse("date:2024-13 flood")
    assert flt.errors and "month" in flt.errors[0]
    assert keys("date:2024-13 flood") == ["k1"]


def test_sorts() -> None:
    assert [ROWS[i].key for i in sort_rows(ROWS, "folder", COUNTS)] == ["k1", "k2", "k3"]
    assert [ROWS[i].key for i in sort_rows(ROWS, "date", COUNTS)] == ["k2", "k1", "k3"]
    assert [ROWS[i].key for i in sort_rows(ROWS, "title", COUNTS)] == ["k1", "k3", "k2"]
    assert [ROWS[i].key for i in sort_rows(ROWS, "channel", COUNTS)] == ["k3", "k1", "k2"]
    assert [ROWS[i].key for i in sort_rows(ROWS, "count", COUNTS)] == ["k2", "k3", "k1"]
