"""Low-level file handling for the store: names, reads, atomic writes, locks.

Every write goes to ``<name>.tmp`` in the same folder (the caller holds the
file's inter-process lock, so the temporary name can be fixed), is flushed
and fsynced, then ``os.replace``-d over the target and the folder is fsynced.
A reader therefore always sees either the old or the new complete file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb.storages import Storage

from annotations.store.errors import StoreError

SCHEMA = 1
ANN_TABLE = "annotations"
META_TABLE = "meta"
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another process's lock
POLL = 0.002  # seconds between lock attempts (filelock's default 50 ms idles the disk)
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def doc_file_name(doc_key: str) -> str:
    """Safe, unique file name for a document key: readable slug + hash of the key.

    The hash keeps names distinct on case-insensitive file systems and for keys
    that slug to the same text; the slug only helps a human find the file.
    """
    digest = hashlib.sha256(doc_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    slug = _SLUG.sub("-", doc_key).strip("-")[:48] or "doc"
    return f"{slug}-{digest}.json"


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_read_only(path: Path) -> bool:
    """True when ``path`` exists and may not be written (mode bits count even for root)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    return not os.access(path, os.W_OK) or not (
        st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    )


def check_writable(path: Path) -> None:
    """Raise StoreError when ``path`` (a file or its folder) refuses writes."""
    if is_read_only(path):
        raise StoreError(path, "file is read-only; not changed")
    if is_read_only(path.parent):
        raise StoreError(path.parent, "folder is read-only; annotations cannot be saved")


def atomic_write(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically. The caller holds ``path``'s lock."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreError(path, f"cannot write: {exc.strerror or exc}") from exc
    if fsync:
        fsync_dir(path.parent)


def dumps(data: Any) -> bytes:
    """Compact ASCII JSON (non-ASCII and lone surrogates escaped: any text round-trips)."""
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def read_json(path: Path) -> Any:
    """Parsed JSON of ``path``; None when missing; StoreError naming the file otherwise."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        return json.loads(blob.decode("utf-8", "surrogatepass"))
    except UnicodeDecodeError as exc:
        raise StoreError(path, f"not UTF-8 text (byte {exc.start}); file left untouched") from exc
    except json.JSONDecodeError as exc:
        raise StoreError(
            path, f"corrupt JSON at line {exc.lineno} column {exc.colno}; file left untouched"
        ) from exc


_REQUIRED = {"id": str, "doc_key": str, "raw_start": int, "raw_end": int, "quote": str}


def check_record(path: Path, doc_id: str, rec: Any) -> dict[str, Any]:
    """``rec`` when it has the fields every annotation needs; StoreError naming the file."""
    if not isinstance(rec, dict) or any(type(rec.get(k)) is not t for k, t in _REQUIRED.items()):
        raise StoreError(path, f"record {doc_id} is malformed; file left untouched")
    return rec


def read_doc_file(path: Path) -> dict[str, Any] | None:
    """The TinyDB tables of one document file, checked for shape; None when missing.

    Records are checked cheaply here (a dict with a text ``id``); readers check
    every field when they turn records into annotations.
    """
    data = read_json(path)
    if data is None:
        return None
    table = data.get(ANN_TABLE, {}) if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise StoreError(path, "not a gloss annotation file; file left untouched")
    for doc_id, rec in table.items():
        if type(rec) is not dict or type(rec.get("id")) is not str:
            raise StoreError(path, f"record {doc_id} is malformed; file left untouched")
    return data


def doc_key_of(data: dict[str, Any] | None) -> str | None:
    """The document key recorded in a document file's meta table."""
    if not data:
        return None
    for rec in (data.get(META_TABLE) or {}).values():
        if isinstance(rec, dict) and isinstance(rec.get("doc_key"), str):
            return rec["doc_key"]
    for rec in (data.get(ANN_TABLE) or {}).values():
        return rec["doc_key"]
    return None


class DocStorage(Storage):
    """TinyDB storage over one document file: read once per operation, write once.

    A fresh TinyDB with this storage is opened for every store operation (under
    the document's lock when writing), so no TinyDB query cache ever outlives
    the operation, and another process's write is always seen. ``write`` only
    buffers; the store calls ``flush`` once at the end of the operation, so an
    operation that changes many records costs one atomic replace.
    """

    def __init__(self, path: Path, fsync: bool = True) -> None:
        self.path = path
        self.fsync = fsync
        self.dirty = False
        self._data: dict[str, Any] | None = None
        self._loaded = False

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._data = read_doc_file(self.path)
            self._loaded = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._data = data
        self._loaded = True
        self.dirty = True

    def flush(self, doc_key: str) -> dict[str, Any]:
        """Write the buffered tables (with the meta record naming the key); returns them."""
        data = dict(self._data or {})
        data[META_TABLE] = {"1": {"doc_key": doc_key, "schema": SCHEMA}}
        atomic_write(self.path, dumps(data), fsync=self.fsync)
        self._data = data
        self.dirty = False
        return data


class Lock:
    """Inter-process lock on one store file (flock on ``locks/<name>.lock``)."""

    def __init__(self, lock_path: Path, target: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self._lock = FileLock(str(lock_path), timeout=timeout, poll_interval=POLL)
        self._target = target
        self._timeout = timeout

    def __enter__(self) -> Lock:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise StoreError(
                self._target, f"busy: another process holds its lock for over {self._timeout:.0f} s"
            ) from exc
        except OSError as exc:
            raise StoreError(self._lock.lock_file, f"cannot lock: {exc.strerror or exc}") from exc
        return self

    def try_acquire(self) -> bool:
        try:
            self._lock.acquire(timeout=0)
        except (Timeout, OSError):
            return False
        return True

    def release(self) -> None:
        self._lock.release()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
