"""Untrusted text never reaches the terminal raw (issue 10): a hostile store and corpus.

Verdicts, tags, notes, authors, titles and ``config.json`` verdicts carry
OSC 52 (clipboard write), OSC 8 (link), CSI 2J (clear screen), BEL, NUL and
an RTL override. Every screen and dialog is opened and every segment the
compositor would send is checked for control characters.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from textual.widgets import Input

from annotations.anchor import annotate_span
from annotations.corpus import Corpus
from annotations.store import open_store
from tests.tui.helpers import screen_segments, settle
from tui.app import GlossApp
from tui.screens.dialogs import ChoiceDialog, ConfirmDialog, NoteDialog, PromptDialog
from tui.screens.export import ExportDialog
from tui.screens.help import HelpScreen

EVIL = "\x1b]52;c;cm0gLXJmIH4vKg==\x07 \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b[2J\x07\x00\u202eRTL\x9b"
IN_FILE = EVIL.replace("\x00", "")  # a text file with NUL is refused as binary
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = ("The minister said the bridge was open. " * 5
            + f"Then came {IN_FILE} in the middle of a sentence. " + "Calm words follow here. " * 5)
    (corpus / "evil.txt").write_text(f"Title {IN_FILE}\n{body}\n", encoding="utf-8")
    (corpus / "calm.txt").write_text("Calm title\nThe minister said the bridge was open.\n",
                                     encoding="utf-8")
    store_dir = tmp_path / "store"
    c = Corpus(corpus)
    infos = [i for b in c.scan_batches() for i in b]
    doc = c.load(next(i for i in infos if i.rel_path == "evil.txt"))
    store, _ = open_store(c.root, store_dir)
    start = doc.raw.index("Then came")
    store.add(annotate_span(doc, start, start + 30, author=f"mallory{EVIL}",
                            tags=[f"tag{EVIL}", "#plain"], note=f"note {EVIL}\nline two",
                            verdict=f"false{EVIL}"))
    (store_dir / "config.json").write_text(json.dumps({"verdicts": [f"v{EVIL}", "true"]}),
                                           encoding="utf-8")
    return corpus, store_dir


def _assert_clean(app, where: str) -> None:  # type: ignore[no-untyped-def]
    for seg in screen_segments(app):
        bad = CONTROL.search(seg.text)
        assert bad is None, f"{where}: control {bad.group()!r} in {seg.text!r}"


async def test_every_screen_and_dialog_shows_hostile_text_inert(tmp_path: Path) -> None:
    corpus, store_dir = _hostile(tmp_path)
    app = GlossApp(corpus, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.main
        _assert_clean(app, "list")
        row = next(n for n, i in enumerate(screen.table.visible_rows)
                   if screen.table.rows[i].rel_path == "evil.txt")
        screen.table.move(row)
        screen.table.action_open()
        await settle(pilot)
        assert screen.document is not None and screen.sidebar.shown
        screen.reader.focus()
        await pilot.pause()
        _assert_clean(app, "reader and sidebar")
        screen.reader.mode = "raw"
        await pilot.pause()
        _assert_clean(app, "raw text")

        # The annotation list, then each dialog on that annotation.
        await pilot.press("A", "enter")
        await pilot.pause()
        for key, dialog in (("t", PromptDialog), ("c", ChoiceDialog), ("e", NoteDialog),
                            ("x", ConfirmDialog)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, dialog), key
            _assert_clean(app, f"dialog {key}")
            if dialog is NoteDialog:
                assert "␛" in app.screen.query_one("TextArea").text  # shown, made visible
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("T")  # tag list
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        _assert_clean(app, "tag list")
        await pilot.press("escape")
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        _assert_clean(app, "export dialog")
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        _assert_clean(app, "help")
        await pilot.press("escape")
        await pilot.pause()

        # Toasts: copying the hostile passage notifies with its length; the status names it.
        screen.reader.focus()
        await pilot.press("s", "ctrl+c")
        await pilot.pause()
        _assert_clean(app, "toast")

        # Similar passages from the hostile sentence.
        screen.reader.go_to_raw(screen.document.raw.index("Then came") + 2)
        await pilot.press("f")
        await settle(pilot)
        await settle(pilot)
        _assert_clean(app, "similar view")
        await pilot.press("escape")
        await pilot.pause()

        # The palette, searching the hostile title.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"title")
        for _ in range(200):
            await pilot.pause()
            if app.screen.query("CommandList") and app.screen.query_one("CommandList").option_count:
                break
        _assert_clean(app, "palette")
        await pilot.press("escape")


async def test_a_private_store_note_is_shown(tmp_path: Path) -> None:
    corpus, store_dir = _hostile(tmp_path)
    app = GlossApp(corpus, store_dir=store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.store_note = f"Store is private: {EVIL}"
        await pilot.pause()
        note = str(app.main.query_one("#store-note").render())
        assert "Store is private" in note and not CONTROL.search(note)
        assert "Store is private" in app.sub_title and not CONTROL.search(app.sub_title)
        _assert_clean(app, "store note")
        assert isinstance(app.main.query_one("#filter"), Input)
