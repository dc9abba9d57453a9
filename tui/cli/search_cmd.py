"""``gloss search CORPUS QUERY… [--channel C] [--since D] [--until D] [--limit N] [--json]``

Full-text search of the corpus as a concordance: one line per hit, left context |
hit | right context, with date, channel, video time and title. The index
(``<store>/search.sqlite``) is brought up to date first (only changed files are
read; ``--no-update`` skips that). Query syntax: ``annotations/search/query.py``.
Document text is data: every cell goes through ``textsafe.one_line``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from annotations.corpus import Corpus, CorpusError
from annotations.textsafe import one_line
from tui.cli import fail
from tui.cli.options import corpus_argument, follow_links_option, json_option, store_option

CONTEXT = 32


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


@click.command("search")
@corpus_argument()
@click.argument("query", nargs=-1, required=True)
@click.option("--channel", default=None, metavar="C", help="Only this channel.")
@click.option("--since", default=None, metavar="D", help="Documents dated on or after D "
              "(YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, metavar="D", help="Documents dated on or before D.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0),
              metavar="N", help="Stop after N hits (0: all).")
@click.option("--sort", "sort", default="date", show_default=True,
              type=click.Choice(["date", "channel", "document", "left", "right"]),
              help="Order of the lines.")
@click.option("--fuzzy", is_flag=True, help="Also match index words spelled like the "
              "query's words (expansions are printed).")
@click.option("--no-update", is_flag=True, help="Search the index as it is (do not read "
              "changed files first).")
@json_option
@store_option
@follow_links_option
def search_cmd(corpus: Path, query: tuple[str, ...], channel: str | None, since: str | None,
               until: str | None, limit: int, sort: str, fuzzy: bool, no_update: bool,
               as_json: bool, store: Path | None, follow_links: bool = False) -> int:
    """Search every document; print hits as a concordance (KWIC).

    QUERY: words, "phrases", a OR b, -word, pre*, NEAR(a b, 5), channel:C,
    date:2024-04, date:2024-04-01..2024-04-10, has:annotations.
    """
    from annotations.search.build import open_index, sync
    from annotations.search.kwic import count_hits, sort_hits
    from annotations.search.query import QueryError
    from annotations.search.service import Searcher, corpus_loader
    from annotations.search.sqlite_index import IndexError_
    from annotations.store import StoreError, open_store

    try:
        docs = Corpus(corpus, follow_links=follow_links)
    except CorpusError as exc:
        return fail(str(exc))
    try:
        st, _note = open_store(docs.root, store)
    except StoreError as exc:
        return fail(str(exc))
    try:
        index = open_index(st.root, read_only=st.read_only)
    except IndexError_ as exc:
        return fail(str(exc))
    if not no_update and not st.read_only:
        for _ in docs.scan_batches(2000):
            pass
        tty = sys.stderr.isatty()

        def tick(done: int, total: int) -> None:
            if tty and total:
                print(f"\rindexing {done}/{total}", end="", file=sys.stderr, flush=True)

        sync(docs.root, docs.infos, index, progress=tick,
             processes=min(2, os.cpu_count() or 1))
        if tty:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    searcher = Searcher(docs.root, index, annotated=lambda: frozenset(st.counts()),
                        loader=corpus_loader(docs))
    try:
        q = searcher.prepare(" ".join(query), fuzzy=fuzzy, channel=channel, since=since,
                             until=until)
        res = searcher.search(q, limit=limit or None, width=CONTEXT)
    except QueryError as exc:
        return fail(f"bad query: {exc}")
    hits = sort_hits(res.hits[: limit or None], sort)
    for word, alts in q.expansions.items():
        shown = ", ".join(alts) if alts else "no similar words"
        print(f"gloss: fuzzy: {word} → {shown}", file=sys.stderr)
    if as_json:
        json.dump([h.as_dict() for h in hits], sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for h in hits:
            left = one_line(h.left, 1 << 20)[-CONTEXT:].rjust(CONTEXT)
            right = one_line(h.right, 1 << 20)[:CONTEXT].ljust(CONTEXT)
            print(f"{h.date:<10}  {one_line(h.channel, 12):<12}  {clock(h.time):>7}  "
                  f"{left} | {one_line(h.text, 80)} | {right}  {one_line(h.title, 60)}")
    counts = count_hits(hits)
    more = "" if res.complete else f" (stopped at --limit {limit}; more may follow)"
    print(f"gloss: {counts.hits} hits in {counts.documents} of {len(res.documents)} matching "
          f"documents{more}", file=sys.stderr)
    index.close()
    return 0
