"""Command palette provider: open any document by title (Ctrl+P, then type)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider
from textual.markup import escape

from annotations.textsafe import one_line

if TYPE_CHECKING:
    from tui.app import GlossApp

MAX_HITS = 40


class DocumentsProvider(Provider):
    """Documents whose title, channel or key hold the query (substring first, then fuzzy)."""

    async def search(self, query: str) -> Hits:
        app: GlossApp = self.app  # type: ignore[assignment]
        q = query.strip().lower()
        if len(q) < 2:
            return
        matcher = self.matcher(query)
        table = app.table
        found = 0
        for info in table.rows:
            hay = f"{info.title} {info.channel} {info.key}"
            if q in hay.lower():
                score = 1.0
            else:
                continue
            label = one_line(f"Open: {info.title or info.rel_path} · {info.channel} {info.date}", 120)
            yield Hit(score, matcher.highlight(escape(label)), partial(app.open_and_focus, info),
                      help=escape(one_line(info.rel_path, 120)))
            found += 1
            if found >= MAX_HITS:
                return
