"""W3C Web Annotation export/import: an ``AnnotationCollection`` in JSON-LD.

Each gloss annotation becomes an ``Annotation`` whose target carries a
``TextQuoteSelector`` and a ``TextPositionSelector`` on the raw text of
``urn:gloss:doc:<key>`` (when the video's URL is known the target's ``source`` is the
video, with a Media Fragments ``FragmentSelector`` ``t=start,end``, and the document
is named in ``gloss:doc``); the note, tags and verdict are ``TextualBody`` bodies
with purposes ``commenting``, ``tagging`` and ``assessing``; the edited quote
(inferred characters in brackets) is a second ``TextualBody`` with purpose
``describing`` and ``gloss:role`` ``quoteEdited`` (skipped on import: it is derived).
Gloss-only fields (colour, cue times, document hash…) use the ``gloss:`` prefix so
that import gives back exactly what was exported.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, TextIO
from urllib.parse import quote, unquote

from annotations.annotation import Annotation
from annotations.exchange.docs import Placed
from annotations.exchange.gloss_json import GENERATOR, dumps, time_derived, times
from annotations.exchange.validate import ExchangeError, Loc, build, fail, show, type_name

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
GLOSS_NS = "urn:gloss:terms:"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"gloss": GLOSS_NS}]
DOC_URN = "urn:gloss:doc:"
UUID_URN = "urn:uuid:"
ID_URN = "urn:gloss:annotation:"
EPOCH = "1970-01-01T00:00:00.000000Z"


def doc_uri(key: str) -> str:
    return DOC_URN + quote(key, safe="/")


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def ann_uri(ident: str) -> str:
    """``urn:uuid:…`` for a (canonical, lower-case) UUID, else a gloss URN."""
    if _UUID.fullmatch(ident):
        return UUID_URN + ident
    return ID_URN + quote(ident, safe="")


def ann_id(uri: str) -> str:
    if uri.startswith(UUID_URN):
        return uri[len(UUID_URN):]
    if uri.startswith(ID_URN):
        return unquote(uri[len(ID_URN):])
    return uri  # a foreign IRI is kept whole as the id


def motivation(a: Annotation) -> str:
    if a.note:
        return "commenting"
    if a.verdict != "unverified":
        return "assessing"
    return "tagging" if a.tags else "highlighting"


def item(p: Placed) -> dict[str, Any]:
    """One W3C Annotation for a placed gloss annotation."""
    a = p.ann
    body: list[dict[str, Any]] = []
    if a.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": a.note,
                     "format": "text/plain"})
    body.extend({"type": "TextualBody", "purpose": "tagging", "value": t} for t in a.tags)
    body.append({"type": "TextualBody", "purpose": "assessing", "value": a.verdict})
    if p.quote_edited is not None:
        body.append(edited_body(p.quote_edited, p.recased))
    t0, t1 = times(p)
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix,
         "suffix": a.suffix},
        {"type": "TextPositionSelector", "start": a.raw_start, "end": a.raw_end},
    ]
    if p.url and t0 is not None:
        selectors.append(fragment(t0, t1))
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": p.url.split("&t=")[0] if p.url else doc_uri(a.doc_key),
        "selector": selectors,
        "gloss:doc": doc_uri(a.doc_key),
        "gloss:docHash": a.doc_hash,
        "gloss:title": p.title,
        "gloss:channel": p.channel,
        "gloss:date": p.date,
        "gloss:path": p.path,
        "gloss:url": p.url,
        "gloss:timeStart": t0,
        "gloss:timeEnd": t1,
        "gloss:timeDerived": time_derived(p),
    }
    out: dict[str, Any] = {
        "id": ann_uri(a.id),
        "type": "Annotation",
        "motivation": motivation(a),
        "created": a.created,
        "modified": a.updated,
    }
    if a.author:
        out["creator"] = {"type": "Person", "name": a.author}
    out["body"] = body
    out["target"] = target
    out["gloss:color"] = a.color
    out["gloss:orphan"] = p.orphan
    return out


EDITED_ROLE = "quoteEdited"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"


def edited_body(quote: str, recased: bool) -> dict[str, Any]:
    """The edited quote (inferred characters in brackets) as a second TextualBody."""
    return {"type": "TextualBody", "purpose": "describing", "value": quote,
            "format": "text/plain", "gloss:role": EDITED_ROLE, "gloss:recased": recased}


def fragment(t0: float, t1: float | None) -> dict[str, Any]:
    """A Media Fragments ``FragmentSelector`` ``t=start,end`` (seconds) on the video."""
    value = f"t={_secs(t0)}" + (f",{_secs(t1)}" if t1 is not None else "")
    return {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": value}


def _secs(t: float) -> str:
    return f"{t:.3f}".rstrip("0").rstrip(".")


_BODY_TAG = '{"type": "TextualBody", "purpose": "tagging", "value": '


def line(p: Placed, doc_part: dict[str, tuple[str, str]]) -> str:
    """``dumps(item(p))`` (one annotation per line)."""
    return dumps(item(p))


def write(items: Iterable[Placed], out: TextIO, exported: str) -> int:
    """Stream the collection; its single page's items are written one per line."""
    out.write("{\n")
    out.write(f'  "@context": {dumps(CONTEXT)},\n')
    out.write(f'  "id": {dumps(UUID_URN + str(uuid.uuid4()))},\n')
    out.write('  "type": "AnnotationCollection",\n')
    out.write('  "label": "gloss annotations",\n')
    out.write(f'  "generator": {dumps({"type": "Software", "name": GENERATOR})},\n')
    out.write(f'  "generated": {dumps(exported)},\n')
    out.write('  "first": {\n    "type": "AnnotationPage",\n    "startIndex": 0,\n    "items": [')
    n = 0
    cache: dict[str, tuple[str, str]] = {}
    for p in items:
        out.write((",\n      " if n else "\n      ") + line(p, cache))
        n += 1
    out.write("\n    ]\n  },\n" if n else "]\n  },\n")
    out.write(f'  "total": {n}\n}}\n')
    return n


# -- reading -------------------------------------------------------------------------------
def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("type", obj.get("@type"))
    return {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)} if isinstance(
        t, list) else set()


def is_w3c(doc: Any) -> bool:
    if not isinstance(doc, dict):
        return False
    ctx = doc.get("@context")
    ctxs = ctx if isinstance(ctx, list) else [ctx]
    return ANNO_CONTEXT in ctxs or "https://www.w3.org/ns/anno.jsonld" in ctxs


def _listish(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def pages(doc: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """``(path, items)`` of each embedded page of a collection (or of a lone page)."""
    kinds = _types(doc)
    page: Any
    if "AnnotationPage" in kinds:
        page, path = doc, ""
    elif "AnnotationCollection" in kinds:
        page, path = doc.get("first"), "first"
        if page is None:
            return  # an empty collection has no first page
    else:
        raise fail("type", f"expected AnnotationCollection or AnnotationPage, found "
                   f"{show(doc.get('type'))}")
    seen = 0
    while page is not None:
        if not isinstance(page, dict):
            raise fail(path or "first", "the page is not embedded (only embedded pages are read)")
        items = page.get("items")
        where = f"{path}.items" if path else "items"
        if not isinstance(items, list):
            raise fail(where, f"expected an array, found {type_name(items)}")
        yield where, items
        seen += 1
        page, path = page.get("next"), f"{path}.next" if path else "next"
        if seen > 10_000:  # pragma: no cover - guard against a pathological chain
            raise fail(path, "too many pages")


def _selector(target: dict[str, Any], where: str, kind: str) -> tuple[dict[str, Any], str]:
    sels = target.get("selector")
    if sels is None:
        raise fail(f"{where}.selector", "missing (a TextQuoteSelector and a "
                   "TextPositionSelector are needed)")
    listed = isinstance(sels, list)
    for i, s in enumerate(_listish(sels)):
        if isinstance(s, dict) and kind in _types(s):
            return s, f"{where}.selector[{i}]" if listed else f"{where}.selector"
    raise fail(f"{where}.selector", f"no {kind}")


def _bodies(a: dict[str, Any], rec: dict[str, Any], loc: Loc) -> None:
    notes: list[str] = []
    tags: list[str] = []
    if isinstance(a.get("bodyValue"), str):
        notes.append(a["bodyValue"])
    raw = a.get("body")
    listed = isinstance(raw, list)
    for i, b in enumerate(_listish(raw) if raw is not None else []):
        where = f"body[{i}]" if listed else "body"
        if not isinstance(b, dict) or "TextualBody" not in _types(b):
            raise fail(f"{loc.base}.{where}", "only TextualBody bodies can be imported")
        if b.get("gloss:role") == EDITED_ROLE:
            continue  # the edited quote is derived from the text: not imported
        value = b.get("value")
        if not isinstance(value, str):
            raise fail(f"{loc.base}.{where}.value", f"expected a string, found {type_name(value)}")
        purpose = b.get("purpose", "commenting")
        if purpose == "tagging":
            if not value.strip():
                raise fail(f"{loc.base}.{where}.value", "an empty tag")
            tags.append(value)
        elif purpose == "assessing":
            if "verdict" in rec:
                raise fail(f"{loc.base}.{where}", "more than one assessing body (verdict)")
            rec["verdict"] = value
            loc.fields["verdict"] = f"{where}.value"
        elif purpose in ("commenting", "describing"):
            notes.append(value)
            loc.fields["note"] = f"{where}.value"
        else:
            raise fail(f"{loc.base}.{where}.purpose", f"unsupported purpose {show(purpose)}")
    rec["note"] = "\n\n".join(notes)
    rec["tags"] = tags


def record(a: Any, base: str, default_time: str) -> tuple[dict[str, Any], Loc]:
    """A flat gloss record from one W3C Annotation, with the path of each field."""
    loc = Loc(base)
    if not isinstance(a, dict):
        raise fail(base, f"expected an Annotation object, found {type_name(a)}")
    if "Annotation" not in _types(a):
        raise fail(f"{base}.type", f"expected \"Annotation\", found {show(a.get('type'))}")
    ident = a.get("id")
    if not isinstance(ident, str) or not ident:
        raise fail(f"{base}.id", "missing (annotations are merged by id)")
    targets = _listish(a.get("target"))
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise fail(f"{base}.target", "expected one target object with selectors")
    target = targets[0]
    twhere = "target" if not isinstance(a.get("target"), list) else "target[0]"
    source = target.get("source")
    source = source.get("id") if isinstance(source, dict) else source
    doc_field = "source"
    if "gloss:doc" in target:  # the source is the video; the document is named here
        source, doc_field = target["gloss:doc"], "gloss:doc"
    if not isinstance(source, str) or not source.startswith(DOC_URN):
        raise fail(f"{base}.{twhere}.{doc_field}",
                   f"not a gloss document (expected {DOC_URN}<key>), found {show(source)}")
    qs, qpath = _selector(target, f"{base}.{twhere}", "TextQuoteSelector")
    ps, ppath = _selector(target, f"{base}.{twhere}", "TextPositionSelector")
    cut = len(base) + 1
    loc.fields.update(id="id", doc_key=f"{twhere}.{doc_field}", quote=f"{qpath[cut:]}.exact",
                      prefix=f"{qpath[cut:]}.prefix", suffix=f"{qpath[cut:]}.suffix",
                      raw_start=f"{ppath[cut:]}.start", raw_end=f"{ppath[cut:]}.end",
                      created="created", updated="modified", color="gloss:color",
                      doc_hash=f"{twhere}.gloss:docHash", time_start=f"{twhere}.gloss:timeStart",
                      time_end=f"{twhere}.gloss:timeEnd", author="creator")
    rec: dict[str, Any] = {
        "id": ann_id(ident),
        "doc_key": unquote(source[len(DOC_URN):]),
        "quote": qs.get("exact"),
        "prefix": qs.get("prefix", ""),
        "suffix": qs.get("suffix", ""),
        "raw_start": ps.get("start"),
        "raw_end": ps.get("end"),
        "created": a.get("created", a.get("modified", default_time)),
        "updated": a.get("modified", a.get("created", default_time)),
        "color": a.get("gloss:color", "yellow"),
        "doc_hash": target.get("gloss:docHash", ""),
        "time_start": target.get("gloss:timeStart"),
        "time_end": target.get("gloss:timeEnd"),
    }
    if target.get("gloss:timeDerived") is True:  # read from cues at export: not stored
        rec["time_start"] = rec["time_end"] = None
    creator = a.get("creator")
    if isinstance(creator, list) and len(creator) == 1:
        creator = creator[0]
    if isinstance(creator, dict):
        creator = creator.get("name", creator.get("nickname", creator.get("id", "")))
    rec["author"] = creator if creator is not None else ""
    _bodies(a, rec, loc)
    return rec, loc


def default_time(doc: dict[str, Any]) -> str:
    """``created`` for annotations that give none: the collection's own time, else the
    epoch, so that importing the same file twice gives the same records."""
    for key in ("generated", "created", "modified"):
        if isinstance(doc.get(key), str):
            return doc[key]
    return EPOCH


def read(doc: dict[str, Any], default_time: str) -> Iterator[tuple[Annotation, Loc]]:
    """Each annotation of a parsed W3C collection with where it sits; raises ExchangeError."""
    total = doc.get("total")
    n = 0
    for where, items in pages(doc):
        for i, a in enumerate(items):
            rec, loc = record(a, f"{where}[{i}]", default_time)
            yield build(rec, loc), loc
            n += 1
    if isinstance(total, int) and not isinstance(total, bool) and total != n:
        raise ExchangeError(f"total: says {total} but the file holds {n} annotations "
                            "(truncated or edited?)")
