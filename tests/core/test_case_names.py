"""Sentence case keeps names in all-caps captions (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.repair import RepairContext, repair
from annotations.repair.case import is_mixed_case, learn_names, name_case

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"

CAPS = ("&gt;&gt; OUR SENIOR CORRESPONDENT NADIA WARD IS IN CAPE TOWN. NADIA? "
        "&gt;&gt; THANKS. THE TALKS HERE WITH OSKAR BRAMWELL ENDED LATE. "
        "THE MAYOR SPOKE TO ELSPETH FAIRWEATHER ABOUT THE HARBOR BRIDGE. "
        "DAVID MCKENZIE IN CAPE TOWN.")
MIXED = ("The talks with Oskar Bramwell ended late. Officials met at the Harbor Bridge "
         "on Tuesday, and Elspeth Fairweather said the bridge would reopen.")


def _cased(context: RepairContext) -> str:
    return repair(CAPS, context).text


def test_structure_keeps_names() -> None:
    text = _cased(RepairContext())
    assert "correspondent Nadia Ward is in Cape Town." in text  # title + surname; pair list
    assert "David McKenzie in Cape Town." in text  # first name + surname; Mc
    assert "The mayor spoke to" in text


def test_names_learned_from_mixed_case_documents() -> None:
    learned = learn_names([MIXED, CAPS])  # the all-caps text teaches nothing
    assert learned["harbor bridge"] == "Harbor Bridge"
    assert learned["oskar bramwell"] == "Oskar Bramwell"
    text = _cased(RepairContext(names=learned))
    assert "with Oskar Bramwell ended" in text and "the Harbor Bridge." in text
    assert "harbor bridge" in _cased(RepairContext()).lower()


def test_title_teaches_names() -> None:
    text = _cased(RepairContext(title="Talks on the Harbor Bridge end late, says the port chief"))
    assert "the Harbor Bridge." in text


def test_verb_after_a_title_and_name_stays_lower_case() -> None:
    text = repair("PRESIDENT BIDEN SOUNDING OFF ON THE WAR.").text
    assert text == "President Biden sounding off on the war."


def test_helpers() -> None:
    assert name_case("mckenzie") == "McKenzie" and name_case("mcx") == "Mcx"
    assert is_mixed_case(MIXED) and not is_mixed_case(CAPS)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_hand_listed_names_in_the_corpus_all_caps_files() -> None:
    from bench.bench_names import measure

    (right, total, wrong), (right0, total0, _w) = measure()
    assert total >= 100
    assert right / total >= 0.95, sorted(set(wrong))
    assert right >= right0
