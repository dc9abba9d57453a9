"""One shard of the passage index: a group of documents, their passages and postings.

Documents go to shard ``crc32(key) % SHARDS``, so adding or changing a document
only rebuilds its shard. A shard is two files in the cache folder:

``shard-NN.idx``
    ``MAGIC``, a little header (JSON: documents with their fingerprints, the
    sections' type codes and sizes), then raw ``array`` sections: per document
    unit/passage ranges, per unit offsets (normalised, display, raw) and cue
    times, per passage its unit range, the normalised text (utf-8) and the
    postings: (shingle hash, unit) pairs sorted, as two ``uint32`` arrays ``pk``
    (hashes) and ``pu`` (units). No pickle: a cache found in a shared corpus
    folder cannot run code.
``shard-NN-<token>.txt``
    The display text and the edit map of each document, read only for the
    documents a query shows (snippets, ``query_span``).
"""

from __future__ import annotations

import bisect
import json
import secrets
import sys
import zlib
from array import array
from operator import or_
from pathlib import Path

from annotations import safeio
from annotations.similar.cut import DocData
from annotations.similar.text import KEY_SHIFT, Hasher

MAGIC = b"GLSIMSH1"
FORMAT = 3
SHARDS = 32
UNIT_BITS = KEY_SHIFT
UNIT_MASK = (1 << UNIT_BITS) - 1

_SECTIONS = (
    ("d_u0", "I"), ("d_w0", "I"), ("d_nb", "Q"), ("d_tx", "Q"), ("d_dl", "Q"),
    ("u_n0", "I"), ("u_n1", "I"), ("u_d0", "I"), ("u_d1", "I"), ("u_r0", "I"), ("u_r1", "I"),
    ("u_t0", "d"), ("u_t1", "d"), ("u_nw", "H"), ("w_u0", "I"), ("w_u1", "I"), ("u_wf", "I"), ("u_wl", "I"), ("pk", "I"), ("pu", "I"),
)


class ShardError(Exception):
    """A shard file that cannot be used (missing, damaged, other format)."""


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


def idx_path(cache: Path, sid: int) -> Path:
    return cache / f"shard-{sid:02d}.idx"


class Shard:
    """The documents of one shard, loaded in memory except their display texts."""

    # Sections (see _SECTIONS), made in __init__; declared here for type checkers.
    d_u0: array[int]
    d_w0: array[int]
    d_nb: array[int]
    d_tx: array[int]
    d_dl: array[int]
    u_n0: array[int]
    u_n1: array[int]
    u_d0: array[int]
    u_d1: array[int]
    u_r0: array[int]
    u_r1: array[int]
    u_t0: array[float]
    u_t1: array[float]
    u_nw: array[int]
    w_u0: array[int]
    w_u1: array[int]
    u_wf: array[int]
    u_wl: array[int]
    pk: array[int]
    pu: array[int]

    def __init__(self, sid: int) -> None:
        self.sid = sid
        self.docs: list[list] = []  # [key, rel_path, size, mtime_ns, raw_len, error]
        self.text_path: Path | None = None
        self.norm = b""
        for name, code in _SECTIONS:
            setattr(self, name, array(code))
        self.d_u0.append(0)
        self.d_w0.append(0)
        self.d_nb.append(0)
        self.d_tx.append(0)

    # -- building ---------------------------------------------------------------------
    @classmethod
    def build(cls, sid: int, docs: list[DocData]) -> Shard:
        """Assemble documents (sorted by key) and their postings."""
        self = cls(sid)
        hasher = Hasher()
        combo: list[int] = []
        norms: list[bytes] = []
        nb = 0
        tx = 0
        for doc in sorted(docs, key=lambda d: d.key):
            ubase = len(self.u_n0)
            self.docs.append([doc.key, doc.rel_path, doc.size, doc.mtime_ns, doc.raw_len, doc.error])
            self.u_n0.extend(x + nb for x in doc.u_n0)
            self.u_n1.extend(x + nb for x in doc.u_n1)
            for name in ("u_d0", "u_d1", "u_r0", "u_r1", "u_t0", "u_t1", "u_nw"):
                getattr(self, name).extend(getattr(doc, name))
            self.w_u0.extend(x + ubase for x in doc.w_u0)
            self.w_u1.extend(x + ubase for x in doc.w_u1)
            norms.append(doc.norm)
            nb += len(doc.norm)
            self.d_u0.append(len(self.u_n0))
            self.d_w0.append(len(self.w_u0))
            self.d_nb.append(nb)
            dl = len(doc.display.encode("utf-8", "surrogatepass"))
            self.d_dl.append(dl)
            tx += dl + 4 * len(doc.edits)
            self.d_tx.append(tx)
            combo.extend(_postings(hasher, doc, ubase))
        if len(self.u_n0) > UNIT_MASK or nb >= 1 << 32:
            raise ShardError(f"shard {sid} is too large for the index format")
        self.norm = b"".join(norms)
        self.u_wf, self.u_wl = _unit_windows(len(self.u_n0), self.w_u0, self.w_u1)
        combo.sort()
        self.pk = array("I", [c >> UNIT_BITS for c in combo])
        self.pu = array("I", [c & UNIT_MASK for c in combo])
        return self

    def save(self, cache: Path, docs: list[DocData]) -> None:
        """Write the text file, then the index file (atomically). The text file of the
        generation before stays (a reader in another process may still use it); older
        ones are deleted."""
        path = idx_path(cache, self.sid)
        keep = {_text_file_of(path)}
        token = secrets.token_hex(4)
        text_path = cache / f"shard-{self.sid:02d}-{token}.txt"
        sharing = safeio.Sharing.for_tree(cache, levels=2)
        by_key = {d.key: d for d in docs}
        with safeio.atomic_output(text_path, sharing=sharing, fsync=False) as f:
            for entry in self.docs:
                d = by_key[entry[0]]
                f.write(d.display.encode("utf-8", "surrogatepass"))
                f.write(d.edits.tobytes())
        self.text_path = text_path
        sections = [(name, code, getattr(self, name)) for name, code in _SECTIONS]
        header = {
            "format": FORMAT, "sid": self.sid, "byteorder": sys.byteorder,
            "text_file": text_path.name, "docs": self.docs,
            "sections": [[name, code, len(a) * a.itemsize] for name, code, a in sections]
            + [["norm", "B", len(self.norm)]],
        }
        head = json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass")
        with safeio.atomic_output(path, sharing=sharing, fsync=False) as f:
            f.write(MAGIC + len(head).to_bytes(4, "little") + head)
            for _, _, a in sections:
                a.tofile(f)
            f.write(self.norm)
        keep.add(text_path.name)
        for old in cache.glob(f"shard-{self.sid:02d}-*.txt"):
            if old.name not in keep:
                old.unlink(missing_ok=True)

    # -- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, cache: Path, sid: int) -> Shard:
        path = idx_path(cache, sid)
        try:
            data = safeio.read_bytes(path)
        except OSError as exc:
            raise ShardError(f"cannot read {path.name}: {exc}") from exc
        if data is None:
            raise ShardError(f"cannot read {path.name}: missing")
        try:
            if not data.startswith(MAGIC):
                raise ShardError(f"{path.name}: not a passage index shard")
            n = int.from_bytes(data[8:12], "little")
            header = json.loads(data[12 : 12 + n].decode("utf-8", "surrogatepass"))
            if header.get("format") != FORMAT or header.get("byteorder") != sys.byteorder:
                raise ShardError(f"{path.name}: other format")
            self = cls(sid)
            self.docs = [list(d) for d in header["docs"]]
            self.text_path = cache / header["text_file"]
            view = memoryview(data)
            pos = 12 + n
            for name, code, size in header["sections"]:
                chunk = view[pos : pos + size]
                pos += size
                if code == "B":
                    setattr(self, name, bytes(chunk))
                else:
                    a = array(code)
                    a.frombytes(chunk)
                    setattr(self, name, a)
            if pos != len(data) or len(self.d_u0) != len(self.docs) + 1:
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

    def doc_data(self, d: int) -> DocData:
        """Document ``d`` as it was cut (to rebuild the shard without re-cutting it)."""
        key, rel, size, mtime_ns, raw_len, error = self.docs[d]
        display, edits = self.read_text(d)
        u0, u1 = self.d_u0[d], self.d_u0[d + 1]
        w0, w1 = self.d_w0[d], self.d_w0[d + 1]
        nb0, nb1 = self.d_nb[d], self.d_nb[d + 1]
        return DocData(
            key=key, rel_path=rel, size=size, mtime_ns=mtime_ns, raw_len=raw_len, error=error,
            display=display, edits=edits, norm=self.norm[nb0:nb1],
            u_n0=array("I", [x - nb0 for x in self.u_n0[u0:u1]]),
            u_n1=array("I", [x - nb0 for x in self.u_n1[u0:u1]]),
            u_d0=self.u_d0[u0:u1], u_d1=self.u_d1[u0:u1],
            u_r0=self.u_r0[u0:u1], u_r1=self.u_r1[u0:u1],
            u_t0=self.u_t0[u0:u1], u_t1=self.u_t1[u0:u1], u_nw=self.u_nw[u0:u1],
            w_u0=array("I", [x - u0 for x in self.w_u0[w0:w1]]),
            w_u1=array("I", [x - u0 for x in self.w_u1[w0:w1]]),
        )

    def lookup(self, key: int) -> tuple[int, int]:
        """Posting range ``[a, b)`` (in ``pk``/``pu``) of a shingle key (``hash << UNIT_BITS``)."""
        h = key >> UNIT_BITS
        pk = self.pk
        a = bisect.bisect_left(pk, h)
        b = bisect.bisect_right(pk, h, a)
        return a, b

    def doc_of_unit(self, u: int) -> int:
        return bisect.bisect_right(self.d_u0, u) - 1

    def units_norm(self, u0: int, u1: int) -> str:
        """Normalised text of local units ``[u0, u1)`` (of one document)."""
        return self.norm[self.u_n0[u0] : self.u_n1[u1 - 1]].decode("utf-8", "surrogatepass")

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


def _unit_windows(n_units: int, w_u0: array, w_u1: array) -> tuple[array, array]:
    """Per unit, the first passage holding it and one past the last (both ends of the
    passages only grow with their index, across documents too)."""
    wf = array("I")
    wl = array("I")
    i = j = 0
    n = len(w_u0)
    for u in range(n_units):
        while i < n and w_u1[i] <= u:
            i += 1
        while j < n and w_u0[j] <= u:
            j += 1
        wf.append(i)
        wl.append(j)
    return wf, wl


def _postings(hasher: Hasher, doc: DocData, ubase: int) -> set[int]:
    """``key | unit`` for every distinct shingle starting in each unit of ``doc``."""
    if not doc.norm:
        return set()
    keys = hasher.keys(doc.norm.decode("utf-8", "surrogatepass").split(" "))
    units: list[int] = []
    for u, n in enumerate(doc.u_nw, ubase):
        units += [u] * n
    return set(map(or_, keys, units))
