"""AnnotationStore: one TinyDB JSON file per document, locked and atomically replaced.

Layout under the store folder (``<corpus>/.gloss`` by default)::

    docs/<slug>-<sha256(key)[:16]>.json   TinyDB file: tables "annotations" and "meta"
    index.json, index.log                  cross-document summaries (see index.py)
    config.json                            optional: {"verdicts": [...]}

A write locks the store's ``docs`` folder (flock on the folder itself: there
are no lock files to delete or plant), re-reads the document file, changes it
through a fresh TinyDB, and replaces it atomically; it costs that document's
annotations only. A file that cannot be read (or is a link, FIFO…) is never
written: writes to it raise StoreError naming the file, reads of other
documents go on working. In a group-shared corpus folder every file and folder
gets group read/write whatever the writer's umask (:mod:`annotations.safeio`).

A write reports success exactly when the document file is durably replaced:
index housekeeping after it (log append, compaction) that fails is recorded in
``housekeeping`` and never turns a stored annotation into an error.
"""

from __future__ import annotations

import builtins
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from annotations import access, safeio
from annotations.annotation import DEFAULT_VERDICTS, Annotation, now_iso, same_content
from annotations.store.errors import AnnotationNotFound, InvalidAnnotation, StoreError
from annotations.store.files import (
    ANN_TABLE,
    DocStorage,
    Lock,
    check_record,
    check_writable,
    doc_file_name,
    is_read_only,
    read_doc_file,
    read_json,
)
from annotations.store.index import Index, Summary, summarize

VersionToken = tuple[int, int, int] | None
_STR_FIELDS = (
    "id",
    "doc_key",
    "quote",
    "prefix",
    "suffix",
    "doc_hash",
    "color",
    "note",
    "verdict",
    "author",
    "created",
    "updated",
    "imported_by",
    "imported_at",
)



@dataclass(slots=True)
class MergeResult:
    """What ``merge`` did: new ids, newer copies taken, older copies refused, same."""

    added: int = 0
    updated: int = 0
    conflicts: int = 0  # the stored copy is as new or newer and differs: kept
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.conflicts + self.unchanged


_FIELDS = tuple(f for f in Annotation.__dataclass_fields__ if f != "orphan")


def validate(ann: Annotation, where: Callable[[], Path]) -> dict[str, Any]:
    """The record to store for ``ann``; InvalidAnnotation naming the file when it is bad."""

    def bad(why: str) -> InvalidAnnotation:
        return InvalidAnnotation(where(), f"annotation {getattr(ann, 'id', '?')!r}: {why}")

    if not isinstance(ann, Annotation):
        raise bad(f"not an Annotation: {type(ann).__name__}")
    rec = {name: getattr(ann, name) for name in _FIELDS}
    for name in _STR_FIELDS:
        if type(rec[name]) is not str:
            raise bad(f"{name} must be text")
    if not ann.id or not ann.doc_key:
        raise bad("id and doc_key must not be empty")
    for name in ("raw_start", "raw_end"):
        v = rec[name]
        if type(v) is not int or v < 0:
            raise bad(f"{name} must be a non-negative integer")
    if ann.raw_end < ann.raw_start:
        raise bad("raw_end is before raw_start")
    tags = rec["tags"]
    if not isinstance(tags, list) or not all(type(t) is str for t in tags):
        raise bad("tags must be a list of text")
    rec["tags"] = list(tags)
    for name in ("time_start", "time_end"):
        v = rec[name]
        if v is not None and (type(v) not in (int, float) or not math.isfinite(v)):
            raise bad(f"{name} must be a number or null")
    return rec


def _to_ann(rec: dict[str, Any], path: Path | None = None) -> Annotation:
    """An Annotation from a stored record; StoreError naming the file when malformed."""
    where = path if path is not None else Path("?")
    check_record(where, str(rec.get("id")), rec)
    try:
        ann = Annotation.from_dict(dict(rec))
    except TypeError as exc:
        raise StoreError(where, f"record {rec.get('id')!r} is malformed: {exc}") from exc
    ann.tags = list(ann.tags) if isinstance(ann.tags, list) else []
    return ann


def _order(ann: Annotation) -> tuple[int, int, str, str]:
    return (ann.raw_start, ann.raw_end, ann.created, ann.id)


_ID = Query().id


class AnnotationStore:
    """Annotations of a corpus. Safe across threads and processes; see module docstring."""

    def __init__(self, root: Path, *, fsync: bool = True) -> None:
        self.root = Path(root)
        self.docs_dir = self.root / "docs"
        self.fsync = fsync
        self.sharing = safeio.Sharing.for_tree(self.root)
        # One line for the app header / CLI: why writes are refused, or where the store is.
        self.status: str | None = None
        self.housekeeping: str | None = None  # last index upkeep that failed after a write
        self.read_only = is_read_only(self.root)
        if not self.read_only:
            try:
                safeio.make_dirs(self.docs_dir, self.sharing)
            except OSError as exc:
                raise StoreError(self.root, f"cannot create store folders: {exc}") from exc
        self.refusal = self._refusal()
        if self.refusal:
            self.read_only = True
            self.status = self.refusal
        self.index = Index(self.root, self.docs_dir, self._index_lock, self._lock_for,
                           self.sharing)
        if not self.read_only and not is_read_only(self.docs_dir):
            try:
                self.index.ensure()
            except StoreError:
                pass  # reads still work; writes will say why
        self._problems: dict[str, tuple[VersionToken, str | None]] = {}
        self._mutex = threading.Lock()
        self.skipped: list[str] = []  # files iter_all could not read (one line each)

    # -- files --------------------------------------------------------------------------------
    def path(self, doc_key: str) -> Path:
        """The TinyDB file holding ``doc_key``'s annotations (may not exist yet)."""
        return self.docs_dir / doc_file_name(doc_key)

    def _refusal(self) -> str | None:
        """Why this user may not write the store (owner, mode, fix), or None."""
        self._refusal_error: StoreError | None = None
        for folder in (self.root, self.docs_dir):
            if not folder.exists() and folder is self.docs_dir:
                continue
            why = access.why_unwritable(folder)
            if why is not None:
                self._refusal_error = StoreError(folder, f"{why}; annotations cannot be saved")
                return f"Annotations are read-only: {folder} is {why}"
        return None

    def _lock_for(self, file_name: str) -> Lock:
        """The lock of a document file (one flock on the docs folder guards them all)."""
        return Lock(self.docs_dir, self.docs_dir / file_name)

    def _index_lock(self) -> Lock:
        return Lock(self.root, self.root / "index.json")

    @property
    def verdicts(self) -> tuple[str, ...]:
        """Verdicts offered: ``config.json`` {"verdicts": [...]}, else the default set."""
        try:
            cfg = read_json(self.root / "config.json")
        except StoreError:
            cfg = None
        got = cfg.get("verdicts") if isinstance(cfg, dict) else None
        if isinstance(got, list) and got and all(isinstance(v, str) for v in got):
            return tuple(got)
        return DEFAULT_VERDICTS

    def version(self, doc_key: str) -> VersionToken:
        """Cheap change token for a document's annotations (poll it to spot other writers)."""
        try:
            st = self.path(doc_key).lstat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def problem(self, doc_key: str) -> str | None:
        """One line naming the file when this document's annotations cannot be changed."""
        token = self.version(doc_key)
        with self._mutex:
            cached = self._problems.get(doc_key)
        if cached is not None and cached[0] == token and token is not None:
            return cached[1]
        path = self.path(doc_key)
        why: str | None = None
        try:
            read_doc_file(path)
            self._check_store()
            check_writable(path)
        except StoreError as exc:
            why = str(exc)
        with self._mutex:
            self._problems[doc_key] = (token, why)
        return why

    # -- reading --------------------------------------------------------------------------------
    def _records(self, doc_key: str) -> list[dict[str, Any]]:
        db = TinyDB(self.path(doc_key), storage=DocStorage)
        return list(db.table(ANN_TABLE, cache_size=0).all())

    def list(self, doc_key: str) -> list[Annotation]:
        """The document's annotations in text order (stored offsets; see anchor.anchor_all)."""
        path = self.path(doc_key)
        return sorted((_to_ann(r, path) for r in self._records(doc_key)), key=_order)

    def get(self, doc_key: str, ann_id: str) -> Annotation | None:
        db = TinyDB(self.path(doc_key), storage=DocStorage)
        rec = db.table(ANN_TABLE, cache_size=0).get(_ID == ann_id)
        return _to_ann(rec, self.path(doc_key)) if isinstance(rec, dict) else None

    def _view(self) -> dict[str, Summary]:
        return self.index.view()

    def counts(self) -> dict[str, int]:
        """Annotations per document key (documents with none are left out)."""
        return {k: int(v.get("n", 0)) for k, v in self._view().items() if v.get("n")}

    def _sum(self, field: str) -> dict[str, int]:
        total: Counter[str] = Counter()
        for summary in self._view().values():
            total.update(summary.get(field) or {})
        return dict(total)

    def tag_counts(self) -> dict[str, int]:
        return self._sum("tags")

    def author_counts(self) -> dict[str, int]:
        return self._sum("authors")

    def verdict_counts(self) -> dict[str, int]:
        return self._sum("verdicts")

    def doc_keys(self) -> builtins.list[str]:  # `list` is a method of this class
        """Keys of documents holding annotations, sorted."""
        return sorted(self.counts())

    def problems(self) -> dict[str, str]:
        """Store file name -> reason, for every file the index could not read."""
        return self.index.problems()

    def iter_all(self) -> Iterator[Annotation]:
        """Every annotation, document by document (sorted keys), each in text order.

        Streams one document file at a time. Unreadable files are skipped and
        listed in ``self.skipped``.
        """
        self.skipped = []
        for key in self.doc_keys():
            try:
                anns = self.list(key)
            except StoreError as exc:
                self.skipped.append(str(exc))
                continue
            yield from anns

    def __len__(self) -> int:
        return sum(self.counts().values())

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def _txn(self, doc_key: str, *, fsync: bool | None = None) -> Iterator[Table]:
        """Lock the document file, re-read it, yield its table; write once if changed."""
        path = self.path(doc_key)
        self._check_store()
        check_writable(path)
        compact = False
        with self._lock_for(path.name):
            storage_fsync = self.fsync if fsync is None else fsync
            db = TinyDB(path, storage=DocStorage, fsync=storage_fsync, sharing=self.sharing)
            storage: DocStorage = db.storage  # type: ignore[assignment]
            storage.read()  # fresh under the lock; raises StoreError for a bad file
            yield db.table(ANN_TABLE, cache_size=0)
            if storage.dirty:
                self.index.mark_dirty(doc_key)
                data = storage.flush(doc_key)  # from here on the annotation is stored
                summary = summarize(path.name, (data.get(ANN_TABLE) or {}).values())
                try:
                    compact = self.index.publish([(doc_key, summary)], compact=False)
                    self.housekeeping = None
                except (StoreError, OSError) as exc:  # disk full…
                    self.housekeeping = f"index not updated (rebuilt on next read): {exc}"
        if compact:  # after the document lock: compaction reads every dirty document
            try:
                self.index.compact()
            except (StoreError, OSError) as exc:
                self.housekeeping = f"index not compacted (done by a later write): {exc}"

    def _check_store(self) -> None:
        if self.refusal:
            self.refusal = self._refusal()  # fixed meanwhile (gloss store fix)?
            if self.refusal is None:
                self.read_only = is_read_only(self.root)
                self.status = None
        if self.refusal:
            raise self._refusal_error or StoreError(self.root, self.refusal)
        if self.read_only:
            raise StoreError(self.root, "store folder is read-only; annotations cannot be saved")

    def add(self, ann: Annotation) -> Annotation:
        """Store a new annotation; returns the stored copy."""
        rec = validate(ann, lambda: self.path(ann.doc_key))
        with self._txn(ann.doc_key) as table:
            if any(r.get("id") == ann.id for r in _raw_rows(table)):
                raise InvalidAnnotation(self.path(ann.doc_key), f"annotation {ann.id!r} exists")
            table.insert(rec)
        return _to_ann(rec)

    def update(self, ann: Annotation) -> Annotation:
        """Replace a stored annotation (same doc and id); bumps ``updated``."""
        rec = validate(ann, lambda: self.path(ann.doc_key))
        rec["updated"] = now_iso()
        with self._txn(ann.doc_key) as table:
            if not table.update(_replace(rec), _ID == ann.id):
                raise AnnotationNotFound(
                    self.path(ann.doc_key), f"annotation {ann.id!r} is not stored (deleted?)"
                )
        return _to_ann(rec)

    def delete(self, doc_key: str, ann_id: str) -> bool:
        """Remove an annotation; False when it was not there."""
        with self._txn(doc_key) as table:
            if not any(r.get("id") == ann_id for r in _raw_rows(table)):
                return False  # TinyDB would rewrite the file all the same
            return bool(table.remove(_ID == ann_id))

    def restore(self, ann: Annotation) -> Annotation:
        """Put back an annotation as it was (undo of delete or edit); bumps ``updated``."""
        rec = validate(ann, lambda: self.path(ann.doc_key))
        rec["updated"] = now_iso()
        with self._txn(ann.doc_key) as table:
            if not table.update(_replace(rec), _ID == ann.id):
                table.insert(rec)
        return _to_ann(rec)

    def rename_tag(self, old: str, new: str) -> int:
        """Rename tag ``old`` to ``new`` everywhere (merging when ``new`` exists).

        Returns the number of annotations changed. Every file concerned is
        checked first, so a read-only or corrupt one stops the rename before
        anything is written.
        """
        new = new.strip()
        if not new or new == old:
            return 0
        keys = [k for k, v in self._view().items() if old in (v.get("tags") or {})]
        for key in keys:
            self._preflight(key)
        stamp = now_iso()

        def change(rec: MutableMapping[Any, Any]) -> None:
            tags = [new if t == old else t for t in rec.get("tags") or []]
            rec["tags"] = list(dict.fromkeys(tags))
            rec["updated"] = stamp

        has_old = Query().tags.test(lambda ts: isinstance(ts, list) and old in ts)
        changed = 0
        for key in keys:
            with self._txn(key) as table:
                changed += len(table.update(change, has_old))
        return changed

    def _preflight(self, doc_key: str) -> None:
        path = self.path(doc_key)
        self._check_store()
        check_writable(path)
        read_doc_file(path)

    def merge(self, anns: Iterable[Annotation], *, fsync: bool | None = None) -> MergeResult:
        """Upsert by id; the newer ``updated`` wins. Used by import.

        All records are validated and every target file checked before the
        first write; after that documents are written one by one (a disk that
        fails half-way leaves the documents already written in place).
        """
        by_doc: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for ann in anns:
            rec = validate(ann, partial(self.path, str(getattr(ann, "doc_key", "?"))))
            prev = by_doc[ann.doc_key].get(ann.id)
            if prev is None or rec["updated"] >= prev["updated"]:
                by_doc[ann.doc_key][ann.id] = rec
        for key in by_doc:
            self._preflight(key)
        result = MergeResult()
        for key, incoming in by_doc.items():
            with self._txn(key, fsync=fsync) as table:
                _merge_table(table, incoming, result)
        return result

    def bulk_load(self, anns: Iterable[Annotation]) -> MergeResult:
        """Fast population (benchmarks, big imports): merge without per-file fsync."""
        return self.merge(anns, fsync=False)

    def rebuild_index(self) -> None:
        self.index.rebuild()


def _raw_rows(table: Table) -> Iterable[dict[str, Any]]:
    """The table's stored records without TinyDB's per-document conversion."""
    data = table.storage.read() or {}
    return (data.get(ANN_TABLE) or {}).values()


def _replace(rec: dict[str, Any]) -> Callable[[MutableMapping[Any, Any]], None]:
    def apply(doc: MutableMapping[Any, Any]) -> None:
        doc.clear()
        doc.update(rec)

    return apply


def _merge_table(table: Table, incoming: dict[str, dict[str, Any]], result: MergeResult) -> None:
    rows = table.all()
    stored = {rec["id"]: rec.doc_id for rec in rows}
    current = {rec["id"]: dict(rec) for rec in rows}
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[Callable[[MutableMapping[Any, Any]], None], list[int]]] = []
    for ann_id, rec in incoming.items():
        have = current.get(ann_id)
        if have is None:
            inserts.append(rec)
            result.added += 1
        elif same_content(have, rec):
            result.unchanged += 1
        elif rec["updated"] > str(have.get("updated", "")):
            updates.append((_replace(rec), [stored[ann_id]]))
            result.updated += 1
        else:
            result.conflicts += 1
    for fn, ids in updates:
        table.update(fn, doc_ids=ids)
    if inserts:
        table.insert_multiple(inserts)
