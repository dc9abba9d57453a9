"""One shard of the passage index: a group of documents, their passages and postings.

Documents go to shard ``crc32(key) % SHARDS``, so adding or changing a document
only rebuilds its shard. A shard is two files in the cache folder:

``shard-NN.idx``
    ``MAGIC``, a little header (JSON: documents with their fingerprints, the
    sections' type codes and sizes), then raw ``array`` sections, each starting
    on an 8-byte boundary: per document unit/passage ranges, per unit offsets
    (normalised, display, raw) and cue times, per passage its unit range, the
    normalised text (utf-8), the shingle postings: (3-gram hash, unit) pairs
    sorted, as two ``uint32`` arrays ``pk`` (hashes) and ``pu`` (units), and the
    term postings for BM25: (word hash, unit, count) of every word that is not a
    stop word, as ``tk``/``tu`` (``uint32``) and ``tf`` (``uint8``). No pickle: a
    cache found in a shared corpus folder cannot run code.

    The file is memory-mapped, not read: the sections are typed views of the
    mapping (``memoryview.cast``), so every process that opens the index shares
    one copy through the page cache and only touched pages are resident.
``shard-NN-<token>.txt``
    The display text and the edit map of each document, read only for the
    documents a query shows (snippets, ``query_span``).
"""

from __future__ import annotations

import bisect
import json
import mmap
import os
import secrets
import sys
import zlib
from array import array
from collections.abc import Collection
from pathlib import Path
from typing import Any

from annotations import safeio
from annotations.similar.cut import DocData
from annotations.similar.text import KEY_SHIFT

MAGIC = b"GLSIMSH1"
FORMAT = 4
SHARDS = 32

SECTIONS = (
    ("d_u0", "I"), ("d_w0", "I"), ("d_nb", "Q"), ("d_tx", "Q"), ("d_dl", "Q"),
    ("u_n0", "I"), ("u_n1", "I"), ("u_d0", "I"), ("u_d1", "I"), ("u_r0", "I"), ("u_r1", "I"),
    ("u_t0", "d"), ("u_t1", "d"), ("u_nw", "H"), ("w_u0", "I"), ("w_u1", "I"), ("u_wf", "I"), ("u_wl", "I"), ("pk", "I"), ("pu", "I"),
    ("tk", "I"), ("tu", "I"), ("tf", "B"),
)
ALIGN = 8


class ShardError(Exception):
    """A shard file that cannot be used (missing, damaged, other format)."""


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


def idx_path(cache: Path, sid: int) -> Path:
    return cache / f"shard-{sid:02d}.idx"


class Shard:
    """The documents of one shard, loaded in memory except their display texts."""

    # Sections (see SECTIONS), made in __init__; declared here for type checkers. Built:
    # ``array``s; loaded: typed ``memoryview``s of the mapped file (same indexing).
    d_u0: Any
    d_w0: Any
    d_nb: Any
    d_tx: Any
    d_dl: Any
    u_n0: Any
    u_n1: Any
    u_d0: Any
    u_d1: Any
    u_r0: Any
    u_r1: Any
    u_t0: Any
    u_t1: Any
    u_nw: Any
    w_u0: Any
    w_u1: Any
    u_wf: Any
    u_wl: Any
    pk: Any
    pu: Any
    tk: Any
    tu: Any
    tf: Any
    norm: Any  # bytes when built, a memoryview when loaded

    def __init__(self, sid: int) -> None:
        self.sid = sid
        self.docs: list[list] = []  # [key, rel_path, size, mtime_ns, raw_len, error]
        self.text_path: Path | None = None
        self.norm = b""
        for name, code in SECTIONS:
            setattr(self, name, array(code))
        self.d_u0.append(0)
        self.d_w0.append(0)
        self.d_nb.append(0)
        self.d_tx.append(0)
        self.n_words = 0  # words in all units (for BM25's average unit length)
        self.blobs: list[bytes] = []  # display text + edit map per document (built, not saved)
        self._mm: mmap.mmap | None = None
        self._text: bytes | None = None  # the whole text file, when read for a rebuild

    # -- building ---------------------------------------------------------------------
    @classmethod
    def build(cls, sid: int, docs: list[DocData], old: Shard | None = None,
              keep: Collection[str] = ()) -> Shard:
        """Assemble documents (sorted by key) and their postings: the cut ``docs`` and the
        documents ``keep`` of ``old`` (copied, see :mod:`annotations.similar.assemble`)."""
        from annotations.similar.assemble import assemble

        self = cls(sid)
        assemble(self, docs, old, keep)
        return self

    def save(self, cache: Path) -> None:
        """Write the text file, then the index file (atomically). The text file of the
        generation before stays (a reader in another process may still use it); older
        ones are deleted."""
        path = idx_path(cache, self.sid)
        keep = {_text_file_of(path)}
        token = secrets.token_hex(4)
        text_path = cache / f"shard-{self.sid:02d}-{token}.txt"
        sharing = safeio.Sharing.for_tree(cache, levels=2)
        with safeio.atomic_output(text_path, sharing=sharing, fsync=False) as f:
            f.writelines(self.blobs)
        self.text_path = text_path
        sections = [(name, code, getattr(self, name)) for name, code in SECTIONS]
        header = {
            "format": FORMAT, "sid": self.sid, "byteorder": sys.byteorder,
            "text_file": text_path.name, "docs": self.docs, "n_words": self.n_words,
            "sections": [[name, code, len(a) * a.itemsize] for name, code, a in sections]
            + [["norm", "B", len(self.norm)]],
        }
        head = json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass")
        with safeio.atomic_output(path, sharing=sharing, fsync=False) as f:
            f.write(MAGIC + len(head).to_bytes(4, "little") + head)
            f.write(bytes(-(12 + len(head)) % ALIGN))
            for _, _, a in sections:
                a.tofile(f)
                f.write(bytes(-(len(a) * a.itemsize) % ALIGN))
            f.write(self.norm)
        keep.add(text_path.name)
        for old in cache.glob(f"shard-{self.sid:02d}-*.txt"):
            if old.name not in keep:
                old.unlink(missing_ok=True)

    # -- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, cache: Path, sid: int) -> Shard:
        """Map the shard file (read-only, shared); its sections become typed views."""
        path = idx_path(cache, sid)
        try:
            fd = safeio.open_regular(path)  # no link, no FIFO: a regular file or an error
            try:
                mm = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
            finally:
                os.close(fd)
            if hasattr(mm, "madvise") and hasattr(mmap, "MADV_RANDOM"):
                mm.madvise(mmap.MADV_RANDOM)  # no read-ahead: queries touch few pages
        except (OSError, ValueError) as exc:  # ValueError: an empty file
            raise ShardError(f"cannot read {path.name}: {exc}") from exc
        try:
            if mm[:8] != MAGIC:
                raise ShardError(f"{path.name}: not a passage index shard")
            n = int.from_bytes(mm[8:12], "little")
            header = json.loads(mm[12 : 12 + n].decode("utf-8", "surrogatepass"))
            if header.get("format") != FORMAT or header.get("byteorder") != sys.byteorder:
                raise ShardError(f"{path.name}: other format")
            self = cls(sid)
            self._mm = mm
            self.docs = [list(d) for d in header["docs"]]
            self.n_words = int(header.get("n_words", 0))
            self.text_path = cache / header["text_file"]
            view = memoryview(mm)
            pos = 12 + n
            pos += -pos % ALIGN
            for name, code, size in header["sections"]:
                if pos + size > len(mm):
                    raise ShardError(f"{path.name}: truncated")
                chunk = view[pos : pos + size]
                pos += size
                if name == "norm":
                    setattr(self, name, chunk)
                else:
                    pos += -size % ALIGN
                    setattr(self, name, chunk.cast(code))
            if pos != len(mm) or len(self.d_u0) != len(self.docs) + 1:
                raise ShardError(f"{path.name}: damaged")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise ShardError(f"{path.name}: damaged ({exc})") from exc
        return self

    # -- reading -----------------------------------------------------------------------
    def read_text(self, d: int) -> tuple[str, array]:
        """Display text and edit map of local document ``d``."""
        if self.text_path is None:
            raise ShardError("shard has no text file")
        start, end = self.d_tx[d], self.d_tx[d + 1]
        try:
            with safeio.open_read(self.text_path) as f:
                f.seek(start)
                blob = f.read(end - start)
        except ShardError:
            raise
        except OSError as exc:
            raise ShardError(f"cannot read {self.text_path.name}: {exc}") from exc
        if len(blob) != end - start:
            raise ShardError(f"{self.text_path.name}: truncated")
        dl = self.d_dl[d]
        edits = array("I")
        edits.frombytes(blob[dl:])
        return blob[:dl].decode("utf-8", "surrogatepass"), edits

    def text_blob(self, d: int) -> bytes:
        """Display text and edit map of local document ``d`` as stored (for a rebuild: the
        text file is read once)."""
        if self._text is None:
            if self.text_path is None:
                raise ShardError("shard has no text file")
            try:
                with safeio.open_read(self.text_path) as f:
                    self._text = f.read()
            except OSError as exc:
                raise ShardError(f"cannot read {self.text_path.name}: {exc}") from exc
            if len(self._text) != self.d_tx[len(self.docs)]:
                raise ShardError(f"{self.text_path.name}: truncated")
        return self._text[self.d_tx[d] : self.d_tx[d + 1]]

    def release(self) -> None:
        """Unmap the pages this process touched (they stay in the shared page cache, a
        later access maps them again): what a query read does not stay in the RSS."""
        mm = self._mm
        if mm is not None and hasattr(mmap, "MADV_DONTNEED"):
            try:
                mm.madvise(mmap.MADV_DONTNEED)
            except (OSError, ValueError):
                pass

    def lookup_term(self, h: int) -> tuple[int, int]:
        """Term posting range ``[a, b)`` (in ``tk``/``tu``/``tf``) of a word hash."""
        tk = self.tk
        a = bisect.bisect_left(tk, h)
        return a, bisect.bisect_right(tk, h, a)

    def unit_tokens(self, u: int) -> list[str]:
        """Normalised words of local unit ``u``."""
        return str(self.norm[self.u_n0[u] : self.u_n1[u]], "utf-8", "surrogatepass").split(" ")

    def lookup(self, key: int) -> tuple[int, int]:
        """Posting range ``[a, b)`` (in ``pk``/``pu``) of a shingle key (``hash << KEY_SHIFT``)."""
        h = key >> KEY_SHIFT
        pk = self.pk
        a = bisect.bisect_left(pk, h)
        b = bisect.bisect_right(pk, h, a)
        return a, b

    def doc_of_unit(self, u: int) -> int:
        return bisect.bisect_right(self.d_u0, u) - 1

    def units_norm(self, u0: int, u1: int) -> str:
        """Normalised text of local units ``[u0, u1)`` (of one document)."""
        return str(self.norm[self.u_n0[u0] : self.u_n1[u1 - 1]], "utf-8", "surrogatepass")

    def units_times(self, u0: int, u1: int) -> tuple[float | None, float | None]:
        a, b = self.u_t0[u0], self.u_t1[u1 - 1]
        return (None if a != a else a, None if b != b else b)

    def window_norm(self, w: int) -> str:
        return self.units_norm(self.w_u0[w], self.w_u1[w])

    def window_raw(self, w: int) -> tuple[int, int]:
        return self.u_r0[self.w_u0[w]], self.u_r1[self.w_u1[w] - 1]

    def window_display(self, w: int) -> tuple[int, int]:
        return self.u_d0[self.w_u0[w]], self.u_d1[self.w_u1[w] - 1]

    def window_times(self, w: int) -> tuple[float | None, float | None]:
        return self.units_times(self.w_u0[w], self.w_u1[w])

    def windows_with_unit(self, u: int) -> range:
        """Local passages that contain local unit ``u`` (they are consecutive)."""
        return range(self.u_wf[u], self.u_wl[u])


def _text_file_of(path: Path) -> str | None:
    """Name of the text file an index file refers to (None: no readable index file)."""
    try:
        with safeio.open_read(path) as f:
            head = f.read(12)
            if not head.startswith(MAGIC):
                return None
            n = int.from_bytes(head[8:12], "little")
            return str(json.loads(f.read(n).decode("utf-8", "surrogatepass")).get("text_file"))
    except (OSError, ValueError, AttributeError):
        return None
