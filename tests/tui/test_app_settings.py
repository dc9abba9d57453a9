"""The app takes the settings file: theme, key remapping by binding id, motion."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.helpers import SAMPLES, settle
from tui import settings as settings_module
from tui.app import GlossApp
from tui.settings import Settings, read_settings


async def test_keys_remap_by_binding_id_and_theme(tmp_path: Path) -> None:
    s = Settings(path=tmp_path / "s.toml", theme="nord", keys={"toggle_raw": "f6"},
                 animation="none")
    app = GlossApp(SAMPLES, settings=s)
    assert app.theme == "nord" and app.animation_level == "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = app.screen.active_bindings
        assert "f6" in keys and keys["f6"].binding.action == "toggle_raw"
        assert "r" not in keys or keys["r"].binding.action != "toggle_raw"


async def test_theme_change_is_saved_and_broken_file_left_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv("GLOSS_CONFIG", str(path))
    monkeypatch.setattr(settings_module, "_CACHE", {})
    app = GlossApp(SAMPLES, settings=read_settings(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "dracula"
        await pilot.pause()
        assert read_settings(path).theme == "dracula"
        path.write_text('theme = "dracula"\nfps = = 1\n', encoding="utf-8")
        app.theme = "nord"
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == 'theme = "dracula"\nfps = = 1\n'
        shown = [(n.title, n.message) for n in app._notifications]
        assert any(t == "Theme not saved" and "line 2" in m for t, m in shown), shown
