"""The ``gloss`` click group: lazy sub-commands, ``gloss PATH`` opens, one-line errors."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from tui.cli import fail
from tui.cli.options import author_option, follow_links_option, store_option

# name -> ("module:object", short help). The module is imported only when the command
# runs (or its own --help is asked for); the short help is shown by `gloss --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "open": ("tui.cli.app_cmd:open_cmd", "Open a folder, or one document, in the app "
             "(the default: `gloss PATH`)."),
    "list": ("tui.cli.list_cmd:list_cmd", "List the documents of a folder (or one file)."),
    "repair": ("tui.cli.repair_cmd:repair_cmd", "Print the repaired (display) text of a "
               "document."),
    "annotate": ("tui.cli.annotate_cmd:annotate_cmd", "Add one annotation to a document."),
    "cite": ("tui.cli.cite_cmd:cite_cmd", "Print the citation of a quote (edited quote, "
             "source, date, video time and link)."),
    "annotations": ("tui.cli.annotations_cmd:annotations_cmd", "List annotations (filters: "
                    "QUERY words like tag:x verdict:y, --tag, --verdict, --author, --since)."),
    "tags": ("tui.cli.annotate_cmd:tags_cmd", "List tag counts, or rename/merge a tag."),
    "similar": ("tui.cli.similar_cmd:similar_cmd", "Find passages like a passage or a text "
                "across the corpus."),
    "search": ("tui.cli.search_cmd:search_cmd", "Search every document (words, \"phrases\", "
               "NEAR, channel:, date:); hits as a concordance."),
    "export": ("tui.cli.exchange_cmd:export_cmd", "Export annotations (json, w3c, csv, "
               "markdown)."),
    "import": ("tui.cli.exchange_cmd:import_cmd", "Import a json or w3c export into the "
               "store."),
    "store": ("tui.cli.store_cmd:store_cmd", "Check or fix a shared annotation store "
              "(gloss store check|fix [CORPUS])."),
    "config": ("tui.cli.config_cmd:config_cmd", "The settings file: `config path`, "
               "`config show`, `config set NAME VALUE`."),
}
DEFAULT = "open"


class GlossGroup(click.Group):
    """Sub-commands imported on use; an unknown first word is a PATH to open."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, _, attr = entry[0].partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            return DEFAULT, self.get_command(ctx, DEFAULT), args  # `gloss PATH …`
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATH] | COMMAND [ARGS]...")

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Like click's, with every error as one line (``gloss: error: …``, exit 2), a
        closed pipe (``gloss list … | head``) quiet with status 0, Ctrl+C status 130."""
        argv = list(sys.argv[1:] if args is None else args)
        try:
            with self.make_context(prog_name or "gloss", argv, **extra) as ctx:
                rv = self.invoke(ctx)
            code = rv if isinstance(rv, int) else 0
        except click.exceptions.Exit as exc:  # --help
            code = exc.exit_code
        except click.UsageError as exc:
            hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
            code = fail(_one_line(exc.format_message()).rstrip(".") + hint, 2)
        except click.ClickException as exc:
            code = fail(_one_line(exc.format_message()), exc.exit_code or 2)
        except (click.Abort, KeyboardInterrupt, EOFError):
            code = 130
        except BrokenPipeError:  # `gloss list … | head`
            _quiet_stdout()
            code = 0
        if standalone_mode:
            sys.exit(code)
        return code


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quiet_stdout() -> None:
    """After a closed pipe, stop Python's exit-time flush from raising again."""
    try:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


@click.group(cls=GlossGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@store_option
@author_option
@follow_links_option
@click.version_option(package_name="gloss", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, author: str | None,
        follow_links: bool) -> int | None:
    """Read, repair and annotate news transcripts.

    `gloss PATH` opens a folder, or one document, in the app (PATH defaults to the
    current folder). `gloss COMMAND --help` describes a command. --store, --author and
    --follow-links are accepted here or after any command.
    """
    if ctx.invoked_subcommand is not None:
        return None
    command = cli.get_command(ctx, DEFAULT)
    assert command is not None
    with command.make_context(DEFAULT, [], parent=ctx) as sub:
        rv = command.invoke(sub)
    return int(rv or 0)
