"""Cross-document index: per-document summaries (counts, tags, authors, verdicts).

On disk: ``index.json`` (a snapshot) plus ``index.log`` (append-only JSON lines).
A write to a document appends ``{"d": key}`` (dirty) before replacing the
document file and ``{"s": key, "v": summary}`` after it; readers replay the log
over the snapshot, and summarise any document still dirty from its own file, so
a writer killed between the two appends never leaves a stale count behind.
Every record is framed by newlines, so a torn append spoils only itself.

When the log grows past ``COMPACT_BYTES`` a writer folds it into the snapshot.
A missing or unreadable snapshot is rebuilt from the per-document files. The
index is derived data: it is never the only copy of anything.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from annotations import safeio
from annotations.store.errors import StoreError
from annotations.store.files import (
    ANN_TABLE,
    Lock,
    atomic_write,
    doc_file_name,
    doc_key_of,
    dumps,
    read_doc_file,
    read_json,
)

COMPACT_BYTES = 1 << 20
Summary = dict[str, Any]


def summarize(file_name: str, records: Iterable[dict[str, Any]]) -> Summary:
    """Counts for one document from its annotation records."""
    recs = list(records)
    tags = Counter(t for r in recs for t in set(r.get("tags") or ()) if isinstance(t, str))
    authors = Counter(str(r.get("author", "")) for r in recs)
    verdicts = Counter(str(r.get("verdict", "")) for r in recs)
    return {
        "file": file_name,
        "n": len(recs),
        "tags": dict(tags),
        "authors": dict(authors),
        "verdicts": dict(verdicts),
    }


def summarize_file(path: Path) -> tuple[str | None, Summary]:
    """(doc key or None, summary) read from a document file; a bad file gives a problem."""
    try:
        data = read_doc_file(path)
    except StoreError as exc:
        return None, {"file": path.name, "n": 0, "problem": exc.reason}
    return doc_key_of(data), summarize(path.name, ((data or {}).get(ANN_TABLE) or {}).values())


def _token(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Index:
    """Snapshot + log, cached in memory and refreshed incrementally on each read."""

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        lock: Callable[[], Lock],
        doc_lock: Callable[[str], Lock],
        sharing: safeio.Sharing | None = None,
    ) -> None:
        self.sharing = sharing if sharing is not None else safeio.Sharing.for_tree(root)
        self.snapshot = root / "index.json"
        self.log = root / "index.log"
        self.docs_dir = docs_dir
        self._lock = lock  # the index's inter-process lock
        self._doc_lock = doc_lock  # file name -> that document's lock
        self._mutex = threading.Lock()
        self._snap_token: tuple[int, int, int] | None = None
        self._log_ino: int | None = None
        self._log_pos = 0
        self._entries: dict[str, Summary] = {}
        self._problems: dict[str, str] = {}
        self._dirty: set[str] = set()

    # -- writing --------------------------------------------------------------------------
    def append(self, records: list[dict[str, Any]]) -> int:
        """Append records to the log under the index lock; returns the log size after."""
        blob = b"".join(b"\n" + dumps(r) + b"\n" for r in records)
        with self._lock():
            try:
                return safeio.append(self.log, blob, self.sharing)
            except (safeio.UnsafeFile, PermissionError):
                # Not a regular file (a planted link or FIFO), or another user's private
                # log: the log is derived data, so a fresh one replaces the name (never
                # following it) once the snapshot holds everything.
                self._rebuild_locked()
            except OSError as exc:
                raise StoreError(self.log, f"cannot write: {exc.strerror or exc}") from exc
            try:
                return safeio.append(self.log, blob, self.sharing)
            except OSError as exc:
                raise StoreError(self.log, f"cannot write: {exc}") from exc

    def mark_dirty(self, key: str) -> None:
        self.append([{"d": key}])

    def publish(self, items: list[tuple[str, Summary]], *, compact: bool = True) -> bool:
        """Record fresh summaries; fold the log into the snapshot when it has grown
        (``compact=False``: only say whether it should be, for a caller still holding
        a document lock, which would keep that document dirty)."""
        size = self.append([{"s": k, "v": v} for k, v in items])
        if size <= COMPACT_BYTES:
            return False
        if compact:
            self.compact()
        return True

    def compact(self) -> None:
        """Fold the log into a new snapshot; keep dirty marks of writers still running."""
        with self._lock():
            entries, problems, dirty = self._read_all()
            carry = []
            for key in sorted(dirty):
                name = doc_file_name(key)
                lock = self._doc_lock(name)
                if not lock.try_acquire():
                    carry.append(key)  # its writer is still at work: stays dirty
                    continue
                try:
                    _, entries[key] = summarize_file(self.docs_dir / name)
                finally:
                    lock.release()
            self._write(entries, problems, carry)

    def rebuild(self) -> None:
        """Recreate the index from the per-document files."""
        with self._lock():
            self._rebuild_locked()

    def _rebuild_locked(self) -> None:
        entries: dict[str, Summary] = {}
        problems: dict[str, str] = {}
        carry: list[str] = []
        try:
            names = sorted(p.name for p in self.docs_dir.iterdir() if p.suffix == ".json")
        except FileNotFoundError:
            names = []
        for name in names:
            lock = self._doc_lock(name)
            held = lock.try_acquire()
            try:
                key, summary = summarize_file(self.docs_dir / name)
            finally:
                if held:
                    lock.release()
            if key is None:
                if "problem" in summary:
                    problems[name] = summary["problem"]
                continue
            entries[key] = summary
            if not held:
                carry.append(key)
        self._write(entries, problems, carry)

    def _write(
        self, entries: dict[str, Summary], problems: dict[str, str], carry: list[str]
    ) -> None:
        snap = {"schema": 1, "docs": entries, "problems": problems}
        atomic_write(self.snapshot, dumps(snap), sharing=self.sharing)
        log = b"".join(b"\n" + dumps({"d": k}) + b"\n" for k in carry)
        atomic_write(self.log, log, sharing=self.sharing)

    # -- reading --------------------------------------------------------------------------
    def _read_all(self) -> tuple[dict[str, Summary], dict[str, str], set[str]]:
        """Uncached full read (snapshot + log) for compaction; rebuilds a bad snapshot."""
        snap = self._read_snapshot()
        if snap is None:
            self._rebuild_locked()
            snap = read_json(self.snapshot) or {}
        entries = dict(snap.get("docs") or {})
        problems = dict(snap.get("problems") or {})
        dirty: set[str] = set()
        try:
            blob = safeio.read_bytes(self.log) or b""
        except OSError:
            blob = b""  # a link or FIFO at the log's name: replaced by this compaction
        self._replay(blob, entries, dirty)
        return entries, problems, dirty

    @staticmethod
    def _replay(blob: bytes, entries: dict[str, Summary], dirty: set[str]) -> None:
        for line in blob.split(b"\n"):
            if not line:
                continue
            try:
                rec = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                continue  # a torn append from a killed writer
            if not isinstance(rec, dict):
                continue
            if isinstance(rec.get("d"), str):
                dirty.add(rec["d"])
            elif isinstance(rec.get("s"), str) and isinstance(rec.get("v"), dict):
                entries[rec["s"]] = rec["v"]
                dirty.discard(rec["s"])

    def ensure(self) -> None:
        """Create an empty snapshot for a new store (an existing one is left alone)."""
        if os.path.lexists(self.snapshot):
            return
        with self._lock():
            if not os.path.lexists(self.snapshot) and not any(self.docs_dir.glob("*.json")):
                empty = dumps({"schema": 1, "docs": {}, "problems": {}})
                atomic_write(self.snapshot, empty, sharing=self.sharing)

    def _read_snapshot(self) -> dict[str, Any] | None:
        """The snapshot, or None when it is missing, unreadable or not an index."""
        try:
            snap = read_json(self.snapshot)
        except StoreError:
            return None
        return snap if isinstance(snap, dict) else None

    def _load_snapshot(self) -> None:
        snap = self._read_snapshot()
        if snap is None:
            if self.docs_dir.exists() and any(self.docs_dir.iterdir()):
                try:
                    self.rebuild()
                    snap = read_json(self.snapshot)
                except StoreError:  # read-only store: rebuild in memory only
                    snap = None
            if snap is None:
                snap = self._scan_in_memory()
        self._entries = dict(snap.get("docs") or {})
        self._problems = dict(snap.get("problems") or {})
        self._dirty = set()
        self._log_pos = 0
        self._log_ino = None
        self._snap_token = _token(self.snapshot)

    def _scan_in_memory(self) -> dict[str, Any]:
        entries: dict[str, Summary] = {}
        problems: dict[str, str] = {}
        if self.docs_dir.exists():
            for p in sorted(self.docs_dir.glob("*.json")):
                key, summary = summarize_file(p)
                if key is not None:
                    entries[key] = summary
                elif "problem" in summary:
                    problems[p.name] = summary["problem"]
        return {"docs": entries, "problems": problems}

    def _refresh(self) -> None:
        for _ in range(5):
            snap_tok = _token(self.snapshot)
            if snap_tok is None or snap_tok != self._snap_token:
                self._load_snapshot()
                snap_tok = self._snap_token
            try:
                fd: int | None = safeio.open_regular(self.log)
            except OSError:  # missing, or a link/FIFO: nothing to replay
                fd = None
            fh = os.fdopen(fd, "rb") if fd is not None else None
            if fh is not None:
                with fh:
                    st = os.fstat(fh.fileno())
                    if st.st_ino != self._log_ino or st.st_size < self._log_pos:
                        if self._log_pos:  # the log was replaced: start from the snapshot
                            self._load_snapshot()
                            snap_tok = self._snap_token
                        self._log_ino = st.st_ino
                    fh.seek(self._log_pos)
                    blob = fh.read()
                end = blob.rfind(b"\n") + 1  # leave a record still being written
                self._replay(blob[:end], self._entries, self._dirty)
                self._log_pos += end
            if _token(self.snapshot) == snap_tok:
                return
            self._snap_token = None  # compacted under us: read again

    def view(self) -> dict[str, Summary]:
        """Current summary per document key (dirty documents read from their files)."""
        with self._mutex:
            self._refresh()
            out = dict(self._entries)
            dirty = list(self._dirty)
        for key in dirty:
            _, out[key] = summarize_file(self.docs_dir / doc_file_name(key))
        return out

    def problems(self) -> dict[str, str]:
        """File name -> reason for files the index could not read."""
        view = self.view()
        with self._mutex:
            out = dict(self._problems)
        for summary in view.values():
            if "problem" in summary:
                out[summary["file"]] = summary["problem"]
        return out
