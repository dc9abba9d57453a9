"""The reader screen's key bindings, grouped as help and the palette show them.

Every action has a binding id, so keys can be remapped through Textual's
keymap (settings), and a palette title. Availability is decided in one place:
``ReaderScreen.check_action``.

The footer (compact) must show each of its keys whole at 80 columns
(``tests/tui/test_footer.py``): Find, the four annotating keys, Similar, Cite
and the app's Help. Every other key is ``show=False``: still on its key, in
help and in the palette.
"""

from __future__ import annotations

from textual.binding import Binding

READING = [
    # Priority: handled in the order typed, so the keys after / reach the find bar
    # even when typed faster than focus moves (paste, tmux send-keys).
    Binding("slash", "find", "Find", key_display="/", id="find", priority=True,
            tooltip="Search the document as you type"),
    Binding("n", "find_next", "Next match", show=False, id="find_next"),
    Binding("N", "find_prev", "Previous match", show=False, id="find_prev"),
    Binding("r", "toggle_raw", "Raw/repaired", show=False, id="toggle_raw",
            tooltip="Show the raw text or the repaired text"),
    Binding("B", "toggle_split", "Side by side", show=False, id="toggle_split",
            tooltip="Show raw and repaired text side by side"),
    Binding("ctrl+l", "toggle_list", "List", show=False, id="toggle_list",
            tooltip="Show or hide the document list"),
    Binding("ctrl+s", "toggle_sidebar", "Sidebar", show=False, id="toggle_sidebar",
            tooltip="Show or hide the sidebar"),
    Binding("ctrl+o", "focus_list", "Documents", show=False, id="focus_list",
            tooltip="Go to the document list filter"),
]
ANNOTATING = [
    Binding("h", "highlight", "Highlight", id="highlight",
            tooltip="Highlight the selection (again: change colour)"),
    Binding("t", "tag", "Tag", id="tag", tooltip="Tag the selection or annotation"),
    Binding("e", "note", "Note", id="note", tooltip="Write a note on the selection or annotation"),
    Binding("c", "verdict", "Verdict", id="verdict", tooltip="Set the verdict"),
    Binding("x,delete", "delete_annotation", "Delete", show=False, id="delete",
            tooltip="Delete the annotation at the cursor (asks first)"),
    Binding("u,ctrl+z", "undo", "Undo", show=False, id="undo", tooltip="Undo the last change"),
    Binding("T", "tags", "Tags", show=False, id="tags",
            tooltip="List tags with counts; rename or merge a tag"),
    Binding("A", "focus_annotations", "Annotations", show=False, id="focus_annotations",
            tooltip="Go to the annotation list in the sidebar"),
]
SIMILAR = [
    Binding("f", "similar", "Similar", id="similar",
            tooltip="Find passages like the selection, annotation or sentence at the cursor"),
    Binding("backspace,left_square_bracket", "back", "Back", show=False, id="back",
            tooltip="Return to where you were before jumping to a match"),
]
EXCHANGE = [
    Binding("C", "cite", "Cite", id="cite",
            tooltip="Copy the citation of the selection or annotation: the quote with "
                    "inferred characters in [brackets], source, date, video time and link"),
    Binding("E", "export", "Export", show=False, id="export",
            tooltip="Export annotations (JSON, W3C, CSV, Markdown)"),
    Binding("I", "import", "Import", show=False, id="import",
            tooltip="Import a gloss JSON or W3C export (checked whole before writing)"),
]
GROUPS: list[tuple[str, list[Binding]]] = [
    ("Reading", READING),
    ("Annotating (the selection, else the annotation at the cursor)", ANNOTATING),
    ("Similar passages", SIMILAR),
    ("Export and import", EXCHANGE),
]
# Palette titles: "<group>: <what>"; the help text is the binding's tooltip.
PALETTE_GROUP = {"Reading": "View", "Similar passages": "Similar",
                 "Export and import": "Annotations"}
EXTRA_TITLES = {
    "find": "Find in document…", "find_next": "Find: next match",
    "find_prev": "Find: previous match", "highlight": "Annotate: highlight",
    "tag": "Annotate: tags…", "note": "Annotate: note…", "verdict": "Annotate: verdict…",
    "delete_annotation": "Annotate: delete the annotation at the cursor",
    "undo": "Annotate: undo the last change", "tags": "Tags: list, rename or merge…",
    "focus_annotations": "Annotations: go to the list", "similar": "Similar passages",
    "back": "Similar: back to where I was", "export": "Export annotations…",
    "import": "Import annotations…", "toggle_raw": "View: raw / repaired",
    "toggle_split": "View: side by side", "toggle_list": "View: toggle document list",
    "toggle_sidebar": "View: toggle sidebar", "focus_list": "Documents: filter",
    "copy": "Copy the selection (exact raw text)",
    "cite": "Cite: copy the quote with its source, time and link…",
}
ALL = [b for _, group in GROUPS for b in group]
