"""The similar view shows each match as an edited quote (issue 12): inferred characters in
[brackets], lost text as […], never repaired text passed off as spoken."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotations.corpus import Corpus
from annotations.repair import context_for
from tui.screens.reader_similar import edited_quotes

SEED = Path(__file__).resolve().parents[2] / "sample_docs" / "003_a59515f9ec2905fc.txt"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nhello\n"


@dataclass
class FakeMatch:
    doc_key: str
    raw_start: int
    raw_end: int


class FakeApp:
    def __init__(self, root: Path) -> None:
        self.corpus = Corpus(root)
        list(self.corpus.scan())

    def repair_context(self, doc):  # type: ignore[no-untyped-def]
        return context_for(doc)


def test_matches_are_shown_as_edited_quotes(tmp_path: Path) -> None:
    (tmp_path / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    app = FakeApp(tmp_path)
    info = next(iter(app.corpus.infos))
    doc = app.corpus.load(info)
    start = doc.raw.index("Lebano Now") - 20
    end = start + 45
    match = FakeMatch(info.key, start, end)
    quote = edited_quotes(app, [match])[(info.key, start, end)]
    assert "Lebano[n" in quote  # the inferred letter is bracketed, the spoken text is raw
    spoken = "".join(part.split("]")[-1] for part in quote.split("["))
    raw = iter(doc.raw[start:end])  # every character outside brackets is raw, in order
    assert all(any(c == r for r in raw) for c in spoken)


def test_an_unreadable_match_keeps_its_display_text(tmp_path: Path) -> None:
    (tmp_path / "talks.en.vtt").write_text(VTT, encoding="utf-8")
    app = FakeApp(tmp_path)
    assert edited_quotes(app, [FakeMatch("no-such-doc", 0, 5)]) == {}
