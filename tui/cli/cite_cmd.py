"""``gloss cite CORPUS --doc KEY (--quote TEXT | --start N --end M) [--format …]``.

Prints the citation of a quote: the edited quote (inferred characters in [brackets],
lost text as […]) with channel, title, date, video time and link, built by
``annotations.citation``. ``--quote`` is looked for in the raw text first, then in the
repaired text without inferred punctuation (so ``Iron Dome`` finds ``Iron[.] Dome``).
Never opens a browser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.cli import fail


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("cite", help="print the citation of a quote (edited quote, "
                              "source, date, video time and link)",
                              description="Cite a quote of a document exactly: the edited "
                              "quote with title, channel, date, time and link.")
    p.add_argument("path", type=Path, help="corpus folder or a single file")
    p.add_argument("--doc", required=True, help="document key (video id or path)")
    p.add_argument("--quote", help="the text to cite (raw, or as the reader shows it)")
    p.add_argument("--start", type=int, help="raw start offset")
    p.add_argument("--end", type=int, help="raw end offset")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from annotations.citation import cite
    from annotations.corpus import Corpus, CorpusError
    from annotations.quote import find, search_view
    from annotations.repair import context_for, repair
    from annotations.textsafe import one_line

    if (args.quote is None) == (args.start is None and args.end is None):
        return fail("give --quote TEXT, or --start N --end M")
    try:
        corpus = Corpus(args.path)
    except CorpusError as exc:
        return fail(str(exc))
    for _ in corpus.scan():
        pass
    if corpus.get(args.doc) is None:
        return fail(f"no document {one_line(args.doc)!r} in {one_line(str(args.path))}")
    doc = corpus.load(args.doc)
    if doc.info.error:
        return fail(f"{one_line(args.doc)}: {doc.info.error}")
    rep = repair(doc.raw, context_for(doc))
    if args.quote is not None:
        at = doc.raw.find(args.quote)
        if at >= 0:
            start, end = at, at + len(args.quote)
        else:
            hits = find(search_view(rep), args.quote, limit=1)
            if not hits:
                return fail(f"quote not found in {one_line(args.doc)}: "
                            f"{one_line(args.quote, 60)!r}")
            start, end = rep.raw_span(*hits[0])
    else:
        if args.start is None or args.end is None:
            return fail("--start and --end go together")
        start, end = args.start, args.end
        if not 0 <= start < end <= len(doc.raw):
            return fail(f"--start/--end must satisfy 0 <= start < end <= {len(doc.raw)}")
    sys.stdout.write(cite(doc, rep, start, end).render(args.format) + "\n")
    return 0
