"""`gloss FILE` opens that document in the reader: the CLI passes ``open_key`` to the app.

The contract between tui/cli/app_cmd.py and the app (issue 11, defect 7): keep it when
the app is rebuilt.
"""

from __future__ import annotations

from tests.tui.helpers import SAMPLES, settle
from tui.app import GlossApp
from tui.cli.app_cmd import document_key


async def test_open_key_opens_the_document_in_the_reader() -> None:
    path = SAMPLES / "riverton-transit-strike.srt"
    key = document_key(path)
    assert key == "riverton-transit-strike.srt"
    app = GlossApp(path, open_key=key)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        document = app.main.document
        assert document is not None and document.key == key
        assert "Riverton" in document.title
