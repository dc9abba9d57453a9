"""AnnotationStore API, location, index, damaged files, and a model-based property."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.annotation import DEFAULT_VERDICTS, Annotation
from annotations.store import (
    AnnotationNotFound,
    AnnotationStore,
    InvalidAnnotation,
    StoreError,
    open_store,
)


def ann(doc: str = "doc-a", start: int = 0, quote: str = "hello", **kw: object) -> Annotation:
    kw.setdefault("author", "tester")
    return Annotation(doc_key=doc, raw_start=start, raw_end=start + len(quote), quote=quote, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "store", fsync=False)


def test_add_list_get_update_delete_restore(store: AnnotationStore) -> None:
    b = store.add(ann(start=20, tags=["x"]))
    a = store.add(ann(start=5))
    assert [x.id for x in store.list("doc-a")] == [a.id, b.id]  # text order
    assert store.get("doc-a", b.id) == b
    assert store.get("doc-a", "nope") is None and store.list("other") == []
    b2 = Annotation.from_dict({**b.to_dict(), "note": "checked", "verdict": "false"})
    got = store.update(b2)
    assert got.note == "checked" and got.updated > b.updated and got.created == b.created
    assert store.get("doc-a", b.id) == got
    assert store.delete("doc-a", b.id) is True
    v = store.version("doc-a")
    assert store.delete("doc-a", b.id) is False and store.version("doc-a") == v  # no rewrite
    assert store.delete("never", "x") is False and not store.path("never").exists()
    with pytest.raises(AnnotationNotFound):
        store.update(b2)
    back = store.restore(got)  # undo of the delete
    assert store.get("doc-a", b.id) == back and back.note == "checked"
    with pytest.raises(InvalidAnnotation):
        store.add(back)  # id already there
    assert store.counts() == {"doc-a": 2}


def test_invalid_records_refused(store: AnnotationStore) -> None:
    for bad in (ann(start=-1), ann(doc=""), ann(tags="x"), ann(time_start=float("nan"))):
        with pytest.raises(InvalidAnnotation):
            store.add(bad)
    backwards = ann()
    backwards.raw_end = 0
    backwards.raw_start = 3
    with pytest.raises(InvalidAnnotation):
        store.add(backwards)
    assert store.counts() == {} and not list(store.docs_dir.glob("*.json"))


def test_counts_tags_authors_verdicts_rename(store: AnnotationStore) -> None:
    store.add(ann("d1", tags=["claim", "gaza"], verdict="false"))
    store.add(ann("d1", tags=["claim"]))
    store.add(ann("d2", tags=["Claim"], author="other"))
    assert store.counts() == {"d1": 2, "d2": 1}
    assert store.tag_counts() == {"claim": 2, "gaza": 1, "Claim": 1}
    assert store.author_counts() == {"tester": 2, "other": 1}
    assert store.verdict_counts() == {"false": 1, "unverified": 2}
    assert store.rename_tag("Claim", "claim") == 1  # merge
    assert store.tag_counts() == {"claim": 3, "gaza": 1}
    assert store.rename_tag("gaza", "claim") == 1  # merge inside one annotation: no duplicate
    assert [a.tags for a in store.list("d1")] == [["claim"], ["claim"]]
    assert store.tag_counts() == {"claim": 3}
    assert store.rename_tag("claim", "checked") == 3 and store.tag_counts() == {"checked": 3}
    assert store.rename_tag("absent", "x") == 0
    assert store.doc_keys() == ["d1", "d2"]
    assert len(store) == 3


def test_two_instances_see_each_other(tmp_path: Path) -> None:
    """No stale TinyDB cache: two stores on one folder act like two processes."""
    one = AnnotationStore(tmp_path / "s")
    two = AnnotationStore(tmp_path / "s")
    assert two.list("doc") == [] and two.counts() == {}
    v0 = two.version("doc")
    a = one.add(ann("doc"))
    assert two.version("doc") != v0
    assert [x.id for x in two.list("doc")] == [a.id] and two.counts() == {"doc": 1}
    changed = Annotation.from_dict({**a.to_dict(), "note": "from two"})
    v1 = one.version("doc")
    two.update(changed)
    assert one.version("doc") != v1
    assert one.get("doc", a.id).note == "from two"  # type: ignore[union-attr]
    one.add(ann("doc", tags=["t"]))
    assert two.tag_counts() == {"t": 1} and len(two.list("doc")) == 2
    two.delete("doc", a.id)
    assert [x.tags for x in one.list("doc")] == [["t"]] and one.counts() == {"doc": 1}


def test_merge_newer_wins(store: AnnotationStore) -> None:
    a = store.add(ann("d1", note="old"))
    newer = Annotation.from_dict({**a.to_dict(), "note": "new", "updated": "9999-01-01T00:00:00Z"})
    older = Annotation.from_dict(
        {**a.to_dict(), "note": "older", "updated": "1999-01-01T00:00:00Z"}
    )
    fresh = ann("d2")
    r = store.merge([a, fresh])
    assert (r.added, r.updated, r.conflicts, r.unchanged) == (1, 0, 0, 1)
    r = store.merge([newer])
    assert (r.added, r.updated, r.conflicts, r.unchanged) == (0, 1, 0, 0)
    r = store.merge([older])
    assert (r.added, r.updated, r.conflicts, r.unchanged) == (0, 0, 1, 0)
    assert store.get("d1", a.id).note == "new"  # type: ignore[union-attr]
    with pytest.raises(InvalidAnnotation):  # all-or-nothing: validation before any write
        store.merge([ann("d3"), ann("d4", start=-5)])
    assert "d3" not in store.counts()


def test_iter_all_streams_every_document(store: AnnotationStore) -> None:
    ids = {store.add(ann(f"d{i % 7}", start=i)).id for i in range(30)}
    assert {a.id for a in store.iter_all()} == ids
    keys = [a.doc_key for a in store.iter_all()]
    assert keys == sorted(keys)


def test_file_layout_and_index_rebuild(store: AnnotationStore) -> None:
    for i in range(5):
        store.add(ann(f"key/with spaces {i}", tags=[f"t{i % 2}"]))
    files = sorted(p.name for p in store.docs_dir.iterdir())
    assert len(files) == 5 and all(f.endswith(".json") and " " not in f for f in files)
    data = json.loads(store.path("key/with spaces 0").read_text())
    assert set(data) == {"annotations", "meta"}  # TinyDB tables
    assert data["meta"]["1"]["doc_key"] == "key/with spaces 0"
    expected = (store.counts(), store.tag_counts())
    store.index.snapshot.unlink()
    store.index.log.unlink()
    fresh = AnnotationStore(store.root)
    assert (fresh.counts(), fresh.tag_counts()) == expected  # rebuilt from the doc files
    fresh.index.snapshot.write_text("{ not json")
    again = AnnotationStore(store.root)
    assert (again.counts(), again.tag_counts()) == expected
    assert json.loads(again.index.snapshot.read_text())["docs"]  # rewritten


def test_index_log_compacts(store: AnnotationStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotations.store.index as index_mod

    monkeypatch.setattr(index_mod, "COMPACT_BYTES", 2_000)
    reader = AnnotationStore(store.root)
    for i in range(40):
        store.add(ann(f"d{i % 4}", tags=["t"]))
        assert reader.counts() == dict(Counter(f"d{j % 4}" for j in range(i + 1)))
    assert store.index.log.stat().st_size < 2_000 + 500


def _damage(store: AnnotationStore) -> tuple[Path, bytes]:
    a = store.add(ann("bad"))
    store.add(ann("good"))
    path = store.path("bad")
    return path, a.id.encode()


def test_corrupt_file_named_and_never_overwritten(store: AnnotationStore) -> None:
    path, _ = _damage(store)
    path.write_bytes(b'{"annotations": {"1": {"id": "x", "quo')  # torn by some other tool
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        store.list("bad")
    assert str(path) in str(err.value) and "corrupt" in str(err.value)
    for write in (
        lambda: store.add(ann("bad")),
        lambda: store.delete("bad", "x"),
        lambda: store.merge([ann("bad")]),
    ):
        with pytest.raises(StoreError) as err:
            write()
        assert str(path) in str(err.value)
    assert path.read_bytes() == before
    assert store.problem("bad") and str(path) in store.problem("bad")  # type: ignore[operator]
    assert store.problem("good") is None
    store.add(ann("good"))  # the rest works
    assert len(store.list("good")) == 2
    store.rebuild_index()
    assert path.name in store.problems()
    assert "good" in store.counts() and path.read_bytes() == before
    assert [a.doc_key for a in store.iter_all()] == ["good", "good"]
    assert store.skipped == [] or str(path) in store.skipped[0]


def test_malformed_record_is_a_problem(store: AnnotationStore) -> None:
    path, _ = _damage(store)
    path.write_text(json.dumps({"annotations": {"1": {"id": 3}}}))
    with pytest.raises(StoreError, match="malformed"):
        store.list("bad")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
def test_read_only_file_and_folder(store: AnnotationStore) -> None:
    path, _ = _damage(store)
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        assert len(store.list("bad")) == 1  # still readable
        with pytest.raises(StoreError, match="read-only") as err:
            store.add(ann("bad"))
        assert str(path) in str(err.value)
        with pytest.raises(StoreError, match="read-only"):
            store.restore(store.list("bad")[0])
        assert path.read_bytes() == before
        assert "read-only" in (store.problem("bad") or "")
    finally:
        path.chmod(0o644)
    store.docs_dir.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only") as err:
            store.add(ann("brand-new"))
        assert str(store.docs_dir) in str(err.value)
        assert not store.path("brand-new").exists()
        assert len(store.list("good")) == 1
    finally:
        store.docs_dir.chmod(0o755)


def test_open_store_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    s, note = open_store(corpus)
    assert s.root == corpus / ".gloss" and note is None
    s, note = open_store(corpus, tmp_path / "explicit")
    assert s.root == tmp_path / "explicit" and note is None
    monkeypatch.setenv("GLOSS_STORE", str(tmp_path / "env"))
    assert open_store(corpus)[0].root == tmp_path / "env"
    assert open_store(corpus, tmp_path / "flag")[0].root == tmp_path / "flag"  # flag beats env
    monkeypatch.delenv("GLOSS_STORE")
    ro = tmp_path / "ro-corpus"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        s, note = open_store(ro)
        assert s.root.is_relative_to(tmp_path / "xdg") and note and "not writable" in note
        assert str(s.root) in note
        s.add(ann("x"))
        assert open_store(ro)[0].root == s.root  # stable per corpus
    finally:
        ro.chmod(0o755)
    (corpus / "file.txt").write_text("text")
    assert open_store(corpus / "file.txt")[0].root == corpus / ".gloss"


def test_store_verdicts_configurable(store: AnnotationStore) -> None:
    assert store.verdicts == DEFAULT_VERDICTS
    (store.root / "config.json").write_text(json.dumps({"verdicts": ["ok", "wrong"]}))
    assert store.verdicts == ("ok", "wrong")


# -- model-based property ---------------------------------------------------------------------
op = st.tuples(
    st.sampled_from(["add", "update", "delete", "restore", "rename"]),
    st.integers(0, 2),  # document
    st.integers(0, 5),  # annotation slot
    st.sampled_from(["a", "b", "c"]),  # tag / note
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=25))
def test_property_store_matches_dict_model(ops: list[tuple[str, int, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = AnnotationStore(Path(tmp), fsync=False)
        model: dict[str, dict[str, Annotation]] = {}
        slots: dict[tuple[int, int], Annotation] = {}
        for kind, d, k, word in ops:
            doc = f"doc{d}"
            have = slots.get((d, k))
            if kind == "add" and have is None:
                new = store.add(ann(doc, start=k, tags=[word]))
                slots[(d, k)] = new
                model.setdefault(doc, {})[new.id] = new
            elif kind == "update" and have is not None and have.id in model.get(doc, {}):
                got = store.update(Annotation.from_dict({**have.to_dict(), "note": word}))
                model[doc][got.id] = slots[(d, k)] = got
            elif kind == "delete" and have is not None:
                assert store.delete(doc, have.id) == (have.id in model.get(doc, {}))
                model.get(doc, {}).pop(have.id, None)
            elif kind == "restore" and have is not None:
                got = store.restore(have)
                model.setdefault(doc, {})[got.id] = slots[(d, k)] = got
            elif kind == "rename":
                n = store.rename_tag(word, "z")
                hits = [a for m in model.values() for a in m.values() if word in a.tags]
                assert n == len(hits)
                for a in hits:
                    fixed = store.get(a.doc_key, a.id)
                    assert fixed is not None
                    model[a.doc_key][a.id] = fixed
                    for (dd, kk), s in list(slots.items()):
                        if s.id == a.id:
                            slots[(dd, kk)] = fixed
            for key in ("doc0", "doc1", "doc2"):
                expect = sorted(model.get(key, {}).values(), key=lambda a: (a.raw_start, a.id))
                got_list = sorted(store.list(key), key=lambda a: (a.raw_start, a.id))
                assert [a.to_dict() for a in got_list] == [a.to_dict() for a in expect]
            assert store.counts() == {k: len(v) for k, v in model.items() if v}
            tags = Counter(t for m in model.values() for a in m.values() for t in set(a.tags))
            assert store.tag_counts() == dict(tags)
