"""``gloss export`` and ``gloss import``: annotations to and from files.

    gloss export [CORPUS] [--store DIR] [--format json|w3c|csv|markdown]
                 [--doc KEY] [--tag T] [--verdict V] [--author A] [--since DATE]
                 [--match QUERY] [-o FILE]
    gloss import FILE [CORPUS] [--store DIR] [--dry-run]

Export streams to stdout (default) or to FILE (written to a random temporary name, then
renamed, so a failed export never leaves half a file). Import checks the whole
file before writing anything. Errors are one line on stderr, exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

import click

from annotations.corpus import Corpus, CorpusError
from annotations.exchange import (
    FORMATS,
    ExchangeError,
    export,
    export_file,
    import_file,
    select,
)
from annotations.filters import AnnotationFilter
from annotations.store import StoreError, open_store
from annotations.textsafe import one_line
from tui.cli import fail, say
from tui.cli.options import (
    annotation_filter_options,
    corpus_argument,
    follow_links_option,
    store_option,
)


@click.command("export")
@corpus_argument(required=False)
@click.option("--format", "-f", "format", type=click.Choice(FORMATS), default="json",
              help="Default: json.")
@click.option("--doc", metavar="KEY", help="Only this document (key as in `gloss list`).")
@annotation_filter_options
@click.option("--match", "query", metavar="QUERY", default="",
              help="A filter in the app's sidebar syntax, e.g. 'levee tag:claim -tag:done' "
                   "(see `gloss annotations --help`).")
@click.option("-o", "--output", metavar="FILE", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of stdout.")
@store_option
@follow_links_option
def export_cmd(**params: Any) -> int:
    """Export annotations. Formats: json (gloss.annotations/2), w3c (W3C Web Annotation
    collection, JSON-LD), csv (one row per annotation), markdown (a report by document).
    Filters combine (all must match). See docs/formats.md."""
    return run_export(SimpleNamespace(**params))


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@corpus_argument(required=False)
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@store_option
def import_cmd(**params: Any) -> int:
    """Import annotations from a gloss json or W3C export (detected). Merged by id: new
    ones are added, a newer copy replaces the stored one, an older differing copy is a
    conflict (the stored one is kept). Nothing is written if any annotation is
    malformed."""
    return run_import(SimpleNamespace(**params))


def _open(corpus_path: Path, store_dir: Path | None, *,
          follow_links: bool = False) -> tuple[Corpus, Any]:
    corpus = Corpus(corpus_path, follow_links=follow_links)
    for _ in corpus.scan():
        pass
    store, note = open_store(corpus.root, store_dir)
    if note:
        say("note", note)
    return corpus, store


class _Tail:
    """Passes writes to ``out`` and remembers the last character written, so a note on
    stderr never runs on from output that did not end its line (they share a terminal)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.last = ""

    def write(self, text: str) -> int:
        if text:
            self.last = text[-1]
        return self.out.write(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.out.flush()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def run_export(args: Any) -> int:
    try:
        flt = AnnotationFilter.build(tags=args.tags, verdicts=args.verdicts,
                                     authors=args.authors, since=args.since)
    except ValueError as exc:
        return fail(f"--since: {exc}")
    matched = AnnotationFilter.parse(args.query)
    if matched.errors:
        return fail(f"--match: {matched.errors[0]}")
    try:
        corpus, store = _open(args.corpus, args.store,
                              follow_links=getattr(args, "follow_links", False))
    except (CorpusError, StoreError) as exc:
        return fail(str(exc))
    anns = select(store, doc=args.doc, query=AnnotationFilter(flt.terms + matched.terms),
                  info_for=corpus.get)
    out_path: Path | None = args.output if args.output not in (None, Path("-")) else None
    try:
        if out_path is None:
            tail = _Tail(sys.stdout)
            count = export(anns, args.format, tail, corpus)  # type: ignore[arg-type]
            if tail.last not in ("", "\n"):
                sys.stdout.write("\n")  # the summary on stderr starts its own line
            sys.stdout.flush()
            where = "stdout"
        else:
            count = export_file(anns, args.format, out_path, corpus)
            where = str(out_path)
    except (StoreError, ExchangeError, ValueError) as exc:
        return fail(str(exc))
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        return fail(f"{exc.filename or out_path}: cannot write: {exc.strerror or exc}")
    for line in getattr(store, "skipped", []):
        say("warning", f"skipped unreadable store file: {line}")
    print(f"gloss: exported {_plural(count, 'annotation')} as {args.format} to {where}",
          file=sys.stderr)
    return 0


def run_import(args: Any) -> int:
    if not args.file.is_file():
        return fail(f"{args.file}: no such file")
    try:
        corpus, store = _open(args.corpus, args.store)
        report = import_file(args.file, store, corpus, dry_run=args.dry_run)
    except (CorpusError, StoreError, ExchangeError) as exc:
        return fail(str(exc))
    print(f"gloss: {one_line(report.summary(), 4000)}")  # keys and file names are data
    return 0
