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

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tui.cli import fail


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "repair", help="print the repaired (display) text of a document",
        description="Repair a transcript for display: gaps at caption joins, cut words, "
                    "lost sentence ends, paragraphs, entities, whitespace. The file is "
                    "never changed.")
    p.add_argument("file", type=Path, help="a transcript (.txt, tagged, .vtt, .srt)")
    p.add_argument("--json", action="store_true",
                   help="print {raw, text, edits} as one JSON object")
    p.add_argument("--case", action=argparse.BooleanOptionalAction, default=None,
                   help="sentence case for all-caps captions (default: on for all-caps text)")
    p.add_argument("--paragraphs", action=argparse.BooleanOptionalAction, default=True,
                   help="add paragraph breaks (default: on)")
    p.add_argument("--style", choices=("cut", "upper", "asr", "prose"), default=None,
                   help="caption style instead of detecting it")
    p.set_defaults(func=run)


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


def run(args: argparse.Namespace) -> int:
    from annotations.formats import load
    from annotations.repair import context_for, repair

    path: Path = args.file
    if not path.exists():
        return fail(f"{path}: no such file")
    if path.is_dir():
        return fail(f"{path}: is a folder (give one document)")
    doc = load(path, path.parent)
    if doc.info.error:
        return fail(f"{path}: {doc.info.error}")
    ctx = context_for(doc)
    ctx.case = args.case
    ctx.paragraphs = args.paragraphs
    ctx.style = args.style
    repaired = repair(doc.raw, ctx)
    if args.json:
        json.dump(payload(repaired), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(repaired.text)
        if not repaired.text.endswith("\n"):
            sys.stdout.write("\n")
    sys.stdout.flush()
    return 0
