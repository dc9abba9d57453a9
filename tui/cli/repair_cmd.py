"""``gloss repair FILE [--json]``: the display text of one document.

Without ``--json`` the repaired text is printed (control characters are already removed
by the repair). ``--json`` prints exactly one object::

    {"raw": str, "text": str, "edits": [{"kind", "raw_start", "raw_end", "text_start",
     "text_end", "replacement", "confidence", "reason"}, ...]}

Offsets are Python ``str`` indices: ``raw[raw_start:raw_end]`` is what an edit replaced
and ``text[text_start:text_end]`` is what is shown for it. ``raw`` is the loader's
document text (for the tagged format, the body inside ``<doc>``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from tui.cli import fail


@click.command("repair")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print {raw, text, edits} as one JSON object.")
@click.option("--case/--no-case", default=None,
              help="Sentence case for all-caps captions (default: on for all-caps text).")
@click.option("--paragraphs/--no-paragraphs", default=True,
              help="Add paragraph breaks (default: on).")
@click.option("--style", type=click.Choice(("cut", "upper", "asr", "prose")), default=None,
              help="Caption style instead of detecting it.")
def repair_cmd(file: Path, as_json: bool, case: bool | None, paragraphs: bool,
               style: str | None) -> int:
    """Repair a transcript for display: gaps at caption joins, cut words, lost sentence
    ends, paragraphs, entities, whitespace. The file is never changed."""
    return run(file, as_json=as_json, case=case, paragraphs=paragraphs, style=style)


def payload(repaired: Any) -> dict[str, Any]:
    """The JSON object for a :class:`~annotations.repair.Repaired`."""
    edits = [
        {
            "kind": e.kind,
            "raw_start": e.raw_start,
            "raw_end": e.raw_end,
            "text_start": ts,
            "text_end": te,
            "replacement": e.replacement,
            "confidence": round(e.confidence, 3),
            "reason": e.reason,
        }
        for e, ts, te in repaired.edit_spans()
    ]
    return {"raw": repaired.raw, "text": repaired.text, "edits": edits}


def run(path: Path, *, as_json: bool = False, case: bool | None = None,
        paragraphs: bool = True, style: str | None = None) -> int:
    from annotations.formats import load
    from annotations.repair import context_for, repair

    if not path.exists():
        return fail(f"{path}: no such file")
    if path.is_dir():
        return fail(f"{path}: is a folder (give one document)")
    doc = load(path, path.parent)
    if doc.info.error:
        return fail(f"{path}: {doc.info.error}")
    ctx = context_for(doc)
    ctx.case = case
    ctx.paragraphs = paragraphs
    ctx.style = style
    repaired = repair(doc.raw, ctx)
    if as_json:
        json.dump(payload(repaired), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(repaired.text)
        if not repaired.text.endswith("\n"):
            sys.stdout.write("\n")
    sys.stdout.flush()
    return 0
