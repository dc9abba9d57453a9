from __future__ import annotations

import os

import pytest

from tests.tui.helpers import ROOT


@pytest.fixture(autouse=True)
def _repo_cwd(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run app tests from the repo root with a private store and fixed author."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("GLOSS_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("GLOSS_AUTHOR", "tester")
    monkeypatch.delenv("GLOSS_EXIT_ON_READY", raising=False)
    os.environ.pop("NO_COLOR", None)
    yield
