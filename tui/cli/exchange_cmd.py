"""``gloss export`` and ``gloss import``: annotations to and from files.

    gloss export [CORPUS] [--store DIR] [--format json|w3c|csv|markdown]
                 [--doc KEY] [--tag T] [--verdict V] [--author A] [--since DATE] [-o FILE]
    gloss import FILE [CORPUS] [--store DIR] [--dry-run]

Export streams to stdout (default) or to FILE (written to a random temporary name, then
renamed, so a failed export never leaves half a file). Import checks the whole
file before writing anything. Errors are one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotations.corpus import Corpus, CorpusError
from annotations.exchange import FORMATS, ExchangeError, export, import_file, select, since_key
from annotations.store import StoreError, open_store
from tui.cli import fail


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export", help="export annotations (json, w3c, csv, markdown)",
        description="Export annotations. Formats: json (gloss.annotations/1), w3c (W3C Web "
        "Annotation collection, JSON-LD), csv (one row per annotation), markdown (a report "
        "by document). Filters combine (all must match). See docs/formats.md.")
    p.add_argument("corpus", nargs="?", default=".", type=Path,
                   help="corpus folder or file (default: current folder)")
    p.add_argument("--store", type=Path, default=None, help="annotation store folder")
    p.add_argument("--format", "-f", choices=FORMATS, default="json", help="default: json")
    p.add_argument("--doc", metavar="KEY", help="only this document (key as in `gloss list`)")
    p.add_argument("--tag", metavar="T", help="only annotations with this tag")
    p.add_argument("--verdict", metavar="V", help="only annotations with this verdict")
    p.add_argument("--author", metavar="A", help="only annotations by this author")
    p.add_argument("--since", metavar="DATE",
                   help="only annotations changed on or after DATE (YYYY-MM-DD or ISO time, UTC)")
    p.add_argument("-o", "--output", metavar="FILE", type=Path, default=None,
                   help="write to FILE instead of stdout")
    p.set_defaults(func=run_export)

    q = subparsers.add_parser(
        "import", help="import a json or w3c export into the store",
        description="Import annotations from a gloss json or W3C export (detected). Merged by "
        "id: new ones are added, a newer copy replaces the stored one, an older differing copy "
        "is a conflict (the stored one is kept). Nothing is written if any annotation is "
        "malformed.")
    q.add_argument("file", type=Path, help="export file to import")
    q.add_argument("corpus", nargs="?", default=".", type=Path,
                   help="corpus folder or file (default: current folder)")
    q.add_argument("--store", type=Path, default=None, help="annotation store folder")
    q.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    q.set_defaults(func=run_import)


def _open(corpus_path: Path, store_dir: Path | None) -> tuple[Corpus, Any]:
    corpus = Corpus(corpus_path)
    for _ in corpus.scan():
        pass
    store, note = open_store(corpus.root, store_dir)
    if note:
        print(f"gloss: note: {note}", file=sys.stderr)
    return corpus, store


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def run_export(args: argparse.Namespace) -> int:
    since = None
    if args.since is not None:
        try:
            since = since_key(args.since)
        except ValueError as exc:
            return fail(f"--since: {exc}")
    try:
        corpus, store = _open(args.corpus, args.store)
    except (CorpusError, StoreError) as exc:
        return fail(str(exc))
    anns = select(store, doc=args.doc, tag=args.tag, verdict=args.verdict, author=args.author,
                  since=since)
    out_path: Path | None = args.output if args.output not in (None, Path("-")) else None
    try:
        if out_path is None:
            count = export(anns, args.format, sys.stdout, corpus)
            sys.stdout.flush()
            where = "stdout"
        else:
            count = _export_to_file(anns, args.format, out_path, corpus)
            where = str(out_path)
    except (StoreError, ExchangeError, ValueError) as exc:
        return fail(str(exc))
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        return fail(f"{exc.filename or out_path}: cannot write: {exc.strerror or exc}")
    for line in getattr(store, "skipped", []):
        print(f"gloss: warning: skipped unreadable store file: {line}", file=sys.stderr)
    print(f"gloss: exported {_plural(count, 'annotation')} as {args.format} to {where}",
          file=sys.stderr)
    return 0


def _export_to_file(anns: Any, fmt: str, path: Path, corpus: Corpus) -> int:
    from annotations.safeio import atomic_output

    with atomic_output(path, text=True) as fh:  # random temporary name, then replace
        return export(anns, fmt, fh, corpus)


def run_import(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        return fail(f"{args.file}: no such file")
    try:
        corpus, store = _open(args.corpus, args.store)
        report = import_file(args.file, store, corpus, dry_run=args.dry_run)
    except (CorpusError, StoreError, ExchangeError) as exc:
        return fail(str(exc))
    print(f"gloss: {report.summary()}")
    return 0
