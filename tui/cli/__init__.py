"""``gloss`` command line (click): ``gloss [PATH]`` opens the app; sub-commands run headless.

One click group (:mod:`tui.cli.group`) whose sub-commands are imported only when they
run, so ``gloss --help`` and the app start-up stay fast. To add a sub-command:

1. write ``tui/cli/<name>_cmd.py`` with a ``@click.command("name")`` object, using the
   shared decorators of :mod:`tui.cli.options` (``store_option``, ``author_option``,
   ``json_option``, ``corpus_argument``) so ``--store`` means the same everywhere;
2. add one line to :data:`tui.cli.group.COMMANDS`: name -> ("module:object", short help).

Errors are one line on stderr (``gloss: error: …``) and exit status 2: commands return
``fail(message)``; click usage errors are turned into the same one line.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error to stderr and return the exit status.

    The message may quote untrusted text (a path, an option typed, a key): it is made
    one line with control characters visible (``textsafe.one_line``).
    """
    from annotations.textsafe import one_line

    print(f"gloss: error: {one_line(message, 2000)}", file=sys.stderr)
    return code


def say(kind: str, message: str) -> None:
    """``gloss: note: …`` / ``gloss: warning: …`` on stderr, one line, controls visible."""
    from annotations.textsafe import one_line

    print(f"gloss: {kind}: {one_line(message, 2000)}", file=sys.stderr)


def dumps(obj: object, indent: int | None = None) -> str:
    """JSON as UTF-8 text, but every character a terminal could act on escaped (``\\u…``):
    C0 (json does that), DEL, C1 and invisible format characters. Still valid JSON."""
    import json
    import re

    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return re.sub("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run ``gloss`` with ``argv`` (default: ``sys.argv[1:]``).

    With ``argv=None`` (the console script) the process exits with the status;
    otherwise the status is returned (tests).
    """
    from tui.cli.group import cli

    code = cli.main(list(argv) if argv is not None else None, prog_name="gloss",
                    standalone_mode=argv is None)
    return int(code or 0)
