"""``gloss similar CORPUS (--doc KEY --offset N | --text "…") [--kind words|claim|all]
[--top K] [--cutoff S] [--json] [--store DIR]``.

Prints passages like the one at ``--offset`` (raw character offset) in document
``--doc``, or like ``--text``, grouped by kind: **same words** (the aligned span)
and **same claim**, best first, each with its score, level (confirmed or
suggested), title, channel, date, key, exact raw offsets in both documents,
cue times when known and the text. Never the query's own video unless
``--same``. The passage index is built (or brought up to date) in
``STORE/similar``; progress goes to stderr. ``--json`` prints a JSON list of
objects (one per hit, with ``kind``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from annotations.similar.find import THRESHOLDS
from annotations.textsafe import one_line
from annotations.timefmt import span
from tui.cli import dumps, fail
from tui.cli.options import corpus_argument, follow_links_option, json_option, store_option


@click.command("similar")
@corpus_argument()
@click.option("--doc", metavar="KEY", help="Document key (see `gloss list`).")
@click.option("--offset", type=int, metavar="N",
              help="Raw character offset in --doc: the passage around it is the query.")
@click.option("--text", help="Find passages like this text.")
@click.option("--kind", type=click.Choice(["words", "claim", "all"]), default="all",
              show_default=True, help="Same words (a quote repeated), same claim, or both.")
@click.option("--top", type=int, default=10, metavar="K", help="Matches to show per kind (10).")
@click.option("--cutoff", type=float, default=None, metavar="S",
              help="Lowest score shown, 0-100 (default: each kind's 'suggested' threshold, "
                   + ", ".join(f"{k} {v[0]:g}" for k, v in THRESHOLDS.items()) + ").")
@click.option("--same", is_flag=True, help="Also search the same video (--doc).")
@json_option
@store_option
@follow_links_option
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
        corpus = Corpus(args.corpus, follow_links=getattr(args, "follow_links", False))
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
    from annotations.similar import PassageIndex, SimilarFinder
    from annotations.similar.videos import VideoGroups

    try:
        index = PassageIndex.open(corpus, cache, progress=_Progress())
    except OSError as exc:
        return fail(f"cannot build the passage index in {cache}: {exc.strerror or exc}")
    if args.cutoff is not None and not 0 <= args.cutoff <= 100:
        return fail("--cutoff must be between 0 and 100")
    if args.cutoff is None:  # the settings file's, else each kind's own threshold
        from tui.settings import load_settings

        args.cutoff = load_settings().similar_cutoff
    finder = SimilarFinder(index, VideoGroups(corpus.infos))
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
        res = finder.find_span(args.doc, passage.raw_start, passage.raw_end, kind=args.kind,
                               top=args.top, include_same=args.same, cutoff=args.cutoff)
    else:
        query = args.text
        res = finder.find_text(args.text, kind=args.kind, top=args.top, cutoff=args.cutoff)
    rows = [_row(corpus, h, args.doc) for h in res.all()]
    if args.json:
        print(dumps(rows, indent=1))
        return 0
    print(f"Similar to: “{one_line(' '.join(query.split()), 160)}”")
    kinds = ["words", "claim"] if args.kind == "all" else [args.kind]
    for kind in kinds:
        group = [r for r in rows if r["kind"] == kind]
        title = {"words": "Same words", "claim": "Same claim"}[kind]
        print(f"\n{title} ({len(group)})")
        if not group:
            low = args.cutoff if args.cutoff is not None else THRESHOLDS[kind][0]
            print(f"  none scored {low:g} or more")
        for r in group:
            head = f"{r['score']:5.1f} {r['level'][:4]}  {one_line(r['title'] or r['key'], 56)}"
            meta = "  ".join(x for x in (one_line(r["channel"], 16), r["date"]) if x)
            print(head + (f"  · {meta}" if meta else ""))
            where = f"       {one_line(r['key'], 60)}  raw {r['raw_start']}–{r['raw_end']}"
            if r["time_start"] is not None:
                where += f"  [{span(r['time_start'], r['time_end'])}]"
            print(where)
            print(f"       “{one_line(' '.join(r['text'].split()), 200)}”")
            if kind == "words" and r["source"]["text"]:
                print(f"       here: “{one_line(' '.join(r['source']['text'].split()), 120)}”")
    return 0


def _row(corpus: Any, h: Any, source_key: str | None) -> dict[str, Any]:
    info = corpus.get(h.doc_key)
    return {
        "kind": h.kind, "level": h.level, "score": h.score, "key": h.doc_key,
        "title": info.title if info else "", "channel": info.channel if info else "",
        "date": info.date if info else "", "path": info.rel_path if info else "",
        "raw_start": h.raw_start, "raw_end": h.raw_end,
        "time_start": h.time_start, "time_end": h.time_end, "text": h.text,
        "words": h.words,
        "source": {"key": source_key, "raw_start": h.source_start, "raw_end": h.source_end,
                   "text": h.source_text},
    }
