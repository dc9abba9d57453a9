"""Export dialog: format, scope and path; the app does the writing in a worker."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from annotations.textsafe import one_line
from tui.exporting import FORMATS, default_name, name_part, resolve

SCOPES = {
    "document": "This document",
    "all": "All documents",
    "filter": "Current sidebar filter",
}


@dataclass(slots=True)
class ExportRequest:
    fmt: str
    scope: str
    path: str


class MarkedRadio(RadioButton):
    """A radio button whose state is a shape, not a shade: ``(●)`` on, ``( )`` off (NO_COLOR)."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("(", ("●" if self.value else " ", style), ")")


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Ask for format, scope and path. Enter in the path box exports; Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 72; max-width: 95%; height: auto; max-height: 95%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ExportDialog Horizontal { height: auto; }
    ExportDialog RadioSet { width: 1fr; height: auto; }
    ExportDialog .hint { color: $text-muted; }
    ExportDialog #buttons { align-horizontal: right; }
    ExportDialog Button { margin-left: 1; }
    """

    def __init__(self, has_document: bool, has_filter: bool, *, label: str = "") -> None:
        super().__init__()
        self.label = name_part(label)
        self.has_document = has_document
        self.has_filter = has_filter

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Export annotations", style="bold"))
            with Horizontal():
                with RadioSet(id="fmt"):
                    for i, name in enumerate(FORMATS):
                        yield MarkedRadio(name, value=i == 0, id=f"fmt-{name}")
                with RadioSet(id="scope"):
                    for key, label in SCOPES.items():
                        disabled = (key == "document" and not self.has_document) or (
                            key == "filter" and not self.has_filter
                        )
                        first = "document" if self.has_document else "all"
                        yield MarkedRadio(label, value=key == first, id=f"scope-{key}",
                                          disabled=disabled)
            yield Static(Text("File:"))
            yield Input(value=default_name("json", self.label), id="path")
            yield Static(Text("Tab moves · ↑↓ choose · Enter in the file box exports · Esc cancels"),
                         classes="hint")
            with Horizontal(id="buttons"):
                yield Button("Export", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _selected(self, set_id: str) -> str:
        pressed = self.query_one(f"#{set_id}", RadioSet).pressed_button
        return (pressed.id or "").split("-", 1)[1] if pressed else ""

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "fmt":
            box = self.query_one("#path", Input)
            stem = box.value.rsplit(".", 1)[0] if "." in box.value else box.value
            box.value = stem + FORMATS[self._selected("fmt")]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.notify("Give a file name.", severity="warning", markup=False)
            return
        request = ExportRequest(self._selected("fmt") or "json",
                                self._selected("scope") or "all", path)
        target = resolve(path)
        if target.exists():
            from tui.screens.dialogs import ConfirmDialog

            def answered(yes: object) -> None:
                if yes:
                    self.dismiss(request)

            self.app.push_screen(ConfirmDialog(f"{one_line(str(target), 200)} exists. Replace it?"),
                                 answered)
            return
        if not target.parent.is_dir():
            self.notify(f"No folder {one_line(str(target.parent), 200)}.", severity="warning",
                        markup=False)
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)
