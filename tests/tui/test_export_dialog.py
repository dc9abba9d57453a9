"""Pilot test: export from the app with the keyboard; the file validates against the schema."""

from __future__ import annotations

import json

from textual.widgets import Input, RadioSet

from tests.tui.helpers import SAMPLES, open_by_title, settle
from tui.app import GlossApp
from tui.screens.export import ExportDialog


async def test_export_this_document_as_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.json"
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        open_by_title(app, "Hezbollah could be getting")
        await settle(pilot)
        app.main.reader.focus()
        await pilot.press("s", "h")
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        box = app.screen.query_one("#path", Input)
        box.value = str(out)
        box.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "gloss.annotations/2"
    assert len(data["annotations"]) == 1
    ann = data["annotations"][0]
    assert ann["quote"].startswith("Just moments ago")
    import jsonschema

    from annotations.exchange import schema

    jsonschema.validate(data, schema())


async def test_export_format_choice_changes_extension(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = GlossApp(SAMPLES, store_dir=tmp_path / "store")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        fmt = dialog.query_one("#fmt", RadioSet)
        fmt.focus()
        await pilot.press("down", "down", "enter")  # move to csv and press it
        await pilot.pause()
        assert dialog.query_one("#path", Input).value.endswith(".csv")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)


async def test_import_from_the_app_merges_and_refuses_bad_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotations.store import open_store
    from tui.screens.dialogs import PromptDialog

    out = tmp_path / "out.json"
    app = GlossApp(SAMPLES, store_dir=tmp_path / "a")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        open_by_title(app, "Hezbollah could be getting")
        await settle(pilot)
        app.main.reader.focus()
        await pilot.press("s", "h", "E")
        await pilot.pause()
        box = app.screen.query_one("#path", Input)
        box.value = str(out)
        box.focus()
        await pilot.press("enter")
        await settle(pilot)
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "gloss.annotations/1", "annotations": [', encoding="utf-8")
    app = GlossApp(SAMPLES, store_dir=tmp_path / "b")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for source in (bad, out):
            await pilot.press("I")
            await pilot.pause()
            assert isinstance(app.screen, PromptDialog)
            app.screen.query_one(Input).value = str(source)
            await pilot.press("enter")
            await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Import refused") and "bad.json" in m for m in messages)
        assert any("1 added" in m for m in messages)
    store, _ = open_store(SAMPLES.resolve(), tmp_path / "b")
    assert sum(store.counts().values()) == 1
