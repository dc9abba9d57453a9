"""``gloss cite CORPUS --doc KEY (--quote TEXT | --start N --end M) [--format …]``.

Prints the citation of a quote: the edited quote (inferred characters in [brackets],
lost text as […]) with channel, title, date, video time and link, built by
``annotations.citation``. ``--quote`` is looked for in the raw text first, then in the
repaired text without inferred punctuation (so ``Iron Dome`` finds ``Iron[.] Dome``).
Never opens a browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui.cli import fail
from tui.cli.options import corpus_argument, follow_links_option


@click.command("cite")
@corpus_argument(name="path")
@click.option("--doc", "doc_key", required=True, help="Document key (video id or path).")
@click.option("--quote", "quote_text", default=None,
              help="The text to cite (raw, or as the reader shows it).")
@click.option("--start", type=int, default=None, help="Raw start offset.")
@click.option("--end", type=int, default=None, help="Raw end offset.")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "json")),
              default="text", show_default=True, help="Citation format.")
@follow_links_option
def cite_cmd(path: Path, doc_key: str, quote_text: str | None, start: int | None,
             end: int | None, fmt: str, follow_links: bool = False) -> int:
    """Cite a quote exactly: the edited quote (inferred characters in [brackets]) with
    channel, title, date, video time and link. Never opens a browser."""
    return run(path, doc_key, quote_text, start, end, fmt, follow_links=follow_links)


def run(path: Path, doc_key: str, quote_text: str | None, start: int | None,
        end: int | None, fmt: str, *, follow_links: bool = False) -> int:
    from annotations.citation import cite
    from annotations.corpus import Corpus, CorpusError
    from annotations.quote import find, search_view
    from annotations.repair import context_for, repair
    from annotations.textsafe import one_line

    if (quote_text is None) == (start is None and end is None):
        return fail("give --quote TEXT, or --start N --end M")
    try:
        corpus = Corpus(path, follow_links=follow_links)
    except CorpusError as exc:
        return fail(str(exc))
    for _ in corpus.scan():
        pass
    if corpus.get(doc_key) is None:
        return fail(f"no document {one_line(doc_key)!r} in {one_line(str(path))}")
    doc = corpus.load(doc_key)
    if doc.info.error:
        return fail(f"{one_line(doc_key)}: {doc.info.error}")
    rep = repair(doc.raw, context_for(doc, names=corpus.names()))
    if quote_text is not None:
        at = doc.raw.find(quote_text)
        if at >= 0:
            start, end = at, at + len(quote_text)
        else:
            hits = find(search_view(rep), quote_text, limit=1)
            if not hits:
                return fail(f"quote not found in {one_line(doc_key)}: "
                            f"{one_line(quote_text, 60)!r}")
            start, end = rep.raw_span(*hits[0])
    else:
        if start is None or end is None:
            return fail("--start and --end go together")
        if not 0 <= start < end <= len(doc.raw):
            return fail(f"--start/--end must satisfy 0 <= start < end <= {len(doc.raw)}")
    sys.stdout.write(cite(doc, rep, start, end).render(fmt) + "\n")
    return 0
