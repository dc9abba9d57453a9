"""Assembling a shard: its arrays and postings from cut documents, and from the
documents of the shard's previous version that did not change.

A kept document is not cut or hashed again: its unit and passage arrays, its
normalised text and its display text are copied from the old shard, and its
postings are taken from the old shard's posting arrays with their units renumbered
(the old postings stay sorted, so one merge with the new documents' postings sorts
them all). Postings are built as 64-bit integers, sorted once and split into the
``uint32``/``uint8`` arrays of the file format by byte slicing (no Python loop per
posting).
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Collection, Iterable
from itertools import chain, compress, repeat
from operator import lshift, or_
from typing import TYPE_CHECKING

from annotations.similar.cut import DocData
from annotations.similar.text import Hasher, term_postings

if TYPE_CHECKING:
    from annotations.similar.shard import Shard

UNIT_LIMIT = 1 << 24  # units (sentences) per shard: ``tu`` holds a unit in 24 bits


def assemble(shard: Shard, docs: list[DocData], old: Shard | None = None,
             keep: Collection[str] = ()) -> None:
    """Fill the empty ``shard`` with ``docs`` and the documents ``keep`` of ``old``
    (all sorted by key)."""
    items: list[tuple[str, DocData | int]] = [(d.key, d) for d in docs]
    if old is not None and keep:
        items += [(e[0], d) for d, e in enumerate(old.docs) if e[0] in keep]
    items.sort(key=lambda x: x[0])
    hasher = Hasher()
    combo: list[int] = []  # hash << 32 | unit: distinct shingles per unit
    terms: list[int] = []  # hash << 32 | unit << 8 | count: terms per unit
    moved: dict[int, int] = {}  # kept document of the old shard -> its first unit now
    norms: list[bytes] = []
    blobs: list[bytes] = []  # display text + edit map of each document
    nb = tx = ubase = 0
    s = shard
    for _, item in items:
        if isinstance(item, int):  # a document kept from the old shard
            assert old is not None
            d = item
            u0, u1 = old.d_u0[d], old.d_u0[d + 1]
            w0, w1 = old.d_w0[d], old.d_w0[d + 1]
            nb0, nb1 = old.d_nb[d], old.d_nb[d + 1]
            s.docs.append(list(old.docs[d]))
            s.u_n0.extend(map((nb - nb0).__add__, old.u_n0[u0:u1]))
            s.u_n1.extend(map((nb - nb0).__add__, old.u_n1[u0:u1]))
            for name in ("u_d0", "u_d1", "u_r0", "u_r1", "u_t0", "u_t1", "u_nw"):
                getattr(s, name).frombytes(memoryview(getattr(old, name))[u0:u1].cast("B"))
            s.w_u0.extend(map((ubase - u0).__add__, old.w_u0[w0:w1]))
            s.w_u1.extend(map((ubase - u0).__add__, old.w_u1[w0:w1]))
            norms.append(bytes(old.norm[nb0:nb1]))
            nb += nb1 - nb0
            n_units = u1 - u0
            moved[d] = ubase
            blob = old.text_blob(d)
            s.d_dl.append(old.d_dl[d])
        else:
            doc = item
            s.docs.append([doc.key, doc.rel_path, doc.size, doc.mtime_ns, doc.raw_len, doc.error])
            s.u_n0.extend(map(nb.__add__, doc.u_n0))
            s.u_n1.extend(map(nb.__add__, doc.u_n1))
            for name in ("u_d0", "u_d1", "u_r0", "u_r1", "u_t0", "u_t1", "u_nw"):
                getattr(s, name).extend(getattr(doc, name))
            s.w_u0.extend(map(ubase.__add__, doc.w_u0))
            s.w_u1.extend(map(ubase.__add__, doc.w_u1))
            norms.append(doc.norm)
            nb += len(doc.norm)
            n_units = len(doc.u_n0)
            display = doc.display.encode("utf-8", "surrogatepass")
            blob = display + doc.edits.tobytes()
            s.d_dl.append(len(display))
            if doc.norm:
                words = doc.norm.decode("utf-8", "surrogatepass").split(" ")
                where = list(chain.from_iterable(map(repeat, range(ubase, ubase + n_units),
                                                     doc.u_nw)))
                combo += set(map(or_, hasher.keys(words), where))
                terms += term_postings(words, where)
        blobs.append(blob)
        tx += len(blob)
        ubase += n_units
        s.d_u0.append(ubase)
        s.d_w0.append(len(s.w_u0))
        s.d_nb.append(nb)
        s.d_tx.append(tx)
    if ubase >= UNIT_LIMIT or nb >= 1 << 32:
        from annotations.similar.shard import ShardError

        raise ShardError(f"shard {s.sid} is too large for the index format")
    s.norm = b"".join(norms)
    s.blobs = blobs
    s.u_wf, s.u_wl = unit_windows(ubase, s.w_u0, s.w_u1)
    s.n_words = sum(s.u_nw)
    new_u, flags = _renumber(old, moved) if old is not None and moved else ([], b"")
    if moved:  # the old postings stay sorted: sorting them with the new ones is a merge
        assert old is not None
        combo.sort()
        combo[:0] = compress(map(or_, map(lshift, old.pk, repeat(32)),
                                 map(new_u.__getitem__, old.pu)),
                             map(flags.__getitem__, old.pu))
    combo.sort()
    s.pk, s.pu = split64(combo)
    del combo
    if moved:
        assert old is not None
        terms.sort()
        terms[:0] = compress(
            map(or_, map(or_, map(lshift, old.tk, repeat(32)),
                         map(lshift, map(new_u.__getitem__, old.tu), repeat(8))), old.tf),
            map(flags.__getitem__, old.tu))
    terms.sort()
    s.tk, low = split64(terms)
    del terms
    s.tu, s.tf = unit_count(low)


def _renumber(old: Shard, moved: dict[int, int]) -> tuple[list[int], bytes]:
    """Per unit of ``old``: its number in the new shard, and 1 when it is kept (0: its
    document changed or went)."""
    ranges: list[Iterable[int]] = []
    flags: list[bytes] = []
    for d in range(len(old.docs)):
        n = old.d_u0[d + 1] - old.d_u0[d]
        base = moved.get(d)
        if base is None:
            ranges.append(repeat(0, n))
            flags.append(bytes(n))
        else:
            ranges.append(range(base, base + n))
            flags.append(b"\x01" * n)
    return list(chain.from_iterable(ranges)), b"".join(flags)


def split64(values: list[int]) -> tuple[array, array]:
    """High and low 32-bit halves of 64-bit ``values``, as two ``uint32`` arrays."""
    if sys.byteorder == "little":
        both = array("I")
        both.frombytes(array("Q", values).tobytes())
        return both[1::2], both[0::2]
    return (array("I", [v >> 32 for v in values]),  # pragma: no cover - big-endian
            array("I", [v & 0xFFFFFFFF for v in values]))


def unit_count(low: array) -> tuple[array, array]:
    """``unit << 8 | count`` values split into units (``uint32``) and counts (``uint8``)."""
    if not low:
        return array("I"), array("B")
    if sys.byteorder == "little":
        raw = bytearray(low.tobytes())
        counts = array("B", raw[0::4])
        shifted = raw[1:] + b"\0"  # each value >> 8: drop its low byte ...
        shifted[3::4] = bytes(len(low))  # ... and clear the byte that came from the next
        units = array("I")
        units.frombytes(shifted)
        return units, counts
    return (array("I", [v >> 8 for v in low]),  # pragma: no cover - big-endian
            array("B", [v & 0xFF for v in low]))


def unit_windows(n_units: int, w_u0: array, w_u1: array) -> tuple[array, array]:
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
