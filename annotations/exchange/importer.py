"""Import a ``json`` or ``w3c`` export into a store: check everything, then merge by id.

All or nothing: the file is parsed, every annotation is checked (types, offsets,
quote length, and the quote against the document text when the document is in
the corpus), and only then is anything written, through ``store.merge`` (upsert
by id; the newer ``updated`` wins; a stored copy as new or newer that differs
is kept and counted as a conflict).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from annotations.annotation import Annotation, default_author, now_iso, same_content
from annotations.exchange import gloss_json, w3c
from annotations.exchange.docs import DocLookup, DocSource, locate
from annotations.exchange.validate import ExchangeError, Loc, fail, show

MAX_LISTED = 5  # document keys named in the one-line summary


@dataclass(slots=True)
class ImportReport:
    """What an import found and did."""

    source: str
    fmt: str  # "json" | "w3c"
    total: int = 0  # annotations in the file
    added: int = 0
    updated: int = 0  # newer in the file: replaced the stored copy
    unchanged: int = 0
    conflicts: int = 0  # differs, but the stored copy is as new or newer: kept
    reanchored: int = 0  # document text changed: the quote is now elsewhere (found)
    orphans: int = 0  # kept, but not placed on any current document text
    missing_docs: list[str] = field(default_factory=list)  # keys not in the corpus
    lost_docs: list[str] = field(default_factory=list)  # quote no longer found there
    written: bool = True  # False for a dry run

    def summary(self) -> str:
        """One line for the CLI and the app."""
        verb = "imported" if self.written else "checked (dry run, nothing written)"
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if not self.written:
            parts = [f"{self.added} new", f"{self.updated} newer", f"{self.unchanged} same"]
        line = (f"{verb} {self.total} annotation{'s' if self.total != 1 else ''} from "
                f"{self.source} ({self.fmt}): {', '.join(parts)}")
        if self.conflicts:
            line += (f"; {self.conflicts} conflict{'s' if self.conflicts != 1 else ''} "
                     "(stored copy as new or newer, kept)")
        if self.reanchored:
            line += f"; {self.reanchored} re-anchored (document text changed)"
        if self.orphans:
            line += f"; {self.orphans} kept as orphan{'s' if self.orphans != 1 else ''}"
            notes = []
            if self.missing_docs:
                notes.append("not in the corpus: " + _keys(self.missing_docs))
            if self.lost_docs:
                notes.append("quote not found in: " + _keys(self.lost_docs))
            line += f" ({'; '.join(notes)})"
        return line


def _keys(keys: list[str]) -> str:
    shown = ", ".join(keys[:MAX_LISTED])
    return shown + (f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else "")


FUTURE_SLACK = timedelta(days=1)  # clocks differ; a record dated further ahead is refused


# -- parsing -------------------------------------------------------------------------------
def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse(data: bytes) -> tuple[str, list[tuple[Annotation, Loc]]]:
    """``(format, [(annotation, location)…])`` of an export; ExchangeError on any problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"byte {exc.start}: not UTF-8 text") from None
    if not text.strip():
        raise ExchangeError("empty file")
    try:
        doc = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        end = exc.pos >= len(text.rstrip())
        why = "unexpected end of file (truncated?)" if end else exc.msg
        raise ExchangeError(f"line {exc.lineno} column {exc.colno}: invalid JSON: {why}") from None
    except ValueError as exc:  # NaN / Infinity
        raise ExchangeError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise ExchangeError("invalid JSON: nested too deeply") from None
    if gloss_json.is_gloss(doc):
        fmt, items = "json", gloss_json.read(doc)
    elif w3c.is_w3c(doc):
        fmt, items = "w3c", w3c.read(doc, w3c.default_time(doc))
    elif isinstance(doc, dict) and "schema" in doc:
        raise fail("schema", f"{show(doc['schema'])} is not a gloss export schema "
                   f"(expected {gloss_json.SCHEMA!r})")
    else:
        kind = "an object" if isinstance(doc, dict) else f"top level {type(doc).__name__}"
        raise ExchangeError(f"not a gloss export ({kind} without \"schema\": "
                            f"\"{gloss_json.SCHEMA}\") nor a W3C AnnotationCollection "
                            f"(\"@context\": \"{w3c.ANNO_CONTEXT}\")")
    out: list[tuple[Annotation, Loc]] = []
    seen: dict[str, str] = {}
    latest = (datetime.now(UTC) + FUTURE_SLACK).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for ann, loc in items:
        for name in ("created", "updated"):
            if getattr(ann, name) > latest:
                raise fail(loc.at(name), f"{show(getattr(ann, name))} is more than a day in "
                           "the future (a record dated ahead would win every later merge)")
        first = seen.setdefault(ann.id, loc.at("id"))
        if first != loc.at("id"):
            raise fail(loc.at("id"), f"duplicate id {show(ann.id)} (also at {first})")
        out.append((ann, loc))
    return fmt, out


# -- checking against the corpus -----------------------------------------------------------
def _by_doc(items: list[tuple[Annotation, Loc]]) -> Iterator[tuple[str, list[int]]]:
    groups: dict[str, list[int]] = {}
    for i, (ann, _) in enumerate(items):
        groups.setdefault(ann.doc_key, []).append(i)
    yield from groups.items()


def check(items: list[tuple[Annotation, Loc]], corpus: DocLookup | None,
          report: ImportReport) -> list[Annotation]:
    """The annotations to store, checked against the current text of their documents.

    * document not in the corpus: kept (an orphan), reported;
    * same text (hash matches): the quote must be the text at the offsets, else error;
    * text changed: re-anchored to see where the quote is now; records are stored as
      in the file (the store keeps offsets on the text they were made on; the app
      re-anchors when it shows them), and those whose quote is lost are reported.
    """
    source = DocSource(corpus, keep=1)
    result: list[Annotation] = [a for a, _ in items]
    for key, idx in _by_doc(items):
        view = source.view(key)
        if view is None:
            report.orphans += len(idx)
            report.missing_docs.append(key)
            continue
        raw = view.raw
        lost = False
        for i in idx:
            ann, loc = items[i]
            if ann.doc_hash == view.hash:
                if ann.raw_end > len(raw):
                    raise fail(loc.at("raw_end"), f"{ann.raw_end} is past the end of document "
                               f"{show(key)} ({len(raw)} chars)")
                found = raw[ann.raw_start : ann.raw_end]
                if found != ann.quote:
                    raise fail(loc.at("quote"), f"{show(ann.quote, 30)} is not the text of "
                               f"document {show(key)} at {ann.raw_start}-{ann.raw_end} "
                               f"({show(found, 30)})")
                continue
            at = locate(ann, view)
            if at is None:
                report.orphans += 1
                lost = True
            elif at != (ann.raw_start, ann.raw_end):
                report.reanchored += 1
            elif not ann.doc_hash:
                result[i] = replace(ann, doc_hash=view.hash, tags=list(ann.tags))
        if lost:
            report.lost_docs.append(key)
    return result


def import_data(data: bytes, store: Any, corpus: DocLookup | None, *, source: str = "<data>",
                dry_run: bool = False) -> ImportReport:
    """Import an export held in memory (see ``import_file``)."""
    fmt, items = parse(data)
    report = ImportReport(source=source, fmt=fmt, total=len(items), written=not dry_run)
    anns = check(items, corpus, report)
    by, at = default_author(), now_iso()
    for ann in anns:
        ann.imported_by, ann.imported_at = by, at
    if dry_run:
        _preview(anns, store, report)
        return report
    result = store.merge(anns)
    report.added, report.updated = result.added, result.updated
    report.unchanged, report.conflicts = result.unchanged, result.conflicts
    return report


def _preview(anns: list[Annotation], store: Any, report: ImportReport) -> None:
    """What merge would do, without writing."""
    for ann in anns:
        have = store.get(ann.doc_key, ann.id)
        if have is None:
            report.added += 1
        elif same_content(have.to_dict(), ann.to_dict()):
            report.unchanged += 1
        elif ann.updated > have.updated:
            report.updated += 1
        else:
            report.conflicts += 1


def import_file(path: Path | str, store: Any, corpus: DocLookup | None, *,
                dry_run: bool = False) -> ImportReport:
    """Import a ``json`` or ``w3c`` export file into ``store``; nothing is written on error.

    Raises ExchangeError (``"<file>: <where>: <problem>"``, one line) for an unreadable,
    malformed or foreign file; store errors (``StoreError``) pass through.
    """
    path = Path(path)
    from annotations import safeio

    try:
        data = safeio.read_bytes(path)
        if data is None:
            raise FileNotFoundError(2, "No such file or directory", str(path))
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return import_data(data, store, corpus, source=path.name, dry_run=dry_run)
    except ExchangeError as exc:
        raise ExchangeError(f"{path.name}: {exc}") from None
