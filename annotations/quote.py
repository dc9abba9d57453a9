"""Editorial brackets: the edited form of a quote, and find across inferred characters.

A quote leaving gloss is either the exact raw text or this *edited form* of the repaired
text, which shows what the speaker did not say, the convention of quoting edited speech:

* every inferred character is in square brackets: ``Lebano[n]``, ``October […][.] And``;
* every lost stretch is ``[…]`` (already bracketed);
* HTML entities are decoded (``&#39;`` → ``'``): a decoding, not an inference; speaker
  and story marks (``&gt;&gt;`` shown as ``—``) are inferred, so bracketed: ``[—]``;
* whitespace is layout (collapsed spaces, paragraph breaks) and is never bracketed;
* sentence case of all-caps captions is marked **once for the whole quote**, not per
  letter (``T[his] [is] CNN`` would be unreadable): the quote is shown in sentence case
  and :attr:`Edited.recased` is true; renderers add :data:`RECASED_NOTE`.

Properties (tested with hypothesis): the edited text with brackets removed
(:func:`unbracket`) equals the repaired display text of the span; its non-bracketed,
non-whitespace characters are raw characters in order (entities decoded, case ignored
when ``recased``).

Find: :func:`find` searches the repaired text *without* inferred punctuation (inferred
letters of completed words stay; whitespace runs as one space; case-insensitive), so
``Iron Dome`` finds ``Iron[.] Dome`` and ``Lebanon now`` finds ``Lebano[n.] Now``; each hit
maps back to a display span and to the raw span an annotation would store.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass

from annotations.repair.edits import Edit, Repaired
from annotations.repair.joins import GAP_MARKER

RECASED_NOTE = "capitals inferred from all-caps captions"
_RUNS = re.compile(r"\s+|\S+")
_ODD_SPACE = re.compile(r"[^\S ]|  ")  # whitespace other than single spaces
_PLAIN_KINDS = frozenset({"whitespace", "paragraph", "repeat", "control"})


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    inferred: bool = False  # shown in brackets
    gap: bool = False  # a lost stretch, shown as [...] (never doubly bracketed)


@dataclass(frozen=True, slots=True)
class Edited:
    """The edited form of raw ``[start, end)``."""

    pieces: tuple[Piece, ...]
    recased: bool = False  # sentence case inferred for (part of) the quote

    @property
    def text(self) -> str:
        """The quote with inferred characters in brackets."""
        return "".join(_render(p) for p in self.pieces)

    @property
    def repaired(self) -> str:
        """The quote as the reader shows it (brackets removed)."""
        return "".join(p.text for p in self.pieces)

    @property
    def changed(self) -> bool:
        return self.recased or any(p.inferred or p.gap for p in self.pieces)

    def with_note(self) -> str:
        """``text``, followed by the sentence-case note when the quote was re-cased."""
        return f"{self.text} [{RECASED_NOTE}]" if self.recased else self.text


def _render(p: Piece) -> str:
    if p.gap:
        return p.text
    return f"[{p.text}]" if p.inferred and p.text else p.text


def unbracket(pieces: tuple[Piece, ...] | list[Piece]) -> str:
    """The text of the pieces with brackets removed (the repaired text)."""
    return "".join(p.text for p in pieces)


def _edit_pieces(e: Edit, raw_seg: str) -> list[Piece]:
    """How one edit reads in a quote."""
    rep = e.replacement
    kind = e.kind
    if kind == "gap":
        lead = rep[: len(rep) - len(rep.lstrip())]
        body = rep.strip()
        out = [Piece(lead)] if lead else []
        if body:
            out.append(Piece(body, gap=body == GAP_MARKER, inferred=body != GAP_MARKER))
        return out
    if kind == "case" or kind in _PLAIN_KINDS:
        return [Piece(rep)] if rep else []
    if kind == "entity":
        if rep == html.unescape(raw_seg):
            return [Piece(rep)]
        lead = rep[: len(rep) - len(rep.lstrip())]
        trail = rep[len(rep.rstrip()):]
        core = rep.strip()
        out = [Piece(lead)] if lead else []
        if core:
            out.append(Piece(core, inferred=True))
        if trail:
            out.append(Piece(trail))
        return out
    # completion, punctuation (and any other kind): what is shared with the raw text
    # at either end stays plain; the middle is inferred.
    a = 0
    while a < len(rep) and a < len(raw_seg) and rep[a] == raw_seg[a]:
        a += 1
    b = 0
    while (b < len(rep) - a and b < len(raw_seg) - a
           and rep[len(rep) - 1 - b] == raw_seg[len(raw_seg) - 1 - b]):
        b += 1
    out = []
    if a:
        out.append(Piece(rep[:a]))
    mid = rep[a:len(rep) - b]
    if mid:
        out.append(Piece(mid, inferred=True))
    if b:
        out.append(Piece(rep[len(rep) - b:]))
    return out


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Adjacent pieces of one sort joined (``[.] `` not ``[.][ ]``)."""
    out: list[Piece] = []
    for p in pieces:
        if not p.text:
            continue
        if out and not p.gap and not out[-1].gap and out[-1].inferred == p.inferred:
            out[-1] = Piece(out[-1].text + p.text, p.inferred)
        else:
            out.append(p)
    return tuple(out)


def edited(rep: Repaired, start: int, end: int) -> Edited:
    """The edited form of raw ``[start, end)`` as ``rep`` shows it."""
    ds, de = rep.display_span(start, end)
    pieces: list[Piece] = []
    recased = False
    raw = rep.raw
    for seg in rep.segments_between(ds, de):
        if seg.edit is None:
            a = max(ds, seg.text_start) - seg.text_start
            b = min(de, seg.text_end) - seg.text_start
            pieces.append(Piece(raw[seg.raw_start + a:seg.raw_start + b]))
            continue
        if seg.text_start == seg.text_end and not (ds <= seg.text_start <= de):
            continue
        e = seg.edit
        if e.kind == "case" or (e.kind == "repeat" and e.replacement != raw[e.raw_start:e.raw_end]):
            recased = True
        pieces.extend(_edit_pieces(e, raw[e.raw_start:e.raw_end]))
    return Edited(_merge(pieces), recased)


def edited_text(rep: Repaired | None, raw: str, start: int, end: int) -> str:
    """The edited quote as text (the raw quote when there is no repair)."""
    if rep is None:
        return raw[start:end]
    return edited(rep, start, end).text


# -- find across inferred characters ------------------------------------------------------

@dataclass(slots=True)
class SearchView:
    """The repaired text without inferred characters, for find.

    ``text``: spoken characters only, whitespace runs as one space, lower-cased;
    ``at[i]``: the display offset of ``text[i]``.
    """

    rep: Repaired
    text: str
    at: list[int]

    def display_span(self, i: int, j: int) -> tuple[int, int]:
        """Display span of search-text ``[i, j)`` (from its first to its last character)."""
        return self.at[i], self.at[j - 1] + 1

    def raw_span(self, i: int, j: int) -> tuple[int, int]:
        return self.rep.raw_span(*self.display_span(i, j))


def search_view(rep: Repaired) -> SearchView:
    """The :class:`SearchView` of a repaired text (one pass over its segments)."""
    chars: list[str] = []
    at: list[int] = []
    space = True  # drop leading whitespace and collapse runs
    raw = rep.raw

    def add(text: str, d0: int) -> None:
        nonlocal space
        if not text:
            return
        low = text.lower()
        if len(low) != len(text):  # a character whose lower case is longer: keep it
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        if _ODD_SPACE.search(text) is None:  # single spaces only: the whole run at once
            k = 1 if space and text[0] == " " else 0
            if k < len(text):
                chars.append(low[k:])
                at.extend(range(d0 + k, d0 + len(text)))
                space = text[-1] == " "
            return
        for m in _RUNS.finditer(text):
            a, b = m.span()
            if text[a].isspace():
                if not space:
                    space = True
                    chars.append(" ")
                    at.append(d0 + a)
            else:
                space = False
                chars.append(low[a:b])
                at.extend(range(d0 + a, d0 + b))

    for seg in rep.segments:
        if seg.edit is None:
            add(raw[seg.raw_start:seg.raw_end], seg.text_start)
            continue
        d = seg.text_start
        for p in _edit_pieces(seg.edit, raw[seg.raw_start:seg.raw_end]):
            if p.gap:
                add(" ", d)  # a lost stretch separates words
            elif not p.inferred:
                add(p.text, d)
            else:  # inferred letters (completions) are searchable, inferred marks are not
                for k, ch in enumerate(p.text):
                    if ch.isalnum():
                        add(ch, d + k)
            d += len(p.text)
    return SearchView(rep, "".join(chars), at)


def find(view: SearchView, needle: str, *, limit: int = 10_000) -> list[tuple[int, int]]:
    """Display spans of ``needle`` in the spoken text (inferred characters skipped,
    whitespace runs as one space, case-insensitive), in order."""
    key = " ".join(needle.split()).lower()
    if not key:
        return []
    out: list[tuple[int, int]] = []
    i = view.text.find(key)
    while i >= 0 and len(out) < limit:
        out.append(view.display_span(i, i + len(key)))
        i = view.text.find(key, i + 1)
    return out


def search_index(view: SearchView, display: int) -> int:
    """Index in the search text at or after display offset ``display``."""
    return bisect.bisect_left(view.at, display)
