"""Export and import of annotations (Textual-free).

* ``export_file(anns, fmt, path, doc_lookup) -> int`` writes a file atomically (safeio);
* ``export(anns, fmt, out, doc_lookup) -> int`` streams ``json`` (``gloss.annotations/2``),
  ``w3c`` (Web Annotation ``AnnotationCollection``), ``csv`` or ``markdown`` to ``out``.
* ``select(store, doc=…, tag=…, verdict=…, author=…, since=…)`` filters a store lazily.
* ``import_file(path, store, corpus) -> ImportReport`` reads a ``json`` or ``w3c`` export,
  checks everything, then merges by annotation id (all or nothing).

Formats are documented in ``docs/formats.md``; JSON Schemas live in ``schemas/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from annotations.annotation import Annotation, now_iso
from annotations.exchange import gloss_json, tabular, w3c
from annotations.exchange.docs import DocLookup, DocSource, Placed
from annotations.exchange.importer import ImportReport, import_data, import_file, parse
from annotations.exchange.validate import ExchangeError
from annotations.filters import AnnotationFilter, since_key

FORMATS: tuple[str, ...] = ("json", "w3c", "csv", "markdown")
EXTENSIONS: dict[str, str] = {"json": ".json", "w3c": ".jsonld", "csv": ".csv",
                              "markdown": ".md"}

__all__ = [
    "EXTENSIONS", "FORMATS", "ExchangeError", "ImportReport", "export", "export_file",
    "import_data",
    "import_file", "parse", "placed", "schema", "select", "since_key",
]


def placed(anns: Iterable[Annotation], doc_lookup: DocLookup | None) -> Iterator[Placed]:
    """Annotations with their document metadata, current offsets and repaired quote.

    Each document is loaded and repaired once while its annotations stream by
    (``DocSource`` keeps the last few documents).
    """
    source = DocSource(doc_lookup)
    for ann in anns:
        yield source.place(ann)


def export(anns: Iterable[Annotation], fmt: str, out: TextIO,
           doc_lookup: DocLookup | None = None) -> int:
    """Write ``anns`` to ``out`` in ``fmt``, item by item; return how many were written.

    ``doc_lookup`` (a ``Corpus``) supplies titles, paths, cue times and the repaired
    quote; each document is loaded and repaired once while annotations stream by.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    items = placed(anns, doc_lookup)
    exported = now_iso()
    if fmt == "json":
        return gloss_json.write(items, out, exported)
    if fmt == "w3c":
        return w3c.write(items, out, exported)
    if fmt == "csv":
        return tabular.write_csv(items, out)
    return tabular.write_markdown(items, out, exported)


def export_file(anns: Iterable[Annotation], fmt: str, path: Path,
                doc_lookup: DocLookup | None = None) -> int:
    """Export to the file ``path``: the one writer for the app and the CLI.

    Written through :func:`annotations.safeio.atomic_output` (a random temporary name
    beside the target, replaced only when the export is complete; on any error the
    target is untouched and nothing is left behind). Returns the count written.
    """
    from annotations.safeio import atomic_output

    with atomic_output(Path(path), text=True) as out:
        return export(anns, fmt, out, doc_lookup)


def select(store: Any, doc: str | None = None, tag: str | None = None,
           verdict: str | None = None, author: str | None = None,
           since: str | date | datetime | None = None,
           query: AnnotationFilter | None = None,
           info_for: Callable[[str], Any] | None = None) -> Iterator[Annotation]:
    """Annotations of ``store`` matching every given filter, lazily, grouped by document.

    Matching is :class:`annotations.filters.AnnotationFilter`'s (the app's sidebar and
    ``gloss annotations`` use the same): ``tag``, ``verdict`` and ``author`` ignore case;
    ``since`` keeps those changed (``updated``) on or after the date/time; ``query`` adds
    a parsed filter; ``info_for(doc_key)`` gives a document's DocInfo for its
    ``channel:``/``date:`` terms.
    """
    built = AnnotationFilter.build(tags=[tag] if tag else [],
                                   verdicts=[verdict] if verdict else [],
                                   authors=[author] if author else [], since=since)
    terms = built.terms + (query.terms if query is not None else ())
    source = store.list(doc) if doc is not None else store.iter_all()
    return AnnotationFilter(terms).select(source, info_for)


def schema(name: str = "gloss.annotations-2") -> dict[str, Any]:
    """A bundled JSON Schema (``gloss.annotations-2``, ``-1`` or ``w3c-annotation-collection``)."""
    import json

    text = resources.files(__package__).joinpath("schemas", f"{name}.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)
