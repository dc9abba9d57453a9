"""Headless annotation commands.

* ``gloss annotate CORPUS --doc KEY (--start N --end M | --quote TEXT) [--tag T]...
  [--note TEXT] [--verdict V] [--color C] [--author A] [--store DIR]`` adds one
  annotation and prints its id. Any problem: one-line error, exit 2, nothing written.
* ``gloss tags CORPUS [--rename OLD NEW] [--store DIR]`` lists tag counts, or renames
  (merges) a tag across the whole store.

Document text is data: printed with plain ``print``, control characters replaced.
"""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace
from typing import Any

import click

from annotations.anchor import annotate_span
from annotations.annotation import COLORS, Annotation, default_author
from annotations.corpus import Corpus, CorpusError
from annotations.model import Document
from annotations.store import AnnotationStore, StoreError, open_store
from annotations.tags import merge_tags, normalise_tag, tag_key
from annotations.textsafe import one_line
from tui.cli import fail, say
from tui.cli.options import author_option, corpus_argument, store_option


@click.command("annotate")
@corpus_argument()
@click.option("--doc", required=True, metavar="KEY", help="Document key (see `gloss list`).")
@click.option("--start", type=int, help="Raw start offset (with --end).")
@click.option("--end", type=int, help="Raw end offset (exclusive).")
@click.option("--quote", help="Exact text to annotate (whitespace runs may differ).")
@click.option("--nth", type=int, default=1, show_default=True,
              help="Which occurrence of --quote (1 = first).")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Tag (repeatable).")
@click.option("--note", default="", help="Note text.")
@click.option("--verdict", default=None, help="Verdict (default: unverified).")
@click.option("--color", default=COLORS[0], help=f"One of {', '.join(COLORS)}.")
@author_option
@store_option
def annotate_cmd(**params: Any) -> int:
    """Add one annotation (by offsets or by quote) and print its id.

    Any problem: one-line error, exit status 2, nothing written.
    """
    return run_annotate(SimpleNamespace(**params))


@click.command("tags")
@corpus_argument()
@click.option("--rename", nargs=2, metavar="OLD NEW", default=None,
              help="Rename OLD to NEW (merging into NEW when it exists) on every annotation.")
@store_option
def tags_cmd(**params: Any) -> int:
    """List tags with counts across the store, or rename (merge) one."""
    return run_tags(SimpleNamespace(**params))


def _open(args: Any) -> tuple[Corpus, AnnotationStore]:
    corpus = Corpus(args.corpus)
    store, note = open_store(corpus.root, args.store)
    if note:
        say("note", note)
    return corpus, store


def _find_quote(raw: str, quote: str, nth: int) -> tuple[int, int] | str:
    """(start, end) of the nth occurrence of ``quote``; an error message otherwise."""
    if not quote.strip():
        return "--quote is empty"
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), raw)]
    if not spans:  # caption line breaks: let any whitespace run match any other
        pattern = r"\s+".join(re.escape(w) for w in quote.split())
        spans = [(m.start(), m.end()) for m in re.finditer(pattern, raw)]
    if not spans:
        return f"quote not found in the document: {one_line(quote, 80)!r}"
    if not 1 <= nth <= len(spans):
        return f"--nth {nth}: the quote occurs {len(spans)} time(s)"
    if len(spans) > 1 and nth == 1:
        print(
            f"gloss: note: the quote occurs {len(spans)} times; annotated the first "
            "(--nth N picks another)",
            file=sys.stderr,
        )
    return spans[nth - 1]


def run_annotate(args: Any) -> int:
    try:
        corpus, store = _open(args)
    except (CorpusError, StoreError) as exc:
        return fail(str(exc))
    for _ in corpus.scan():
        pass
    info = corpus.get(args.doc)
    if info is None:
        return fail(f"unknown document key: {one_line(args.doc, 80)!r} (see `gloss list`)")
    doc = corpus.load(info)
    if doc.info.error:
        return fail(f"cannot open {doc.info.rel_path}: {doc.info.error}")
    verdict = args.verdict if args.verdict is not None else store.verdicts[0]
    if verdict not in store.verdicts:
        return fail(f"unknown verdict {verdict!r}; one of: {', '.join(store.verdicts)}")
    if args.color not in COLORS:
        return fail(f"unknown colour {args.color!r}; one of: {', '.join(COLORS)}")
    if args.quote is not None:
        if args.start is not None or args.end is not None:
            return fail("give either --start/--end or --quote, not both")
        found = _find_quote(doc.raw, args.quote, args.nth)
        if isinstance(found, str):
            return fail(found)
        start, end = found
    elif args.start is None or args.end is None:
        return fail("give --start N --end M, or --quote TEXT")
    else:
        start, end = args.start, args.end
        if not 0 <= start < end <= len(doc.raw):
            return fail(
                f"offsets {start}-{end} out of range: the document has "
                f"{len(doc.raw)} characters (need 0 <= start < end)"
            )
    counts = store.tag_counts()
    tags = merge_tags(args.tags, sorted(counts, key=lambda t: -counts[t]))
    ann = _build(
        doc,
        start,
        end,
        tags=tags,
        note=args.note,
        verdict=verdict,
        color=args.color,
        author=args.author or default_author(),
    )
    try:
        store.add(ann)
    except StoreError as exc:
        return fail(str(exc))
    print(ann.id)
    return 0


def _build(doc: Document, start: int, end: int, **fields: Any) -> Annotation:
    return annotate_span(doc, start, end, **fields)


def run_tags(args: Any) -> int:
    try:
        _, store = _open(args)
    except (CorpusError, StoreError) as exc:
        return fail(str(exc))
    counts = store.tag_counts()
    if args.rename:
        typed_old, typed_new = args.rename
        # The exact spelling first; else the one tag equal ignoring case and '#'.
        alike = [t for t in counts if tag_key(t) == tag_key(typed_old)]
        old = typed_old if typed_old in counts else (alike[0] if len(alike) == 1 else None)
        if old is None:
            return fail(f"no annotation has the tag {one_line(typed_old, 60)!r}")
        new = normalise_tag(typed_new)
        if not new:
            return fail("the new tag name is empty")
        merge = new in counts
        try:
            changed = store.rename_tag(old, new)
        except StoreError as exc:
            return fail(str(exc))
        verb = "merged into" if merge else "renamed to"
        print(f"tag {one_line(old, 200)!r} {verb} {one_line(new, 200)!r} on {changed} "
              f"annotation{'' if changed == 1 else 's'}")
        return 0
    for tag in sorted(counts, key=lambda t: (-counts[t], t.lower())):
        print(f"{counts[tag]}\t{one_line(tag, 200)}")
    return 0
