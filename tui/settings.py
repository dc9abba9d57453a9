"""Settings (stub, filled in next)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Settings:
    store: str | None = None
    author: str | None = None


def load_settings() -> Settings:
    return Settings()
