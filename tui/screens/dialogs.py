"""Small modal dialogs: tags, note, verdict, confirm, text prompt.

Each dialog returns its result through ``dismiss``; Esc cancels (None).
Everything works from the keyboard; buttons are there for the mouse.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from annotations.textsafe import one_line, visible


class TagSuggester(Suggester):
    """Completes the last comma-separated tag from the store's tags."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        stem = last.strip().lower()
        if not stem:
            return None
        for tag in self.tags:
            if tag.lower().startswith(stem) and tag.lower() != stem:
                prefix = f"{head}{sep} " if sep else ""
                return prefix + tag
        return None


class _Dialog(ModalScreen[object]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    _Dialog { align: center middle; }
    _Dialog > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    _Dialog .title { text-style: bold; }
    _Dialog .hint { color: $text-muted; }
    _Dialog Horizontal { height: auto; align-horizontal: right; }
    _Dialog Button { margin-left: 1; min-width: 10; }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def submit(self) -> None:  # pragma: no cover - overridden
        self.dismiss(None)


class PromptDialog(_Dialog):
    """One line of text; ``suggestions`` complete the last comma-separated item."""

    def __init__(self, title: str, value: str = "", *, hint: str = "",
                 suggestions: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(visible(self.title_text)), classes="title")
            suggester = TagSuggester(self.suggestions) if self.suggestions is not None else None
            # Cursor at the end, nothing selected: typing adds to what is there (a selected
            # pre-fill was silently replaced, losing a note's existing tags).
            yield Input(value=one_line(self.value, 2000), suggester=suggester, id="prompt-input",
                        select_on_focus=False)
            if self.hint:
                yield Static(Text(one_line(self.hint, 400)), classes="hint")
            with Horizontal():
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        self.dismiss(self.query_one(Input).value)


class NoteDialog(_Dialog):
    """Multi-line note editor. Ctrl+S saves, Esc cancels.

    ``target`` (the annotation or draft the note is for) lets an unsaved note be
    kept as a draft when gloss has to leave (:mod:`tui.note_drafts`).
    """

    BINDINGS = [Binding("ctrl+s", "save", "Save note"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, note: str, quote: str, *, target: object = None) -> None:
        super().__init__()
        self.note = note
        self.quote = quote
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Note on “" + one_line(self.quote, 120) + "”"), classes="title")
            yield TextArea(visible(self.note), id="note-area", soft_wrap=True)
            yield Static(Text("Ctrl+S save · Esc cancel"), classes="hint")
            with Horizontal():
                yield Button("Save", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.styles.height = 8
        area.move_cursor(area.document.end)  # continue writing where the note ends

    def action_save(self) -> None:
        self.submit()

    def submit(self) -> None:
        self.dismiss(self.query_one(TextArea).text)


class ChoiceDialog(_Dialog):
    """Pick one of ``choices`` (Enter or click)."""

    def __init__(self, title: str, choices: list[str], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(visible(self.title_text)), classes="title")
            yield OptionList(*[Option(Text(one_line(c, 200)), id=str(i))
                               for i, c in enumerate(self.choices)],
                             id="choices")
            yield Static(Text("↑↓ choose · Enter select · Esc cancel"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.current in self.choices:
            options.highlighted = self.choices.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])


class ConfirmDialog(_Dialog):
    """Yes/no; ``y``/Enter confirms, ``n``/Esc cancels."""

    BINDINGS = [
        Binding("y,enter", "yes", "Yes"),
        Binding("n,escape", "cancel", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(visible(self.question)), classes="title")
            with Horizontal():
                yield Button("Yes (y)", id="ok", variant="error")
                yield Button("No (n)", id="cancel")

    def action_yes(self) -> None:
        self.dismiss(True)

    def submit(self) -> None:
        self.dismiss(True)
