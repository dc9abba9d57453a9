"""Note drafts on disk (tui/drafts.py, no Textual) and their restore in the app (Pilot)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.tui.helpers import ROOT
from tui import drafts
from tui.drafts import Draft
from tui.screens.dialogs import NoteDialog

RAW = "First line here. The council met on Tuesday. Nothing else happened."
QUOTE = "The council met on Tuesday."


def draft(**changes: object) -> Draft:
    fields: dict[str, object] = dict(corpus="/srv/corpus", doc_key="k1", raw_start=17,
                                     raw_end=17 + len(QUOTE), quote=QUOTE, note="check this")
    fields.update(changes)
    return Draft(**fields)  # type: ignore[arg-type]


def test_save_load_discard(tmp_path: Path) -> None:
    a, b = draft(), draft(corpus="/elsewhere", note="other")
    drafts.save(a, tmp_path)
    drafts.save(b, tmp_path)
    assert [d.note for d in drafts.load(tmp_path, corpus="/srv/corpus")] == ["check this"]
    assert len(drafts.load(tmp_path)) == 2
    a.note = "check this again"  # saved again: replaces, never duplicates
    drafts.save(a, tmp_path)
    assert [d.note for d in drafts.load(tmp_path, corpus="/srv/corpus")] == ["check this again"]
    drafts.discard(a, tmp_path)
    assert drafts.load(tmp_path, corpus="/srv/corpus") == []
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


def test_untrusted_files_are_skipped(tmp_path: Path) -> None:
    good = draft()
    drafts.save(good, tmp_path)
    secret = tmp_path.parent / "secret.json"
    secret.write_text(good.to_json().decode().replace(good.id, "aaaa"))
    (tmp_path / "aaaa.json").symlink_to(secret)  # a link: never followed
    os.mkfifo(tmp_path / "bbbb.json")  # a FIFO: never waited on
    (tmp_path / "cccc.json").write_text("{not json")
    (tmp_path / "dddd.json").write_text('{"corpus": 1}')
    (tmp_path / "eeee.json").write_bytes(b" " * (drafts.MAX_DRAFT_BYTES + 10))
    mismatched = draft(id="ffff")
    (tmp_path / "gggg.json").write_bytes(mismatched.to_json())  # name and id disagree
    assert [d.id for d in drafts.load(tmp_path)] == [good.id]


def test_from_json_refuses_bad_fields() -> None:
    ok = draft()
    assert Draft.from_json(ok.to_json()) == ok
    for bad in ({"raw_start": -1}, {"raw_start": 9, "raw_end": 3}, {"id": "../x"},
                {"note": 5}, {"raw_start": True}):
        d = draft()
        for k, v in bad.items():
            setattr(d, k, v)
        assert Draft.from_json(d.to_json()) is None, bad


def test_place_never_misplaces_a_quote() -> None:
    d = draft()
    assert drafts.place(d, RAW) == (17, 17 + len(QUOTE))
    moved = "A new opening sentence. " + RAW
    start = moved.index(QUOTE)
    assert drafts.place(d, moved) == (start, start + len(QUOTE))
    assert drafts.place(d, RAW + " " + QUOTE) == (17, 17 + len(QUOTE))  # same span still holds it
    twice = "Intro. " + QUOTE + " " + QUOTE
    assert drafts.place(d, twice) is None  # moved and ambiguous
    assert drafts.place(d, RAW.replace("Tuesday", "Monday")) is None  # gone


def test_drafts_module_needs_no_textual() -> None:
    code = "import sys, tui.drafts; sys.exit('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert done.returncode == 0


# -- in the app ----------------------------------------------------------------------------
@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "gloss" / "drafts"


def write_corpus(root: Path, text: str) -> Path:
    root.mkdir(exist_ok=True)
    (root / "council.txt").write_text("Council report\n" + text + "\n", encoding="utf-8")
    return root


async def open_only_document(pilot) -> None:  # type: ignore[no-untyped-def]
    from tests.tui.helpers import settle

    await settle(pilot)
    view = getattr(pilot.app, "main", None) or pilot.app  # the reader screen, or the app
    view.table.action_open()
    await settle(pilot)
    view.reader.focus()
    await pilot.pause()


async def test_open_note_is_kept_as_draft(tmp_path: Path, data_home: Path) -> None:
    from tests.tui.helpers import settle
    from tui.app import GlossApp

    root = write_corpus(tmp_path / "c", RAW)
    app = GlossApp(root, store_dir=tmp_path / "store")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_only_document(pilot)
        await pilot.press("s", "e")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.save_drafts() == 0  # nothing typed yet: nothing to keep
        app.screen.query_one(TextArea).insert("who said so?")
        assert app.save_drafts() == 1
    (kept,) = drafts.load(data_home)
    assert kept.note == "who said so?" and kept.corpus == drafts.corpus_id(root)
    raw = (root / "council.txt").read_text(encoding="utf-8")
    assert kept.quote and raw[kept.raw_start : kept.raw_end] == kept.quote


async def restore(tmp_path: Path, raw_now: str, d: Draft):  # type: ignore[no-untyped-def]
    """Restore ``d`` and Ctrl+S it; the store, the document and what the app said once the
    "place note draft" worker's result was handled (its notice is in ``said``)."""
    from tests.tui.helpers import settle
    from tui.app import GlossApp

    root = write_corpus(tmp_path / "c", raw_now)
    d.corpus = drafts.corpus_id(root)
    drafts.save(d)
    app = GlossApp(root, store_dir=tmp_path / "store")
    said: list[str] = []
    notify = app.notify

    def heard(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(message)  # not app._notifications: those expire with the clock
        return notify(message, *args, **kwargs)

    app.notify = heard  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert [x.id for x in app.note_drafts] == [d.id]
        app.action_restore_draft()
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one(TextArea).text == d.note
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc_raw = app.corpus.load(app.corpus.infos[0]).raw
        return list(app.store.iter_all()), doc_raw, said


async def test_restore_places_the_note_on_the_quote(tmp_path: Path, data_home: Path) -> None:
    from annotations.corpus import Corpus

    root = write_corpus(tmp_path / "c", RAW)
    info = next(iter(Corpus(root).scan()))
    raw = Corpus(root).load(info).raw
    start = raw.index(QUOTE)
    moved = "A sentence added before. " + RAW  # the document changed since
    d = draft(doc_key=info.key, raw_start=start, raw_end=start + len(QUOTE))
    anns, raw_now, said = await restore(tmp_path, moved, d)
    assert said[-1] == f"Saved note on “{QUOTE}”", said
    (ann,) = anns
    assert ann.note == "check this" and ann.quote == QUOTE
    assert raw_now[ann.raw_start : ann.raw_end] == QUOTE  # exact raw text, never misquoted
    assert drafts.load(data_home) == []


async def test_restore_keeps_draft_when_quote_is_gone(tmp_path: Path, data_home: Path) -> None:
    from annotations.corpus import Corpus

    root = write_corpus(tmp_path / "c", RAW)
    info = next(iter(Corpus(root).scan()))
    d = draft(doc_key=info.key)
    anns, _raw, said = await restore(tmp_path, RAW.replace("Tuesday", "Monday"), d)
    # the worker ran and its result was handled (not merely: nothing happened yet)
    assert said[-1] == ("Note not saved: the quoted text is no longer in the document. "
                        "The draft is kept."), said
    assert anns == []
    assert [x.id for x in drafts.load(data_home)] == [d.id]  # kept for later
