"""Round trip (hypothesis): export → import into an empty store → export gives the same."""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.anchor import doc_hash, selector
from annotations.annotation import COLORS, DEFAULT_VERDICTS, PROVENANCE, Annotation
from annotations.corpus import Corpus
from annotations.exchange import export, gloss_json, import_data, w3c
from annotations.exchange.docs import Placed
from annotations.store import AnnotationStore
from tests.core.test_exchange import copy_samples, validator

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
WORD = TEXT.filter(lambda s: bool(s.strip()))
STAMP = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 1, 1),
                     timezones=st.just(UTC)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
SECONDS = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return copy_samples(tmp_path_factory.mktemp("rt") / "corpus")


@st.composite
def annotations(draw: st.DrawFn, corpus: Corpus | None) -> Annotation:
    in_corpus = corpus is not None and draw(st.booleans())
    if in_corpus:
        assert corpus is not None
        info = draw(st.sampled_from(corpus.infos))
        raw = corpus.load(info).raw
        start = draw(st.integers(0, len(raw)))
        end = draw(st.integers(start, min(len(raw), start + 200)))
        quote, prefix, suffix = selector(raw, start, end)
        key, h = info.key, doc_hash(raw)
    else:
        key = draw(WORD)
        quote, prefix, suffix = draw(TEXT), draw(TEXT), draw(TEXT)
        start = draw(st.integers(0, 10**7))
        end = start + len(quote)
        h = draw(st.sampled_from(["", "0123456789abcdef"]))
    times = draw(st.one_of(st.none(), st.tuples(SECONDS, SECONDS).map(sorted)))
    created = draw(STAMP)
    return Annotation(
        doc_key=key, raw_start=start, raw_end=end, quote=quote, prefix=prefix, suffix=suffix,
        doc_hash=h,
        id=draw(st.one_of(st.uuids().map(str), WORD)),
        color=draw(st.sampled_from(COLORS)),
        tags=draw(st.lists(WORD, max_size=4)),
        note=draw(TEXT),
        verdict=draw(st.one_of(st.sampled_from(DEFAULT_VERDICTS), WORD)),
        author=draw(TEXT),
        created=created,
        updated=draw(st.one_of(st.just(created), STAMP)),
        time_start=None if times is None else times[0],
        time_end=None if times is None else times[1],
    )


def batches(corpus: Corpus) -> st.SearchStrategy[list[Annotation]]:
    return st.lists(annotations(corpus), max_size=12, unique_by=lambda a: a.id)


def _export(anns: Any, fmt: str, corpus: Corpus) -> str:
    buf = io.StringIO()
    export(anns, fmt, buf, corpus)
    return buf.getvalue()


def _items(text: str, fmt: str) -> dict[str, Any]:
    doc = json.loads(text)
    items = doc["annotations"] if fmt == "json" else doc["first"]["items"]
    return {item["id"]: item for item in items}


@pytest.mark.parametrize("fmt", ["json", "w3c"])
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_round_trip(corpus: Corpus, fmt: str, data: st.DataObject) -> None:
    anns = data.draw(batches(corpus))
    first = _export(anns, fmt, corpus)
    validator("gloss.annotations-2" if fmt == "json" else "w3c-annotation-collection").validate(
        json.loads(first))
    with tempfile.TemporaryDirectory() as tmp:
        store = AnnotationStore(Path(tmp), fsync=False)
        report = import_data(first.encode("utf-8"), store, corpus)
        assert report.added == len(anns) and report.conflicts == 0
        stored = {a.id: a.to_dict() for a in store.iter_all()}
        assert all(d.pop("imported_by") and d.pop("imported_at") for d in stored.values())
        assert stored == {a.id: {k: v for k, v in a.to_dict().items() if k not in PROVENANCE}
                          for a in anns}
        second = _export(store.iter_all(), fmt, corpus)
        assert _items(second, fmt) == _items(first, fmt)
        again = import_data(second.encode("utf-8"), store, corpus)
        assert (again.added, again.updated, again.unchanged) == (0, 0, len(anns))


@settings(max_examples=150, deadline=None)
@given(ann=annotations(None), title=TEXT, path=TEXT, repaired=st.one_of(st.none(), TEXT),
       orphan=st.booleans())
def test_fast_writers_match_the_reference_records(ann: Annotation, title: str, path: str,
                                                   repaired: str | None, orphan: bool) -> None:
    p = Placed(ann, title=title, channel=title[:3], date="2024-01-01", path=path,
               quote_edited=repaired, orphan=orphan)
    assert gloss_json.line(p, {}) == gloss_json.dumps(gloss_json.record(p))
    assert w3c.line(p, {}) == gloss_json.dumps(w3c.item(p))


def test_uuid_ids_become_urn_uuid(corpus: Corpus) -> None:
    a = Annotation(doc_key="k", raw_start=0, raw_end=1, quote="x", id=str(uuid.uuid4()))
    item = next(iter(_items(_export([a], "w3c", corpus), "w3c")))
    assert item == f"urn:uuid:{a.id}"
