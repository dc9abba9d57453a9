"""Low-level file handling for the store: names, reads, atomic writes, locks.

All file IO goes through :mod:`annotations.safeio`: every write is a random
temporary file in the same folder, fsynced, then ``os.replace``-d over the
target (and the folder fsynced), so a reader always sees either the old or the
new complete file; reads never follow links nor wait on FIFOs; files get the
store's shared mode.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from annotations import access, safeio
from annotations.safeio import FolderLock, LockTimeout, Sharing, UnsafeFile
from annotations.store.errors import StoreError

SCHEMA = 1
ANN_TABLE = "annotations"
META_TABLE = "meta"
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another process's lock
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def doc_file_name(doc_key: str) -> str:
    """Safe, unique file name for a document key: readable slug + hash of the key.

    The hash keeps names distinct on case-insensitive file systems and for keys
    that slug to the same text; the slug only helps a human find the file.
    """
    digest = hashlib.sha256(doc_key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    slug = _SLUG.sub("-", doc_key).strip("-")[:48] or "doc"
    return f"{slug}-{digest}.json"


def is_read_only(path: Path) -> bool:
    """True when ``path`` exists and may not be written (mode bits count even for root)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    return not os.access(path, os.W_OK) or not (
        st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    )


def is_protected(path: Path) -> bool:
    """True when the file ``path`` has no write bit at all: someone made it read-only on
    purpose. (A file that is only someone else's is replaced, not written in place:
    what counts then is its folder.)"""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(st.st_mode) and not st.st_mode & 0o222


def check_writable(path: Path) -> None:
    """Raise StoreError when ``path`` (a file or its folder) refuses writes."""
    if is_protected(path):
        raise StoreError(path, "file is read-only; not changed")
    why = access.why_unwritable(path.parent)
    if why is not None:
        raise StoreError(path.parent, f"folder is {why}; annotations cannot be saved")


def atomic_write(
    path: Path, data: bytes, *, fsync: bool = True, sharing: Sharing | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically. The caller holds ``path``'s lock."""
    try:
        safeio.atomic_write(path, data, sharing=sharing, fsync=fsync)
    except OSError as exc:
        raise StoreError(path, f"cannot write: {exc.strerror or exc}") from exc


def dumps(data: Any) -> bytes:
    """Compact ASCII JSON (non-ASCII and lone surrogates escaped: any text round-trips)."""
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def read_json(path: Path) -> Any:
    """Parsed JSON of ``path``; None when missing; StoreError naming the file otherwise."""
    try:
        blob = safeio.read_bytes(path)
    except UnsafeFile as exc:
        raise StoreError(path, exc.reason) from exc
    except OSError as exc:
        raise StoreError(path, f"cannot read: {exc.strerror or exc}") from exc
    if blob is None:
        return None
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

    def __init__(self, path: Path, fsync: bool = True, sharing: Sharing | None = None) -> None:
        self.path = path
        self.fsync = fsync
        self.sharing = sharing
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
        atomic_write(self.path, dumps(data), fsync=self.fsync, sharing=self.sharing)
        self._data = data
        self.dirty = False
        return data


class Lock:
    """Inter-process lock guarding store files: ``flock`` on a store folder (see
    :class:`annotations.safeio.FolderLock`); ``target`` names what it guards."""

    def __init__(self, folder: Path, target: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self._lock = FolderLock(folder, timeout)
        self._target = target
        self._timeout = timeout

    def __enter__(self) -> Lock:
        try:
            self._lock.acquire()
        except LockTimeout as exc:
            raise StoreError(
                self._target, f"busy: another process holds its lock for over {self._timeout:.0f} s"
            ) from exc
        except UnsafeFile as exc:
            raise StoreError(exc.path, exc.reason) from exc
        except OSError as exc:
            raise StoreError(self._lock.folder, f"cannot lock: {exc.strerror or exc}") from exc
        return self

    def try_acquire(self) -> bool:
        try:
            return self._lock.acquire(timeout=0)
        except OSError:
            return False

    def release(self) -> None:
        self._lock.release()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
