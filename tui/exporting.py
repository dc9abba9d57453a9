"""Export from the app: ask format, scope and path, write in a worker, say what went where."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from annotations.annotation import Annotation

if TYPE_CHECKING:
    from tui.app import GlossApp
    from tui.screens.export import ExportRequest

EXPORT_BINDINGS = [
    Binding("E", "export", "Export", show=False, id="export",
            tooltip="Export annotations (JSON, W3C, CSV, Markdown)"),
    Binding("I", "import", "Import", show=False, id="import",
            tooltip="Import a gloss JSON or W3C export (checked whole before writing)"),
]


class ExportMixin:
    """Mixed into GlossApp."""

    def action_export(self: GlossApp) -> None:
        from tui.screens.export import ExportDialog

        if self.store is None:
            self.notify_plain("No annotation store.", severity="error")
            return
        has_filter = bool(self.sidebar.filter_text.strip()) and self.document is not None

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.write_export(request)

        self.push_screen(ExportDialog(self.document is not None, has_filter), done)

    def _export_scope(self: GlossApp, scope: str) -> Iterable[Annotation]:
        from annotations.exchange import select

        if scope == "document" and self.document is not None:
            return select(self.store, doc=self.document.key)
        if scope == "filter":
            return list(self.sidebar.shown)
        return select(self.store)

    @work(thread=True, exclusive=True, group="export", name="export")
    def write_export(self: GlossApp, request: ExportRequest) -> None:
        from annotations.exchange import export

        path = Path(request.path).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        from annotations.safeio import atomic_output

        try:
            with atomic_output(path, text=True) as out:  # random temporary name, then replace
                count = export(self._export_scope(request.scope), request.fmt, out, self.corpus)
        except (OSError, ValueError) as exc:
            self.call_from_thread(self.notify_plain, f"Export failed: {exc}", severity="error",
                                  timeout=10)
            return
        message = f"Exported {count} annotation{'s' if count != 1 else ''} as {request.fmt} to {path}"
        self.call_from_thread(self.notify_plain, message, title="Export", timeout=10)
        self.call_from_thread(self.status, message)

    def action_import(self: GlossApp) -> None:
        from tui.screens.dialogs import PromptDialog

        if self.store is None:
            self.notify_plain("No annotation store.", severity="error")
            return

        def done(value: object) -> None:
            if value and str(value).strip():
                self.read_import(str(value).strip())

        self.push_screen(PromptDialog("Import annotations from (gloss JSON or W3C export):",
                                      hint="Checked whole first: nothing is written on error."),
                         done)

    @work(thread=True, exclusive=True, group="export", name="import")
    def read_import(self: GlossApp, name: str) -> None:
        from annotations.exchange import ExchangeError, import_file
        from tui.annotating import store_error

        path = Path(name).expanduser()
        try:
            report = import_file(path, self.store, self.corpus)
        except (ExchangeError, store_error()) as exc:
            self.call_from_thread(self.notify_plain, f"Import refused: {exc}", severity="error",
                                  timeout=12)
            return
        self.call_from_thread(self.notify_plain, report.summary(), title="Import", timeout=10)
        self.call_from_thread(self.load_annotations)
        self.call_from_thread(self.refresh_counts)
