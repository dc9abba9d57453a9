"""The app repairs with the names learned from the corpus (issue 12), learned in a worker."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_case_names import CAPS, MIXED
from tests.tui.helpers import settle
from tui.app import GlossApp


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "mixed.txt").write_text("Harbor talks\n\n" + MIXED + "\n")
    (tmp_path / "caps.txt").write_text("Port news\n\n" + CAPS + "\n")
    return tmp_path


async def test_reader_repairs_with_the_corpus_names(tmp_path: Path) -> None:
    app = GlossApp(_corpus(tmp_path), open_key="caps.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.corpus.learned_names() is not None  # learned after the scan
        app.main.load_document(app.corpus.get("caps.txt"))  # as opened from the list
        await settle(pilot)
        document = app.main.document
        assert document is not None and document.key == "caps.txt"
        text = app.main.reader.repaired.text
        assert "the Harbor Bridge." in text


def test_repair_context_does_not_wait_for_names(tmp_path: Path) -> None:
    app = GlossApp(_corpus(tmp_path))
    list(app.corpus.scan())
    doc = app.corpus.load("caps.txt")
    assert app.repair_context(doc).names is None  # not learned yet: no reading, no wait
    app.corpus.names()
    names = app.repair_context(doc).names
    assert names is not None and names["oskar bramwell"] == "Oskar Bramwell"
