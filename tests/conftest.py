"""Fixtures shared by every test folder. Keep this small; add fixtures at the end."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DOCS = ROOT / "sample_docs"
SHARED = ROOT.parent / "shared"  # evaluation input; may be absent: skip, never fail

MakeCorpus = Callable[[Mapping[str, str | bytes]], Path]


def write_corpus(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{"rel/path.txt": text or bytes}`` under ``root`` (folders made as needed)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture
def sample_docs() -> Path:
    """The repository's ``sample_docs`` folder (read-only: copy before changing)."""
    return SAMPLE_DOCS


@pytest.fixture
def make_corpus(tmp_path: Path) -> MakeCorpus:
    """``make_corpus({"en_CNN/a.txt": "...", ...}) -> root`` in a fresh temporary folder."""
    counter = iter(range(1_000_000))

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_corpus(tmp_path / f"corpus{next(counter)}", files)

    return make


_SETTINGS_FILES = iter(range(10**9))


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own settings file (a theme picked in a
    Pilot test would be saved there): each test gets a fresh, absent one."""
    base = tmp_path_factory.getbasetemp() / "settings"
    monkeypatch.setenv("GLOSS_CONFIG", str(base / f"{next(_SETTINGS_FILES)}.toml"))
