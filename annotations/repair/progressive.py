"""Repair the head of a long document first, so its first screen shows at once.

``repair_head`` returns a valid ``Repaired`` of the *whole* raw text whose
edits cover only the first ``limit`` characters (the rest is shown raw until
the full repair replaces it). The caption style is detected on the whole text
so the head is repaired the same way the full pass will repair it.
"""

from __future__ import annotations

from dataclasses import replace

from annotations.repair.context import RepairContext
from annotations.repair.edits import Repaired
from annotations.repair.engine import repair
from annotations.repair.style import detect

HEAD_CHARS = 30_000
MARGIN = 200  # edits this close to the cut may depend on text past it: dropped


def repair_head(raw: str, ctx: RepairContext, limit: int = HEAD_CHARS) -> Repaired | None:
    """A quick partial repair, or None when the text is short enough to repair whole."""
    if len(raw) <= 3 * limit:
        return None
    cut = raw.rfind(" ", 0, limit)
    if cut <= 0:
        cut = limit
    style = detect(raw, ctx.joins, ctx.style, ctx.width)
    head_ctx = replace(
        ctx,
        joins=[j for j in ctx.joins if j[0] < cut],
        pauses=[p for p in ctx.pauses if p < cut],
        style=style.name,
        width=style.width,
    )
    head = repair(raw[:cut], head_ctx)
    keep = [e for e in head.edits if e.raw_end < cut - MARGIN]
    return Repaired(raw, keep)
