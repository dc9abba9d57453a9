"""``gloss similar CORPUS (--doc KEY --offset N | --text "…") [--top K] [--json] [--store DIR]``.

Prints passages like the one at ``--offset`` (raw character offset) in document
``--doc``, or like ``--text``: score, title, channel, date, key, raw offsets,
cue times when known, and the passage. The passage index is built (or brought
up to date) in ``STORE/similar``; progress goes to stderr. ``--json`` prints a
JSON list of objects.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from annotations.similar.index import CUTOFF
from annotations.textsafe import one_line
from annotations.timefmt import span
from tui.cli import dumps, fail
from tui.cli.options import corpus_argument, json_option, store_option


@click.command("similar")
@corpus_argument()
@click.option("--doc", metavar="KEY", help="Document key (see `gloss list`).")
@click.option("--offset", type=int, metavar="N",
              help="Raw character offset in --doc: the passage around it is the query.")
@click.option("--text", help="Find passages like this text.")
@click.option("--top", type=int, default=10, metavar="K", help="Matches to show (10).")
@click.option("--cutoff", type=float, default=None, metavar="S",
              help=f"Lowest score shown, 0-100 (default {CUTOFF:g}).")
@click.option("--same", is_flag=True, help="Also search the same document (--doc).")
@json_option
@store_option
def similar_cmd(**params: Any) -> int:
    """Find similar passages across a corpus: like the passage at --offset in --doc, or
    like --text. Builds or updates the passage index (kept in STORE/similar) first."""
    params["json"] = params.pop("as_json")
    return run(SimpleNamespace(**params))


def _cache_dir(root: Path, store: Path | None) -> tuple[Path | None, str | None]:
    """(cache folder, error)."""
    try:
        from annotations.store.location import store_location
    except ImportError:  # pragma: no cover - the store layer is part of the project
        return (store or root / ".gloss") / "similar", None
    try:
        folder, _note = store_location(root, store)
    except Exception as exc:  # noqa: BLE001 - StoreError and OS errors: one line
        return None, str(exc)
    return folder / "similar", None


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, a few lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = -1.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not total:
            return
        now = time.monotonic()
        if done < total and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        msg = f"indexing passages: {done:,}/{total:,} documents ({100 * done // total}%)"
        if self.tty:
            sys.stderr.write("\r" + msg + ("\n" if done >= total else ""))
        else:
            sys.stderr.write(msg + "\n")
        sys.stderr.flush()
        self.shown = True


def run(args: Any) -> int:
    if (args.text is None) == (args.doc is None):
        return fail("give either --doc KEY --offset N or --text TEXT")
    if args.doc is not None and args.offset is None:
        return fail("--doc needs --offset N (a raw character offset)")
    if args.top < 1:
        return fail("--top must be at least 1")
    if args.text is not None and not args.text.strip():
        return fail("--text is empty")
    from annotations.corpus import Corpus, CorpusError

    try:
        corpus = Corpus(args.corpus)
    except CorpusError as exc:
        return fail(str(exc))
    cache, error = _cache_dir(corpus.root, args.store)
    if cache is None:
        return fail(error or "no store folder")
    infos = list(corpus.scan())
    source = None
    if args.doc is not None:
        source = corpus.get(args.doc)
        if source is None:
            return fail(f"no document with key {args.doc!r} in {corpus.root}")
        if not source.ok:
            return fail(f"document {args.doc} cannot be read: {source.error}")
    if not infos:
        return fail(f"no documents in {args.corpus}")
    from annotations.similar import PassageIndex

    try:
        index = PassageIndex.open(corpus, cache, progress=_Progress())
    except OSError as exc:
        return fail(f"cannot build the passage index in {cache}: {exc.strerror or exc}")
    if args.cutoff is None:
        from tui.settings import load_settings

        cutoff = load_settings().similar_cutoff or CUTOFF  # settings file, else the default
    else:
        cutoff = args.cutoff
    if source is not None:
        if args.doc not in index:
            return fail(f"document {args.doc} has no text to search from")
        try:
            passage = index.passage_at(args.doc, args.offset)
        except ValueError as exc:
            return fail(str(exc))
        if passage is None:
            return fail(f"document {args.doc} has no passages")
        query = passage.text
        matches = index.query_span(args.doc, passage.raw_start, passage.raw_end, top=args.top,
                                   include_same=args.same, cutoff=cutoff)
    else:
        query = args.text
        matches = index.query_text(args.text, top=args.top, cutoff=cutoff)
    rows = [_row(corpus, m) for m in matches]
    if args.json:
        print(dumps(rows, indent=1))
        return 0
    print(f"Similar to: “{one_line(' '.join(query.split()), 160)}”")
    if not rows:
        print(f"No passages scored {cutoff:g} or more.")
    for r in rows:
        head = f"{r['score']:5.1f}  {one_line(r['title'] or r['key'], 60)}"
        meta = "  ".join(x for x in (one_line(r["channel"], 16), r["date"]) if x)
        print(head + (f"  · {meta}" if meta else ""))
        where = f"       {one_line(r['key'], 60)}  raw {r['raw_start']}–{r['raw_end']}"
        if r["time_start"] is not None:
            where += f"  [{span(r['time_start'], r['time_end'])}]"
        print(where)
        print(f"       “{one_line(' '.join(r['text'].split()), 200)}”")
    return 0


def _row(corpus: Any, m: Any) -> dict[str, Any]:
    info = corpus.get(m.doc_key)
    return {
        "score": m.score, "key": m.doc_key,
        "title": info.title if info else "", "channel": info.channel if info else "",
        "date": info.date if info else "", "path": info.rel_path if info else "",
        "raw_start": m.raw_start, "raw_end": m.raw_end,
        "time_start": m.time_start, "time_end": m.time_end, "text": m.text,
    }
