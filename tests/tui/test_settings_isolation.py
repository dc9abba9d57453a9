"""Tests never touch the developer's settings file (tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

from tui.settings import config_path


def test_settings_file_is_private_to_the_test() -> None:
    path = config_path()
    assert os.environ["GLOSS_CONFIG"] == str(path) and not path.exists()
    assert Path.home() not in path.parents
