"""``repair(raw, context) -> Repaired``: every pass, conflicts resolved, one offset map."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Mapping

from annotations.repair.case import case_edits, proper_forms
from annotations.repair.cleanup import SPEAKER, STORY, control_edits, entity_edits, whitespace_edits
from annotations.repair.context import RepairContext
from annotations.repair.edits import Edit, Repaired
from annotations.repair.joins import Lexicons, find_line_ends, join_edits, repeat_edits
from annotations.repair.lexicon import WORD, WordIndex, zipf
from annotations.repair.scan import Scan
from annotations.repair.sentences import paragraph_edits
from annotations.repair.style import Style, detect

# Lower wins when two edits collide.
PRIORITY = {
    "control": 0,
    "entity": 1,
    "completion": 2,
    "gap": 2,
    "punctuation": 3,
    "whitespace": 4,
    "repeat": 5,
    "case": 6,
    "paragraph": 7,
}


class RepairResult(Repaired):
    """A :class:`Repaired` that also says which caption style was detected."""

    __slots__ = ("style",)

    def __init__(self, raw: str, edits: list[Edit], style: Style) -> None:
        super().__init__(raw, edits)
        self.style = style


def _conflict(a: Edit, b: Edit) -> bool:
    """Do ``a`` and ``b`` (``a`` sorted first) overlap?"""
    if a.raw_start == a.raw_end:
        return b.raw_start == a.raw_start and b.raw_end == b.raw_start
    return b.raw_start < a.raw_end


_ORDER = operator.attrgetter("raw_start", "raw_end")


def resolve(edits: Iterable[Edit]) -> list[Edit]:
    """Sorted, non-overlapping edits; on a collision the higher-priority kind stays."""
    out: list[Edit] = []
    append = out.append
    last_end = -1
    last_ins = -1
    for e in sorted(edits, key=_ORDER):
        s = e.raw_start
        if s > last_end or (s == last_end and s != last_ins):
            append(e)  # the common case: clear of the previous edit
        else:
            keep = True
            while out and _conflict(out[-1], e):
                if PRIORITY.get(e.kind, 9) < PRIORITY.get(out[-1].kind, 9):
                    out.pop()
                else:
                    keep = False
                    break
            if not keep:
                continue
            append(e)
        last_end = out[-1].raw_end
        last_ins = last_end if out[-1].raw_start == last_end else -1
    return out


def merge_low(high: list[Edit], low: list[Edit]) -> list[Edit]:
    """Sorted, resolved ``high`` merged with sorted, non-overlapping ``low``; a low edit
    that collides with a high one is dropped. Linear (for the many case edits)."""
    out: list[Edit] = []
    append = out.append
    guard: Edit | None = None  # the last high edit placed
    i = 0
    n = len(high)
    for e in low:
        key = (e.raw_start, e.raw_end)
        while i < n and (high[i].raw_start, high[i].raw_end) <= key:
            guard = high[i]
            append(guard)
            i += 1
        if guard is not None and _conflict(guard, e):
            continue
        j = i
        clash = False
        while j < n and high[j].raw_start <= e.raw_end:
            if _conflict(e, high[j]):
                clash = True
                break
            j += 1
        if not clash:
            append(e)
    out.extend(high[i:])
    return out


_INDEX_CACHE: dict[int, tuple[Mapping[str, int], WordIndex]] = {}


def corpus_index(corpus: Mapping[str, int] | None) -> WordIndex | None:
    """The prefix index of a corpus lexicon, built once per mapping object."""
    if not corpus:
        return None
    hit = _INDEX_CACHE.get(id(corpus))
    if hit is not None and hit[0] is corpus:
        return hit[1]
    idx = WordIndex(corpus)
    if len(_INDEX_CACHE) > 4:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(corpus)] = (corpus, idx)
    return idx


def _lexicons(
    scan: Scan, title: str, corpus: Mapping[str, int] | None, end_tokens: Counter[str]
) -> Lexicons:
    counts = Counter(scan.words)
    for tok, n in end_tokens.items():
        left = counts.get(tok, 0) - n
        if left > 0:
            counts[tok] = left
        else:
            counts.pop(tok, None)
    doc = WordIndex(counts)
    title_words = Counter(WORD.findall(title)) if title else None
    return Lexicons(
        doc=doc,
        other=Counter(doc.counts),
        title=WordIndex(title_words) if title_words else None,
        corpus=corpus_index(corpus),
        corpus_words=corpus,
    )


def repair(raw: str, context: RepairContext | None = None) -> RepairResult:
    """The display text of ``raw`` as edits with a two-way offset map. ``raw`` is unchanged."""
    ctx = context or RepairContext()
    style = detect(raw, ctx.joins, ctx.style, ctx.width)
    scan = Scan(raw)
    edits: list[Edit] = control_edits(raw) + entity_edits(raw)
    keep_doubles: set[int] = set()
    completions: dict[int, Edit] = {}
    join_points = {s for s, _c in ctx.joins}
    upper_text = style.name == "upper"
    if style.width is not None and style.name in ("cut", "upper"):
        ends = find_line_ends(raw, style, ctx.joins)
        if upper_text:
            ends.trailing = []  # trailing spaces mean nothing in all-caps captions
        where = (f"line ended at column {style.width}" if ctx.joins
                 else f"line cut at {style.width} columns")
        jedits = join_edits(
            raw, ends, lambda end_tokens: _lexicons(scan, ctx.title, ctx.corpus, end_tokens),
            upper_text, where, ctx.width_gaps)
        edits += jedits
        completions = {e.raw_start: e for e in jedits if e.kind == "completion"}
        keep_doubles = set(ends.trailing)
        join_points |= ends.seps()
    edits += whitespace_edits(raw, keep_doubles)
    edits += repeat_edits(raw, scan, join_points, everywhere=style.name == "cut")
    case_on = ctx.case if ctx.case is not None else upper_text
    if case_on:
        names = proper_forms(ctx.title, ctx.corpus, zipf, ctx.names)
        extend = {k: e.replacement for k, e in completions.items()}
        cedits, suffixes = case_edits(raw, names, zipf, extend)
        for k, suffix in suffixes.items():
            old = completions.get(k)
            if old is not None and suffix != old.replacement:
                edits.remove(old)
                edits.append(old._replace(replacement=suffix))
        edits, cedits = _marks_in_case(edits, cedits)
        edits = merge_low(resolve(edits), cedits)
    else:
        edits = resolve(edits)
    if ctx.paragraphs:
        # paragraph breaks avoid every edited space, so they collide with nothing
        edits = sorted(edits + _paragraphs(raw, edits, ctx), key=_ORDER)
    return RepairResult(raw, edits, style)


def _marks_in_case(edits: list[Edit], cedits: list[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Case edits joined to the rest; a repeated word keeps its mark, shown in case."""
    repeats = {(e.raw_start, e.raw_end): i for i, e in enumerate(edits) if e.kind == "repeat"}
    if repeats:
        kept = []
        for c in cedits:
            i = repeats.get((c.raw_start, c.raw_end))
            if i is None:
                kept.append(c)
            else:
                r = edits[i]
                edits[i] = r._replace(
                    replacement=c.replacement, reason=f"{r.reason}; shown in sentence case")
        cedits = kept
    return edits, cedits


def _paragraphs(raw: str, edits: list[Edit], ctx: RepairContext) -> list[Edit]:
    busy: set[int] = set()
    forced: list[tuple[int, str]] = []
    for e in edits:
        if e.kind == "case" or e.raw_start == e.raw_end:
            continue
        if e.raw_end - e.raw_start == 1:
            busy.add(e.raw_start)
        else:
            busy.update(range(e.raw_start, e.raw_end))
        if e.kind == "entity" and e.replacement in (SPEAKER, STORY):
            s = e.raw_start - 1
            while s > 0 and raw[s - 1] == " ":
                s -= 1
            if s >= 0 and raw[s:s + 1] == " ":
                why = "new story" if e.replacement == STORY else "new speaker"
                forced.append((s, f"paragraph break: {why}"))
    return paragraph_edits(raw, busy, forced, ctx.pauses)
