"""``gloss search``: KWIC lines, filters, --json, --sort, fuzzy expansions, bad queries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import gloss
from tests.conftest import MakeCorpus
from tests.core.test_search_index import FILES


@pytest.fixture
def corpus(make_corpus: MakeCorpus, tmp_path: Path) -> tuple[Path, Path]:
    return make_corpus(FILES), tmp_path / "store"


def run(setup: tuple[Path, Path], *args: str):  # noqa: ANN201
    root, store = setup
    return gloss("search", root, *args, "--store", store)


def test_phrase_prints_aligned_kwic_lines(corpus: tuple[Path, Path]) -> None:
    r = run(corpus, '"iron dome"')
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert len(lines) == 2
    assert all(" | Iron Dome | " in ln or " | iron dome | " in ln for ln in lines)
    assert len({ln.index(" | ") for ln in lines}) == 1  # aligned on the hit
    assert "2 hits in 1 of 1 matching documents" in r.err


def test_json_filters_and_limit(corpus: tuple[Path, Path]) -> None:
    r = run(corpus, "rockets OR talks", "--channel", "DW", "--json")
    hits = json.loads(r.out)
    assert {h["channel"] for h in hits} == {"DW"}
    assert all(h["text"].lower() in ("rockets", "talks") for h in hits)
    r = run(corpus, "rockets OR talks", "--since", "2024-04-10", "--json")
    assert {h["key"] for h in json.loads(r.out)} == {"vidB"}
    r = run(corpus, "rockets OR talks OR iron", "--limit", "1", "--json")
    assert len(json.loads(r.out)) == 1 and "stopped at --limit 1" in r.err


def test_sort_by_right_context(corpus: tuple[Path, Path]) -> None:
    r = run(corpus, "talks", "--sort", "right", "--json")
    assert [h["right"][:7] for h in json.loads(r.out)] == [" resume", " stalle"]


def test_fuzzy_reports_expansions(corpus: tuple[Path, Path]) -> None:
    r = run(corpus, "Nasrala", "--fuzzy", "--json")
    assert "fuzzy: nasrala → nasrallah" in r.err
    assert [h["text"] for h in json.loads(r.out)] == ["Nasrallah"]


def test_bad_query_is_one_line(corpus: tuple[Path, Path]) -> None:
    r = run(corpus, '"unclosed')
    assert r.code == 2 and r.err.count("\n") == 1 and "bad query" in r.err
    r = run(corpus, "war", "--since", "2024-13")
    assert r.code == 2 and "month" in r.err


def test_hits_in_a_transcript_with_a_caption_twin_have_times(tmp_path: Path) -> None:
    """A .txt merged with its .vtt twin has cue times: the hit shows the video time."""
    import shutil

    root = tmp_path / "c"
    shutil.copytree(Path(__file__).resolve().parents[1] / "core" / "twins", root)
    r = run((root, tmp_path / "store"), '"Elm Street"', "--json")
    assert r.code == 0, r.err
    [hit] = json.loads(r.out)
    assert hit["key"] == "Qx7Lm2Rt9Vb" and hit["time"] == 12.0
    r = run((root, tmp_path / "store"), "mayor")
    assert r.code == 0, r.err
    assert "   0:09  " in r.out
