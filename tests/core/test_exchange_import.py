"""Import: merge by id, idempotence, conflicts, orphans, re-anchoring, malformed input."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from annotations.annotation import Annotation, same_content
from annotations.corpus import Corpus
from annotations.exchange import ExchangeError, export, import_file
from annotations.store import AnnotationStore
from tests.core.test_exchange import PLAIN, SRT, TAGGED, ann_on, copy_samples, make_store


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    return copy_samples(tmp_path / "corpus")


@pytest.fixture()
def store(tmp_path: Path) -> AnnotationStore:
    return make_store(tmp_path / "store")


@pytest.fixture()
def anns(corpus: Corpus) -> list[Annotation]:
    return [
        ann_on(corpus, PLAIN, 10, 35, tags=["claim"], note="first", verdict="misleading"),
        ann_on(corpus, PLAIN, 200, 225),
        ann_on(corpus, TAGGED, 0, 40, note="n", color="blue"),
        ann_on(corpus, SRT, 5, 40, verdict="false", time_start=1.0, time_end=3.84),
    ]


def write_export(path: Path, anns: list[Annotation], fmt: str, corpus: Any = None) -> Path:
    buf = io.StringIO()
    export(anns, fmt, buf, corpus)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def snapshot(store: AnnotationStore) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(store.docs_dir.glob("*.json"))}


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_import_then_again_adds_nothing(tmp_path: Path, corpus: Corpus, store: AnnotationStore,
                                        anns: list[Annotation], fmt: str) -> None:
    path = write_export(tmp_path / f"x.{fmt}", anns, fmt, corpus)
    first = import_file(path, store, corpus)
    assert (first.fmt, first.total, first.added, first.orphans) == (fmt, 4, 4, 0)
    stored = list(store.iter_all())
    assert all(a.imported_by and a.imported_at and a.author == "tester" for a in stored)
    for a in stored:
        a.imported_by = a.imported_at = ""
    assert sorted(a.to_dict().items() for a in stored) == sorted(
        a.to_dict().items() for a in anns)
    files = snapshot(store)
    again = import_file(path, store, corpus)
    assert (again.added, again.updated, again.unchanged, again.conflicts) == (0, 0, 4, 0)
    assert snapshot(store) == files
    assert "4 unchanged" in again.summary()


def test_conflicts_newer_updated_wins(tmp_path: Path, corpus: Corpus, store: AnnotationStore,
                                      anns: list[Annotation]) -> None:
    for a in anns:
        store.add(a)
    stored = store.update(replace(anns[0], note="edited in the store"))  # bumps updated
    older = replace(anns[0], note="older edit", updated="2000-01-01T00:00:00.000000Z")
    soon = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    newer = replace(anns[1], note="newer edit", updated=soon)
    path = write_export(tmp_path / "x.json", [older, newer, anns[2]], "json", corpus)
    report = import_file(path, store, corpus)
    assert (report.added, report.updated, report.unchanged, report.conflicts) == (0, 1, 1, 1)
    assert store.get(PLAIN, anns[0].id).note == stored.note  # the store's copy was newer
    assert store.get(PLAIN, anns[1].id).note == "newer edit"
    assert "1 conflict (stored copy as new or newer, kept)" in report.summary()


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_import_refuses_updated_far_in_the_future(tmp_path: Path, corpus: Corpus,
                                                  store: AnnotationStore,
                                                  anns: list[Annotation], fmt: str) -> None:
    ahead = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    bad = replace(anns[1], updated="9999-12-31T00:00:00.000000Z")
    for stamp in ("9999-12-31T00:00:00.000000Z", ahead):
        bad = replace(anns[1], updated=stamp)
        path = write_export(tmp_path / f"x.{fmt}", [anns[0], bad], fmt, corpus)
        with pytest.raises(ExchangeError, match="more than a day in the future"):
            import_file(path, store, corpus)
    assert len(store) == 0  # nothing written


def test_documents_not_in_corpus_are_kept_as_orphans(tmp_path: Path, corpus: Corpus,
                                                     store: AnnotationStore) -> None:
    far = [Annotation(doc_key=f"elsewhere-{i}", raw_start=0, raw_end=3, quote="abc", author="x")
           for i in range(7)]
    path = write_export(tmp_path / "x.json", far, "json")
    report = import_file(path, store, corpus)
    assert report.added == 7 and report.orphans == 7
    assert report.missing_docs == [f"elsewhere-{i}" for i in range(7)]
    assert "7 kept as orphans (not in the corpus: elsewhere-0, " in report.summary()
    assert "and 2 more" in report.summary()
    assert len(store) == 7


def test_changed_text_is_reanchored_or_reported(tmp_path: Path, corpus: Corpus,
                                                store: AnnotationStore,
                                                anns: list[Annotation]) -> None:
    lost = ann_on(corpus, PLAIN, 100, 140)
    path = write_export(tmp_path / "x.json", [anns[1], lost], "json", corpus)
    doc = corpus.root / PLAIN
    raw = doc.read_text(encoding="utf-8")
    doc.chmod(0o644)
    doc.write_text("New first line. " + raw[:90] + raw[150:], encoding="utf-8")
    fresh = Corpus(corpus.root)
    report = import_file(path, store, fresh)
    assert (report.added, report.reanchored, report.orphans) == (2, 1, 1)
    assert report.lost_docs == [PLAIN]
    kept = store.get(PLAIN, anns[1].id)
    assert kept is not None and same_content(kept.to_dict(), anns[1].to_dict())  # as exported
    assert "1 re-anchored" in report.summary() and "quote not found in" in report.summary()


def test_dry_run_writes_nothing(tmp_path: Path, corpus: Corpus, store: AnnotationStore,
                                anns: list[Annotation]) -> None:
    store.add(anns[0])
    path = write_export(tmp_path / "x.json", anns, "json", corpus)
    before = snapshot(store)
    report = import_file(path, store, corpus, dry_run=True)
    assert (report.added, report.unchanged, report.written) == (3, 1, False)
    assert snapshot(store) == before and "dry run" in report.summary()


def test_foreign_w3c_annotation_is_read(tmp_path: Path, corpus: Corpus,
                                        store: AnnotationStore) -> None:
    raw = corpus.load(PLAIN).raw
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [{
            "id": "https://example.org/anno/1",
            "type": "Annotation",
            "bodyValue": "From another tool",
            "creator": "https://example.org/people/ann",
            "created": "2024-05-01T12:00:00+02:00",
            "target": {"source": f"urn:gloss:doc:{PLAIN}", "selector": [
                {"type": "TextPositionSelector", "start": 10, "end": 20},
                {"type": "TextQuoteSelector", "exact": raw[10:20]}]},
        }],
    }
    path = tmp_path / "foreign.jsonld"
    path.write_text(json.dumps(page), encoding="utf-8")
    report = import_file(path, store, corpus)
    assert (report.fmt, report.added) == ("w3c", 1)
    got = store.get(PLAIN, "https://example.org/anno/1")
    assert got is not None and got.note == "From another tool" and got.quote == raw[10:20]
    assert got.created == got.updated == "2024-05-01T10:00:00.000000Z"
    assert got.verdict == "unverified" and got.doc_hash  # filled from the matching text
    del page["items"][0]["created"]  # no time at all: the epoch, the same on every import
    path.write_text(json.dumps(page), encoding="utf-8")
    other = make_store(tmp_path / "other")
    assert import_file(path, other, corpus).added == 1
    again = import_file(path, other, corpus)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert other.get(PLAIN, "https://example.org/anno/1").created.startswith("1970-01-01")


# -- malformed input: one clear line, nothing written -----------------------------------------
def _json(anns: list[Annotation], corpus: Corpus) -> dict[str, Any]:
    buf = io.StringIO()
    export(anns, "json", buf, corpus)
    return json.loads(buf.getvalue())


def _w3c(anns: list[Annotation], corpus: Corpus) -> dict[str, Any]:
    buf = io.StringIO()
    export(anns, "w3c", buf, corpus)
    return json.loads(buf.getvalue())


def _set(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *head, last = path.split("/")
    node: Any = doc
    for part in head:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


GLOSS_CASES: list[tuple[str, Any, str]] = [
    ("schema", "gloss.annotations/3", "schema: unsupported version 'gloss.annotations/3'"),
    ("annotations", {"a": 1}, "annotations: expected an array, found an object"),
    ("count", 7, "count: says 7 but the file holds 4 annotations"),
    ("annotations/1/raw_end", 999, "annotations[1].raw_end: 999 does not match the quote"),
    ("annotations/1/raw_start", -1, "annotations[1].raw_start: must be 0 or more, found -1"),
    ("annotations/1/raw_start", True, "annotations[1].raw_start: expected a whole number"),
    ("annotations/1/raw_end", 30, "annotations[1].raw_end: 30 is before raw_start 200"),
    ("annotations/0/quote", KeyError, "annotations[0].quote: missing"),
    ("annotations/0/id", "", "annotations[0].id: must not be empty"),
    ("annotations/3/created", "yesterday", "annotations[3].created: not an ISO 8601 timestamp"),
    ("annotations/3/color", "purple", "annotations[3].color: 'purple' is not one of yellow"),
    ("annotations/3/tags", ["ok", 3], "annotations[3].tags[1]: expected a non-empty string"),
    ("annotations/3/time_end", None, "annotations[3].time_end: cue times come in pairs"),
    ("annotations/2/id", "SAME", "annotations[2].id: duplicate id 'SAME' (also at annotations[1].id)"),
    ("annotations/1", "text", "annotations[1]: expected an object, found a string"),
]


@pytest.mark.parametrize(("path", "value", "message"), GLOSS_CASES)
def test_malformed_gloss_json(tmp_path: Path, corpus: Corpus, store: AnnotationStore,
                              anns: list[Annotation], path: str, value: Any, message: str) -> None:
    doc = _json(anns, corpus)
    if path == "annotations/2/id":
        doc["annotations"][1]["id"] = "SAME"
    _set(doc, path, value)
    _expect_error(tmp_path, json.dumps(doc), store, corpus, message)


def test_quote_that_does_not_match_the_text(tmp_path: Path, corpus: Corpus,
                                            store: AnnotationStore, anns: list[Annotation]) -> None:
    doc = _json(anns, corpus)
    rec = doc["annotations"][2]
    rec["quote"] = "X" + rec["quote"][1:]
    _expect_error(tmp_path, json.dumps(doc), store, corpus,
                  "annotations[2].quote: 'X")


def test_offsets_past_the_end_of_the_document(tmp_path: Path, corpus: Corpus,
                                              store: AnnotationStore,
                                              anns: list[Annotation]) -> None:
    doc = _json(anns, corpus)
    size = len(corpus.load(PLAIN).raw)
    rec = doc["annotations"][1]
    rec["raw_start"], rec["raw_end"] = size + 5, size + 5 + len(rec["quote"])
    _expect_error(tmp_path, json.dumps(doc), store, corpus,
                  f"annotations[1].raw_end: {size + 30} is past the end of document "
                  f"'{PLAIN}' ({size} chars)")


W3C_CASES: list[tuple[str, Any, str]] = [
    ("type", "Thing", "type: expected AnnotationCollection or AnnotationPage"),
    ("first", "https://example.org/page2", "first: the page is not embedded"),
    ("first/items/1/target/selector", KeyError, "first.items[1].target.selector: missing"),
    ("first/items/1/target/selector/1/end", 999,
     "first.items[1].target.selector[1].end: 999 does not match the quote"),
    ("first/items/0/target/gloss:doc", "https://example.org/page",
     "first.items[0].target.gloss:doc: not a gloss document"),
    ("first/items/0/body/0/purpose", "linking", "first.items[0].body[0].purpose: unsupported"),
    ("first/items/2/modified", "soon", "first.items[2].modified: not an ISO 8601 timestamp"),
    ("first/items/2/type", "Note", "first.items[2].type: expected \"Annotation\""),
    ("first/items/0/body/1/value", " ", "first.items[0].body[1].value: an empty tag"),
    ("total", 9, "total: says 9 but the file holds 4 annotations"),
]


@pytest.mark.parametrize(("path", "value", "message"), W3C_CASES)
def test_malformed_w3c(tmp_path: Path, corpus: Corpus, store: AnnotationStore,
                       anns: list[Annotation], path: str, value: Any, message: str) -> None:
    _expect_error(tmp_path, json.dumps(_set(_w3c(anns, corpus), path, value)), store, corpus,
                  message)


@pytest.mark.parametrize(("text", "message"), [
    ('{"schema": "gloss.annotations/1", "annotations": [\n  {"id": "a",',
     "line 2 column 14: invalid JSON: unexpected end of file (truncated?)"),
    ('{"schema": "gloss.annotations/1" "annotations": []}',
     "line 1 column 34: invalid JSON: Expecting ',' delimiter"),
    ('{"schema": "gloss.annotations/1", "count": NaN, "annotations": []}', "invalid JSON: NaN"),
    ("[1, 2]", "not a gloss export (top level list"),
    ('{"name": "something else"}', "not a gloss export (an object without"),
    ('{"schema": "other/1"}', "schema: 'other/1' is not a gloss export schema"),
    ("   \n", "empty file"),
])
def test_malformed_files(tmp_path: Path, corpus: Corpus, store: AnnotationStore, text: str,
                         message: str) -> None:
    _expect_error(tmp_path, text, store, corpus, message)


def test_not_utf8(tmp_path: Path, corpus: Corpus, store: AnnotationStore) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"schema": "\xff"}')
    with pytest.raises(ExchangeError, match=r"^bad\.json: byte 12: not UTF-8 text$"):
        import_file(path, store, corpus)


def _expect_error(tmp_path: Path, text: str, store: AnnotationStore, corpus: Corpus,
                  message: str) -> None:
    good = ann_on(corpus, PLAIN, 0, 5)
    store.add(good)
    before = snapshot(store)
    path = tmp_path / "in.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExchangeError) as info:
        import_file(path, store, corpus)
    text_of = str(info.value)
    assert text_of.startswith("in.json: ") and "\n" not in text_of
    assert message in text_of, text_of
    assert snapshot(store) == before and [a.id for a in store.iter_all()] == [good.id]
