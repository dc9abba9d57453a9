"""``gloss`` command line: ``gloss PATH`` opens the app; sub-commands run headless.

Each sub-command lives in its own module exposing ``add_parser(subparsers)``
(which sets ``func`` on its parser) so commands stay small and independent.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# sub-command name -> module in this package
COMMANDS: dict[str, str] = {
    "list": "list_cmd",
    "cite": "cite_cmd",
    "repair": "repair_cmd",
    "annotate": "annotate_cmd",
    "annotations": "annotate_cmd",
    "tags": "annotate_cmd",
    "similar": "similar_cmd",
    "export": "exchange_cmd",
    "import": "exchange_cmd",
}


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error to stderr and return the exit status."""
    print(f"gloss: error: {message}", file=sys.stderr)
    return code


def _headless(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gloss", description="gloss headless commands")
    sub = parser.add_subparsers(dest="command", required=True)
    # Import only the module of the command asked for: start-up stays small.
    importlib.import_module(f"{__name__}.{COMMANDS[argv[0]]}").add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `gloss list … | head`
        return 0
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        code = _headless(args)
    else:
        from tui.cli.app_cmd import run_app

        code = run_app(args)
    if argv is None:
        sys.exit(code)
    return code
