"""``gloss annotations CORPUS [QUERY…] [--tag T] [--verdict V] [--author A] [--since D]…``

Lists annotations at their current offsets (re-anchored against the current text),
orphans included. Filters are :class:`annotations.filters.AnnotationFilter` — the
syntax and matching of the app's sidebar filter: QUERY words like
``levee tag:claim verdict:false``, and options that add the same terms. A header row
names the columns; a summary (count, filter) goes to stderr. Keys are never cut.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from annotations.anchor import Anchor, reanchor_all
from annotations.annotation import Annotation
from annotations.corpus import Corpus, CorpusError
from annotations.filters import AnnotationFilter
from annotations.store import AnnotationStore, StoreError, open_store
from annotations.textsafe import one_line
from tui.cli import dumps, fail, say
from tui.cli.options import (
    annotation_filter_options,
    corpus_argument,
    follow_links_option,
    json_option,
    store_option,
)

COLUMNS = ("DOC", "START-END", "STATUS", "VERDICT", "TAGS", "AUTHOR", "UPDATED", "QUOTE",
           "NOTE")
SORTS = ("doc", "created", "updated", "author", "verdict")

Row = tuple[Annotation, Anchor, str]


def _placed(corpus: Corpus, store: AnnotationStore, keys: Iterable[str],
            query: AnnotationFilter) -> Iterator[Row]:
    """(re-anchored copy, anchor, problem) for every matching annotation of ``keys``.

    The filter is applied to the stored annotations first, so only documents with a
    match are loaded.
    """
    for key in keys:
        try:
            stored = store.list(key)
        except StoreError as exc:
            say("note", str(exc))
            continue
        info = corpus.get(key)
        stored = [a for a in stored if query.matches(a, info)]
        if not stored:
            continue
        doc = corpus.load(info) if info is not None else None
        if doc is None or doc.info.error:
            why = "document not in the corpus" if doc is None else doc.info.error or ""
            for ann in stored:
                ann.orphan = True
                yield ann, Anchor(ann.raw_start, ann.raw_end, "orphan", 0.0), why
            continue
        for ann, anchor in reanchor_all(stored, doc.raw):
            yield ann, anchor, ""


def _sorted(rows: Iterable[Row], sort: str) -> Iterable[Row]:
    if sort == "doc":
        return rows
    if sort in ("created", "updated"):
        return sorted(rows, key=lambda r: getattr(r[0], sort), reverse=True)
    return sorted(rows, key=lambda r: (getattr(r[0], sort).casefold(), r[0].doc_key,
                                       r[0].raw_start))


def _cells(ann: Annotation, anchor: Anchor, why: str) -> list[str]:
    status = anchor.status + (f" ({why})" if why else "")
    return [
        one_line(ann.doc_key, 1 << 20),
        f"{ann.raw_start}-{ann.raw_end}",
        status,
        one_line(ann.verdict, 60),
        one_line(",".join(ann.tags), 1 << 20),
        one_line(ann.author, 1 << 20),
        one_line(ann.updated[:10], 10),
        f"“{one_line(ann.quote, 70)}”",
        one_line(ann.note, 60),
    ]


@click.command("annotations")
@corpus_argument()
@click.argument("query", nargs=-1)
@click.option("--doc", "docs", multiple=True, metavar="KEY", help="Only this document key "
              "(repeatable).")
@annotation_filter_options
@click.option("--channel", "channels", multiple=True, metavar="C",
              help="Only in documents of this channel.")
@click.option("--date", "dates", multiple=True, metavar="D",
              help="Only in documents dated D (a prefix: 2023, 2023-11, 2023-11-03).")
@click.option("--sort", type=click.Choice(SORTS), default="doc", show_default=True,
              help="Order: by document and offset, newest first (created/updated), or by "
                   "author/verdict.")
@json_option
@store_option
@follow_links_option
def annotations_cmd(corpus: Path, query: tuple[str, ...], docs: tuple[str, ...],
                    tags: tuple[str, ...], verdicts: tuple[str, ...], authors: tuple[str, ...],
                    channels: tuple[str, ...], dates: tuple[str, ...], since: str | None,
                    sort: str, as_json: bool, store: Path | None,
                    follow_links: bool = False) -> int:
    """List annotations, re-anchored against the current document text; orphans (text no
    longer found) are listed too.

    QUERY uses the app's sidebar filter syntax: free words (in quote, note, tags, verdict,
    author), tag:T verdict:V author:A channel:C date:D doc:KEY since:DATE, T* for a
    prefix, -tag:T to exclude (put `--` before a QUERY starting with -). Different
    fields must all match; one field given twice matches either value.

    Example: gloss annotations . levee tag:claim --verdict false --since 2024-01-01
    """
    parsed = AnnotationFilter.parse(" ".join(query))
    if parsed.errors:
        return fail(f"filter {parsed.errors[0]}")
    try:
        built = AnnotationFilter.build(tags=tags, verdicts=verdicts, authors=authors,
                                       channels=channels, dates=dates, docs=docs, since=since)
    except ValueError as exc:
        return fail(f"--since: {exc}")
    flt = AnnotationFilter(built.terms + parsed.terms)
    try:
        corp = Corpus(corpus, follow_links=follow_links)
        the_store, note = open_store(corp.root, store)
    except (CorpusError, StoreError) as exc:
        return fail(str(exc))
    if note:
        say("note", note)
    for _ in corp.scan():
        pass
    known = set(the_store.counts())
    for key in docs:
        if corp.get(key) is None and key not in known:
            return fail(f"unknown document key: {one_line(key, 80)!r} (see `gloss list`)")
    keys = flt.doc_keys()
    rows = _sorted(_placed(corp, the_store, keys if keys is not None else sorted(known), flt),
                   sort)
    shown = _print_json(rows) if as_json else _print_table(rows)
    _summary(shown, flt)
    return 0


def _print_json(rows: Iterable[Row]) -> list[Row]:
    out = sys.stdout
    out.write("[")
    shown: list[Row] = []
    for i, (ann, anchor, why) in enumerate(rows):
        rec: dict[str, Any] = ann.to_dict()
        rec.update(status=anchor.status, score=round(anchor.score, 1), orphan=ann.orphan)
        if why:
            rec["problem"] = why
        out.write(("\n" if i == 0 else ",\n") + dumps(rec))
        shown.append((ann, anchor, why))
    out.write("\n]\n" if shown else "]\n")
    return shown


def _print_table(rows: Iterable[Row]) -> list[Row]:
    shown: list[Row] = []
    for row in rows:
        if not shown:
            print("\t".join(COLUMNS))
        shown.append(row)
        print("\t".join(_cells(*row)).rstrip())
    return shown


def _summary(shown: list[Row], flt: AnnotationFilter) -> None:
    n, docs = len(shown), len({r[0].doc_key for r in shown})
    orphans = sum(1 for r in shown if r[0].orphan)
    text = "no annotations" if n == 0 else (
        f"{n:,} annotation{'s' if n != 1 else ''} in {docs:,} document{'s' if docs != 1 else ''}"
        + (f", {orphans:,} orphaned" if orphans else ""))
    if flt:
        text += f" (filter: {one_line(str(flt), 200)})"
    print(text, file=sys.stderr)
