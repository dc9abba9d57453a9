"""The core never imports Textual: import every module under ``annotations`` in a fresh
interpreter and look at ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import importlib, json, pkgutil, sys
import annotations
names = [m.name for m in pkgutil.walk_packages(annotations.__path__, "annotations.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names,
                  "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}))
"""


def test_annotations_never_imports_textual() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "annotations.corpus" in result["imported"]
    assert "annotations.formats.captions" in result["imported"]
    assert result["textual"] == []
