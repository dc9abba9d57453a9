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
    """Print a one-line error to stderr and return the exit status."""
    print(f"gloss: error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run ``gloss`` with ``argv`` (default: ``sys.argv[1:]``).

    With ``argv=None`` (the console script) the process exits with the status;
    otherwise the status is returned (tests).
    """
    from tui.cli.group import cli

    code = cli.main(list(argv) if argv is not None else None, prog_name="gloss",
                    standalone_mode=argv is None)
    return int(code or 0)
