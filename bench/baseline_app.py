"""The start-up baseline: a bare Textual app (Header, Static, Footer).

It exits from ``on_ready`` when ``GLOSS_EXIT_ON_READY=1`` (or when
``GLOSS_EXIT_WHEN_LOADED=1``: it has nothing to load), like ``gloss``.
Run: ``python bench/baseline_app.py``.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[int]):
    TITLE = "bare"
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A bare Textual app: the start-up baseline.")
        yield Footer()

    def on_ready(self) -> None:
        if "1" in (os.environ.get("GLOSS_EXIT_ON_READY"), os.environ.get("GLOSS_EXIT_WHEN_LOADED")):
            self.exit(0)


if __name__ == "__main__":
    raise SystemExit(BareApp().run() or 0)
