"""Run ``gloss`` in-process through click's ``CliRunner`` (stdout and stderr apart)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from tui.cli.group import cli


@dataclass
class Run:
    code: int
    out: str
    err: str


def gloss(*args: str | Path, env: dict[str, str | None] | None = None) -> Run:
    """``gloss ARGS…`` as the console script runs it; exceptions are not swallowed."""
    result = CliRunner().invoke(cli, [str(a) for a in args], prog_name="gloss", env=env,
                                catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)
