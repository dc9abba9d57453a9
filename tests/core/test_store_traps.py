"""A store in a folder the whole group can write: planted links and FIFOs, deleted
lock files, a full disk during compaction, shared modes whatever the umask.

Each trap runs in a thread joined with a generous limit: a hang fails the test
instead of blocking the suite (the limit is a guard, not a timing assertion).
"""

from __future__ import annotations

import errno
import json
import multiprocessing as mp
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotations import safeio
from annotations.annotation import Annotation
from annotations.corpus import OUTSIDE, Corpus
from annotations.exchange import export
from annotations.store import AnnotationStore, StoreError, open_store
from annotations.store import index as index_mod
from annotations.store.check import check, fix
from annotations.store.files import doc_file_name

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX files")
GUARD = 60.0  # seconds before a stuck trap counts as a hang


def ann(doc: str = "doc-a", start: int = 0, quote: str = "hello", **kw: Any) -> Annotation:
    kw.setdefault("author", "tester")
    return Annotation(doc_key=doc, raw_start=start, raw_end=start + len(quote), quote=quote, **kw)


def no_hang(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread; fail if it does not return within GUARD seconds."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(GUARD)
    assert not t.is_alive(), f"{fn} hangs"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of the writer's own that a colleague would like gloss to overwrite."""
    path = tmp_path / "home" / ".bashrc"
    path.parent.mkdir()
    path.write_text("alias ls='ls --color'\n")
    return path


def _plant(path: Path, how: str, victim: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path):
        path.unlink()
    if how == "link":
        path.symlink_to(victim)
    else:
        os.mkfifo(path)


# -- planted links and FIFOs --------------------------------------------------------------------
@pytest.mark.parametrize("how", ["link", "fifo"])
def test_trap_at_a_document_file_is_named_never_followed(tmp_path: Path, victim: Path,
                                                         how: str) -> None:
    store = AnnotationStore(tmp_path / "store", fsync=False)
    store.add(ann("other"))
    path = store.path("doc-a")
    _plant(path, how, victim)
    before = victim.read_bytes()
    for call in (lambda: store.list("doc-a"), lambda: store.add(ann("doc-a"))):
        with pytest.raises(StoreError) as err:
            no_hang(call)
        assert str(path) in str(err.value) and "not a regular file" in str(err.value)
    assert "not a regular file" in (no_hang(lambda: store.problem("doc-a")) or "")
    assert victim.read_bytes() == before and os.path.lexists(path)
    assert len(no_hang(lambda: store.list("other"))) == 1  # other documents still work
    no_hang(lambda: list(store.iter_all()))
    assert any(str(path) in line for line in store.skipped) or "doc-a" not in store.counts()


@pytest.mark.parametrize("how", ["link", "fifo"])
@pytest.mark.parametrize("name", ["index.log", "index.json", "config.json"])
def test_trap_at_an_index_or_config_name(tmp_path: Path, victim: Path, how: str,
                                         name: str) -> None:
    root = tmp_path / "store"
    store = AnnotationStore(root, fsync=False)
    store.add(ann("doc-a"))
    _plant(root / name, how, victim)
    before = victim.read_bytes()
    fresh = no_hang(lambda: AnnotationStore(root, fsync=False))
    no_hang(lambda: fresh.add(ann("doc-a", 10)))
    no_hang(lambda: fresh.add(ann("doc-b")))
    assert no_hang(fresh.counts) == {"doc-a": 2, "doc-b": 1}
    assert no_hang(lambda: AnnotationStore(root).counts()) == {"doc-a": 2, "doc-b": 1}
    assert no_hang(lambda: fresh.verdicts)  # a trap at config.json: the default verdicts
    assert victim.read_bytes() == before


def test_no_fixed_temporary_names(tmp_path: Path, victim: Path) -> None:
    """Links at every temporary name older versions used leave their targets alone."""
    root = tmp_path / "store"
    store = AnnotationStore(root, fsync=False)
    name = doc_file_name("doc-a")
    for rel in (f"docs/{name}.tmp", "index.json.tmp", "index.log.tmp", "config.json.tmp"):
        _plant(root / rel, "link", victim)
    before = victim.read_bytes()
    for i in range(3):
        store.add(ann("doc-a", i))
    store.index.compact()
    assert victim.read_bytes() == before
    leftovers = [p.name for p in root.rglob("*.tmp") if not p.is_symlink()]
    assert leftovers == []


def test_export_target_trap(tmp_path: Path, victim: Path) -> None:
    store = AnnotationStore(tmp_path / "store", fsync=False)
    store.add(ann("doc-a", note="\x1b]52;c;cm0gLXJmIH4vKg==\x07 \x1b[2J"))
    before = victim.read_bytes()
    for how in ("link", "fifo"):
        out = tmp_path / f"out-{how}.csv"
        _plant(out, how, victim)
        _plant(out.with_name(out.name + ".part"), how, victim)

        def write(out: Path = out) -> None:
            with safeio.atomic_output(out, text=True) as fh:
                export(store.iter_all(), "csv", fh, None)

        no_hang(write)
        assert out.is_file() and not out.is_symlink()
        text = out.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text and "\u241b]52" in text
    assert victim.read_bytes() == before


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_markdown_and_csv_exports_hold_no_control_characters(tmp_path: Path) -> None:
    import io
    import re

    store = AnnotationStore(tmp_path / "store", fsync=False)
    hostile = "\x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[2J \x00 \u202eevil \x9b1m"
    store.add(ann("doc\x1b[2J", note=hostile, verdict=hostile, tags=[hostile],
                  author=hostile, quote="hello"))
    for fmt in ("csv", "markdown", "json", "w3c"):
        buf = io.StringIO()
        export(store.iter_all(), fmt, buf, None)
        bad = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", buf.getvalue())
        assert bad == [], fmt
        if fmt in ("json", "w3c"):  # escaped, not changed: the record round-trips
            assert hostile in _strings(json.loads(buf.getvalue()))


# -- locks -----------------------------------------------------------------------------------------
def _inserter(root: str, who: str, count: int, out: Any, start: Any) -> None:
    store = AnnotationStore(Path(root), fsync=False)
    start.wait()
    for n in range(count):
        a = store.add(ann(f"doc-{n % 3}", n, f"{who} {n}", author=who))
        out.put(a.id)  # acknowledged


def _deleter(root: str, stop: Any) -> None:
    base = Path(root)
    while not stop.is_set():
        for p in list(base.rglob("*")):
            if p.suffix in (".lock",) or "locks" in p.parts or p.name.startswith(".lock"):
                try:
                    p.unlink()
                except OSError:
                    pass


def test_deleting_lock_files_loses_no_acknowledged_write(tmp_path: Path) -> None:
    ctx = mp.get_context("fork")
    root = tmp_path / "store"
    (root / "locks").mkdir(parents=True)
    (root / "locks" / "index.lock").write_text("")  # an old version's lock files
    AnnotationStore(root, fsync=False)
    start, stop, out = ctx.Event(), ctx.Event(), ctx.Queue()
    writers = [ctx.Process(target=_inserter, args=(str(root), f"w{i}", 100, out, start))
               for i in range(4)]
    deleter = ctx.Process(target=_deleter, args=(str(root), stop))
    deleter.start()
    for p in writers:
        p.start()
    start.set()
    acked = [out.get(timeout=GUARD) for _ in range(400)]
    for p in writers:
        p.join(GUARD)
        assert p.exitcode == 0
    stop.set()
    deleter.join(GUARD)
    stored = {a.id for a in AnnotationStore(root).iter_all()}
    assert set(acked) <= stored and len(stored) == 400


# -- housekeeping never turns a stored write into an error -----------------------------------------
def test_disk_full_during_compaction_reports_the_annotation_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(tmp_path / "store", fsync=False)
    store.add(ann("doc-a"))
    monkeypatch.setattr(index_mod, "COMPACT_BYTES", 1)

    def full(*args: Any, **kw: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(index_mod, "atomic_write", full)  # the compaction's writes only
    stored = store.add(ann("doc-a", 10))  # compaction runs and fails: still a success
    assert "No space left" in (store.housekeeping or "")
    monkeypatch.undo()
    assert {a.id for a in AnnotationStore(tmp_path / "store").list("doc-a")} >= {stored.id}
    assert AnnotationStore(tmp_path / "store").counts() == {"doc-a": 2}


def test_disk_full_before_the_document_is_written_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(tmp_path / "store", fsync=False)

    def full(*args: Any, **kw: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safeio, "atomic_write", full)
    with pytest.raises(StoreError, match="No space left"):
        store.add(ann("doc-a"))
    monkeypatch.undo()
    assert AnnotationStore(tmp_path / "store").list("doc-a") == []


# -- shared modes whatever the umask ----------------------------------------------------------------
def _write_with_umask(root: str, mask: int) -> None:
    os.umask(mask)
    safeio._UMASK = None
    store = AnnotationStore(Path(root), fsync=False)
    store.add(ann(f"doc-{mask:o}"))
    store.index.compact()


@pytest.mark.parametrize("mask", [0o077, 0o022, 0o002])
def test_group_shared_corpus_gets_group_rw_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o2775)
    p = mp.get_context("fork").Process(target=_write_with_umask,
                                       args=(str(corpus / ".gloss"), mask))
    p.start()
    p.join(GUARD)
    assert p.exitcode == 0
    seen = 0
    for path in [corpus / ".gloss", *(corpus / ".gloss").rglob("*")]:
        mode = path.stat().st_mode
        if path.is_dir():
            assert mode & safeio.DIR_SHARED == safeio.DIR_SHARED, path
        else:
            assert mode & safeio.GROUP_RW == safeio.GROUP_RW, path
        seen += 1
    assert seen >= 5
    assert check(corpus / ".gloss").ok


def test_private_corpus_keeps_the_umask(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o755)
    p = mp.get_context("fork").Process(target=_write_with_umask,
                                       args=(str(corpus / ".gloss"), 0o077))
    p.start()
    p.join(GUARD)
    assert p.exitcode == 0
    for path in (corpus / ".gloss").rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path
    report = check(corpus / ".gloss")
    assert not report.shared and report.ok
    assert any("Team setup" in line for line in report.lines())


def test_store_fix_repairs_modes_and_removes_traps(tmp_path: Path, victim: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o2775)
    store = AnnotationStore(corpus / ".gloss", fsync=False)
    store.add(ann("doc-a"))
    store.path("doc-a").chmod(0o600)
    (corpus / ".gloss" / "docs").chmod(0o755)
    _plant(corpus / ".gloss" / "index.log", "link", victim)
    report = check(corpus / ".gloss")
    whys = {e.path.name: e.why for e in report.problems}
    assert "cannot read" in whys[store.path("doc-a").name]
    assert "cannot create" in whys["docs"] and "symbolic link" in whys["index.log"]
    after = fix(corpus / ".gloss")
    assert after.ok and len(after.fixed) == 3, after.lines()
    assert victim.exists() and not os.path.lexists(corpus / ".gloss" / "index.log")


# -- the store is never silently private ------------------------------------------------------------
def test_read_only_store_names_owner_mode_and_fix(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    s, _ = open_store(corpus)
    s.add(ann("doc-a"))
    (corpus / ".gloss").chmod(0o555)
    try:
        store, note = open_store(corpus)
        assert store.root == corpus / ".gloss"  # not a private store
        assert note and "mode 0555" in note and "gloss store fix" in note and store.status == note
        with pytest.raises(StoreError, match="gloss store fix"):
            store.add(ann("doc-a", 10))
        assert not (tmp_path / "xdg").exists()
        assert len(store.list("doc-a")) == 1
    finally:
        (corpus / ".gloss").chmod(0o755)


def test_private_fallback_only_without_a_store(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    corpus.chmod(0o555)
    try:
        store, note = open_store(corpus)
        assert store.root.is_relative_to(tmp_path / "xdg")
        assert store.status == note and note and "privately" in note
    finally:
        corpus.chmod(0o755)


def test_planted_store_folder_link_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              victim: Path) -> None:
    monkeypatch.delenv("GLOSS_STORE", raising=False)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / ".gloss").symlink_to(victim.parent)
    with pytest.raises(StoreError, match="not followed"):
        open_store(corpus)
    assert sorted(p.name for p in victim.parent.iterdir()) == [".bashrc"]


# -- links out of the corpus --------------------------------------------------------------------
def test_links_outside_the_corpus_are_listed_not_read(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (private / "secret.txt").write_text("SECRET-PAYROLL words words words. " * 20)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("An ordinary transcript sentence here. " * 20)
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    (corpus / "leak.txt").symlink_to(private / "secret.txt")
    c = Corpus(corpus)
    rows = {i.rel_path: i for i in c.scan(words=True)}
    assert rows["leak.txt"].error == OUTSIDE and rows["inside.txt"].ok
    doc = c.load("leak.txt")
    assert doc.raw == "" and doc.info.error == OUTSIDE
    followed = Corpus(corpus, follow_links=True)
    assert {i.rel_path: i for i in followed.scan()}["leak.txt"].ok


def test_unreadable_index_log_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file: the case needs another user (see test_multiuser)")
    root = tmp_path / "store"
    store = AnnotationStore(root, fsync=False)
    store.add(ann("doc-a"))
    (root / "index.log").chmod(0)
    store.add(ann("doc-a", 10))
    assert AnnotationStore(root).counts() == {"doc-a": 2}


@pytest.mark.parametrize("how", ["link", "fifo"])
def test_traps_in_the_similar_cache(tmp_path: Path, victim: Path, how: str) -> None:
    from annotations.similar.index import PassageIndex
    from annotations.similar.shard import SHARDS, idx_path

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"d{i}.txt").write_text(f"Story {i}: the levee held through the night, "
                                          "officials said on Tuesday. " * 5)
    cache = corpus / ".gloss" / "similar"
    cache.mkdir(parents=True)
    for rel in ["meta.json", *(idx_path(cache, sid).name for sid in range(SHARDS))]:
        _plant(cache / rel, how, victim)
    before = victim.read_bytes()
    c = Corpus(corpus)
    index = no_hang(lambda: PassageIndex.open(c, workers=1))
    assert index.doc_count == 3
    assert victim.read_bytes() == before
    assert no_hang(lambda: PassageIndex.open(Corpus(corpus), workers=1)).doc_count == 3
