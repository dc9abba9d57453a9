"""The ``gloss.annotations/2`` JSON format (``/1`` still read): one object, a flat list of annotations.

Written item by item (one annotation per line) so a large store never sits in
memory as one string; read whole (``json.loads``) and checked field by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import Any, TextIO

from annotations import __version__
from annotations.annotation import Annotation
from annotations.exchange.docs import Placed
from annotations.exchange.validate import ExchangeError, Loc, build, fail, type_name

SCHEMA = "gloss.annotations/2"
SCHEMA_PREFIX = "gloss.annotations/"
# Versions this gloss reads: /1 had ``quote_repaired`` (repaired text, nothing marked),
# which is derived and ignored on import; /2 has ``quote_edited``, ``recased``, ``url``.
READABLE = ("gloss.annotations/1", SCHEMA)
GENERATOR = f"gloss {__version__}"

_encoder = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
# Characters JSON may carry raw but a terminal could act on (C1 controls such as the 8-bit
# CSI, bidi overrides, line separators): written as \uXXXX escapes (lossless).
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def S(text: str) -> str:  # noqa: N802 - reads as the JSON string literal of ``text``
    """A JSON string literal, as json.dumps(…, ensure_ascii=False) writes it, with
    terminal-active characters escaped."""
    out = encode_basestring(text)
    return out if out.isprintable() else _UNSAFE.sub(_escape, out)


def dumps(value: Any) -> str:
    out = _encoder.encode(value)
    return out if out.isprintable() else _UNSAFE.sub(_escape, out)


def num(x: float | None) -> str:
    return "null" if x is None else float.__repr__(float(x))


def strs(values: list[str]) -> str:
    return "[" + ", ".join(map(S, values)) + "]"


def record(p: Placed) -> dict[str, Any]:
    """The exported record of one placed annotation (field order is the documented one)."""
    a = p.ann
    return {
        "id": a.id,
        "doc_key": a.doc_key,
        "title": p.title,
        "channel": p.channel,
        "date": p.date,
        "path": p.path,
        "doc_hash": a.doc_hash,
        "raw_start": a.raw_start,
        "raw_end": a.raw_end,
        "quote": a.quote,
        "quote_edited": p.quote_edited,
        "recased": p.recased,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "time_start": times(p)[0],
        "time_end": times(p)[1],
        "time_derived": time_derived(p),
        "url": p.url,
        "verdict": a.verdict,
        "tags": list(a.tags),
        "note": a.note,
        "color": a.color,
        "author": a.author,
        "created": a.created,
        "updated": a.updated,
        "orphan": p.orphan,
    }


def times(p: Placed) -> tuple[float | None, float | None]:
    """The stored cue times, else those under the quote's current place (a caption file
    merged with its transcript gives times to annotations made without them)."""
    a = p.ann
    if a.time_start is not None and a.time_end is not None:
        return a.time_start, a.time_end
    return p.time_start, p.time_end


def time_derived(p: Placed) -> bool:
    """True when the times written are not stored but read from the cues under the quote
    (derived, like ``quote_edited``: import keeps the stored ``null``)."""
    return p.ann.time_start is None and p.time_start is not None


def line(p: Placed, doc_part: dict[str, str]) -> str:
    """``dumps(record(p))``, built from pre-encoded pieces (the document's fields are
    encoded once per document: ``doc_part`` remembers the last one)."""
    a = p.ann
    head = doc_part.get(a.doc_key)
    if head is None:
        doc_part.clear()
        head = doc_part[a.doc_key] = (
            f'"doc_key": {S(a.doc_key)}, "title": {S(p.title)}, "channel": {S(p.channel)}, '
            f'"date": {S(p.date)}, "path": {S(p.path)}, ')
    rq = "null" if p.quote_edited is None else S(p.quote_edited)
    t0, t1 = times(p)
    url = "null" if p.url is None else S(p.url)
    return (
        f'{{"id": {S(a.id)}, {head}"doc_hash": {S(a.doc_hash)}, "raw_start": {a.raw_start}, '
        f'"raw_end": {a.raw_end}, "quote": {S(a.quote)}, "quote_edited": {rq}, '
        f'"recased": {"true" if p.recased else "false"}, '
        f'"prefix": {S(a.prefix)}, "suffix": {S(a.suffix)}, "time_start": {num(t0)}, '
        f'"time_end": {num(t1)}, "time_derived": {"true" if time_derived(p) else "false"}, '
        f'"url": {url}, "verdict": {S(a.verdict)}, "tags": {strs(a.tags)}, '
        f'"note": {S(a.note)}, "color": {S(a.color)}, "author": {S(a.author)}, '
        f'"created": {S(a.created)}, "updated": {S(a.updated)}, '
        f'"orphan": {"true" if p.orphan else "false"}}}')


def write(items: Iterable[Placed], out: TextIO, exported: str) -> int:
    """Stream ``{"schema": …, "annotations": [ … ], "count": n}`` to ``out``."""
    out.write("{\n")
    out.write(f'  "schema": {dumps(SCHEMA)},\n')
    out.write(f'  "exported": {dumps(exported)},\n')
    out.write(f'  "generator": {dumps(GENERATOR)},\n')
    out.write('  "annotations": [')
    n = 0
    cache: dict[str, str] = {}
    for p in items:
        out.write((",\n    " if n else "\n    ") + line(p, cache))
        n += 1
    out.write("\n  ],\n" if n else "],\n")
    out.write(f'  "count": {n}\n}}\n')
    return n


def is_gloss(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("schema"), str) and (
        doc["schema"].startswith(SCHEMA_PREFIX)
    )


def read(doc: dict[str, Any]) -> Iterator[tuple[Annotation, Loc]]:
    """Each annotation of a parsed gloss export with where it sits; raises ExchangeError."""
    if doc["schema"] not in READABLE:
        raise fail("schema", f"unsupported version {doc['schema']!r} (this gloss reads "
                   f"{' and '.join(map(repr, READABLE))})")
    anns = doc.get("annotations")
    if anns is None:
        raise fail("annotations", "missing")
    if not isinstance(anns, list):
        raise fail("annotations", f"expected an array, found {type_name(anns)}")
    count = doc.get("count")
    if count is not None and count != len(anns):
        raise ExchangeError(f"count: says {count!r} but the file holds {len(anns)} annotations "
                            "(truncated or edited?)")
    for i, rec in enumerate(anns):
        loc = Loc(f"annotations[{i}]")
        if not isinstance(rec, dict):
            raise fail(loc.base, f"expected an object, found {type_name(rec)}")
        if rec.get("time_derived") is True:
            rec = {**rec, "time_start": None, "time_end": None}
        yield build(rec, loc), loc
