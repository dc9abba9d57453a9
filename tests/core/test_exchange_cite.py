"""Edited quotes, times and links in every export; old exports still import (issue 12)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from annotations.annotation import same_content
from annotations.exchange import export, import_data
from tests.core.test_exchange import TAGGED, ann_on, copy_samples, dump, make_store

VTT = "kentucky-dam-failure-floods-marlowe.en.vtt"


def test_json_has_edited_quote_and_link(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    raw = corpus.load(TAGGED).raw
    i = raw.index("arrives in Lebano Now")
    a = ann_on(corpus, TAGGED, i, i + len("arrives in Lebano Now"))
    doc = json.loads(dump([a], "json", corpus))
    assert doc["schema"] == "gloss.annotations/2"
    rec = doc["annotations"][0]
    assert rec["quote"] == "arrives in Lebano Now"  # exact raw
    assert rec["quote_edited"] == "arrives in Lebano[n.] Now"
    assert rec["recased"] is False and "quote_repaired" not in rec
    assert rec["url"] == "https://www.youtube.com/watch?v=_BjBr7Kf8rA"


def test_caption_quote_gets_times_link_and_case_note(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    doc = corpus.load(VTT)
    doc.metadata["url"] = "https://example.org/kentucky"  # not stored: just the lookup
    a = ann_on(corpus, VTT, 0, 40)
    text = dump([a], "markdown", corpus)
    assert "capitals inferred from all-caps captions" in text
    assert "0:00–" in text
    rec = json.loads(dump([a], "json", corpus))["annotations"][0]
    assert rec["time_start"] == 0.5 and rec["time_derived"] is True  # from the cues
    assert rec["recased"] is True


def test_w3c_fragment_selector_on_the_video(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    raw = corpus.load(TAGGED).raw
    a = ann_on(corpus, TAGGED, 10, 30, time_start=12.0, time_end=15.5)
    item = json.loads(dump([a], "w3c", corpus))["first"]["items"][0]
    t = item["target"]
    assert t["source"] == "https://www.youtube.com/watch?v=_BjBr7Kf8rA"
    assert t["gloss:doc"] == "urn:gloss:doc:_BjBr7Kf8rA"
    frag = [s for s in t["selector"] if s["type"] == "FragmentSelector"]
    assert frag == [{"type": "FragmentSelector", "conformsTo": "http://www.w3.org/TR/media-frags/",
                     "value": "t=12,15.5"}]
    [edited] = [b for b in item["body"] if b.get("gloss:role") == "quoteEdited"]
    assert edited["purpose"] == "describing" and edited["value"].startswith(raw[10:20])
    # import gives the annotation back (the derived body is skipped)
    store = make_store(tmp_path / "s")
    report = import_data(dump([a], "w3c", corpus).encode(), store, corpus)
    assert report.added == 1
    [back] = list(store.list(TAGGED))
    assert same_content(back.to_dict(), a.to_dict())


def test_markdown_bracketed_quote_with_link(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    raw = corpus.load(TAGGED).raw
    i = raw.index("began on October  And")
    a = ann_on(corpus, TAGGED, i, i + len("began on October  And"), time_start=252.0,
               time_end=255.0)
    text = dump([a], "markdown", corpus)
    assert "> began on October \\[…\\]\\[.\\] And" in text
    assert "<https://www.youtube.com/watch?v=_BjBr7Kf8rA&t=252s>" in text


def test_csv_columns(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    a = ann_on(corpus, TAGGED, 10, 30)
    out = io.StringIO()
    export([a], "csv", out, corpus)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["url"].startswith("https://www.youtube.com/watch?v=")
    assert "quote_edited" in row and "quote_repaired" not in row


def test_version_1_export_still_imports(tmp_path: Path) -> None:
    corpus = copy_samples(tmp_path / "c")
    a = ann_on(corpus, TAGGED, 10, 30)
    rec = a.to_dict()
    rec["quote_repaired"] = "anything"  # the old derived field: ignored
    old = {"schema": "gloss.annotations/1", "exported": "2026-11-22T01:42:49.509157Z",
           "annotations": [rec], "count": 1}
    store = make_store(tmp_path / "s")
    report = import_data(json.dumps(old).encode(), store, corpus)
    assert report.added == 1
    [back] = list(store.list(TAGGED))
    assert same_content(back.to_dict(), a.to_dict())
