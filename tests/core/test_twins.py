"""One document per video: a tagged transcript and its caption file (annotations.twins)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import tui.cli as cli
from annotations.anchor import anchor_all, annotate_span
from annotations.corpus import Corpus
from annotations.twins import confirm, norm_name, stem_key

HERE = Path(__file__).resolve().parent / "twins"
VIDEO = "Qx7Lm2Rt9Vb"


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    shutil.copytree(HERE, tmp_path / "c")
    c = Corpus(tmp_path / "c")
    list(c.scan())
    return c


def test_names_normalise() -> None:
    assert norm_name("'A mistake': Biden warns") == norm_name("'a mistake' biden  warns")
    assert stem_key("x/Title here.en.vtt") == stem_key("x/title-here.txt") == ("x", "title here")


def test_twins_are_one_document(corpus: Corpus) -> None:
    rows = {i.key: i for i in corpus.infos}
    assert set(rows) == {VIDEO, "lone-caption.srt"}  # a caption file alone stays itself
    assert rows[VIDEO].sources == ["harbor-bridge-closes.txt", "harbor-bridge-closes.en.vtt"]
    assert corpus.get("harbor-bridge-closes.en.vtt") is rows[VIDEO]
    assert corpus.keys_of(VIDEO) == [VIDEO, "harbor-bridge-closes.en.vtt"]


def test_merged_document_has_metadata_times_and_joins(corpus: Corpus) -> None:
    doc = corpus.load("harbor-bridge-closes.en.vtt")
    assert doc.key == VIDEO and doc.info.date == "2024-03-12"
    assert doc.raw.startswith("A barge struck")  # the transcript's raw text
    assert (77, 11) in doc.joins  # "both lanes " ended a caption line: a true join
    i = doc.raw.index("The mayor")
    j = doc.raw.index("Elm Street") + len("Elm Street")
    a = annotate_span(doc, i, j)
    assert (a.time_start, a.time_end) == (9.0, 15.0)  # first and last character's cues


def test_annotations_on_either_file_show_on_the_merged_document(corpus: Corpus) -> None:
    cap = Corpus(corpus.root / "harbor-bridge-closes.en.vtt")
    list(cap.scan())
    vtt_doc = cap.load("harbor-bridge-closes.en.vtt")
    i = vtt_doc.raw.index("inspectors will work")
    on_vtt = annotate_span(vtt_doc, i, i + len("inspectors will work"))
    merged = corpus.load(VIDEO)
    [placed] = anchor_all([on_vtt], merged.raw)
    assert not placed.orphan
    assert merged.raw[placed.raw_start:placed.raw_end] == "inspectors will work"


def test_text_must_agree() -> None:
    assert confirm("a barge struck the bridge early", "A barge struck the bridge early today")
    assert not confirm("a barge struck the bridge early", "storm warning for the coast")


def test_mismatched_twin_is_not_merged(tmp_path: Path) -> None:
    shutil.copytree(HERE, tmp_path / "c")
    vtt = tmp_path / "c" / "harbor-bridge-closes.en.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nSomething else said here\n",
                   encoding="utf-8")
    c = Corpus(tmp_path / "c")
    list(c.scan())
    assert len(c.infos) == 3 and c.twin(VIDEO) is None


def test_list_json_sources(corpus: Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["list", str(corpus.root), "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[VIDEO]["sources"] == ["harbor-bridge-closes.txt", "harbor-bridge-closes.en.vtt"]
    assert rows["lone-caption.srt"]["sources"] == ["lone-caption.srt"]
