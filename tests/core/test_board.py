"""Annotation board: one table, the core filter, sorting, counts, safe undoable bulk actions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.annotation import Annotation
from annotations.board import Board, add_tag, check_orphans, make_row, remove_tag, set_verdict, undo
from annotations.filters import AnnotationFilter
from annotations.model import DocInfo
from annotations.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
INFOS = {
    "d1": DocInfo("d1", Path("a.txt"), "a.txt", "Levee holds", "CNN", "2024-04-02"),
    "d2": DocInfo("d2", Path("b.txt"), "b.txt", "Talks resume", "DW", "2023-11-20"),
}


def ann(doc: str, quote: str, **kw: object) -> Annotation:
    return Annotation(doc_key=doc, raw_start=0, raw_end=len(quote), quote=quote, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    s = AnnotationStore(tmp_path / "store", fsync=False)
    s.add(ann("d1", "the levee held", id="a1", verdict="false", tags=["claim"], author="ann",
              time_start=12.0))
    s.add(ann("d1", "crews are pumping", id="a2", verdict="true", author="bob"))
    s.add(ann("d2", "talks resumed", id="a3", verdict="false", tags=["claim", "un"],
              author="ann", note="check with UN"))
    s.add(ann("d2", "gone text", id="a4", verdict="unverified", author="cy"))
    return s


def test_board_lists_filters_sorts_counts(store: AnnotationStore) -> None:
    board = Board.load(store, INFOS.get)
    assert len(board.rows) == 4
    assert {r.title for r in board.rows} == {"Levee holds", "Talks resume"}
    v = board.view("verdict:false")
    assert sorted(r.ann.id for r in v.all()) == ["a1", "a3"]
    assert v.counts() == ({"false": 2}, {"claim": 2, "un": 1})
    assert [r.ann.id for r in board.view("channel:dw").all()] in (["a3", "a4"], ["a4", "a3"])
    assert [r.ann.id for r in board.view("UN tag:claim").all()] == ["a3"]  # note and tag
    assert [r.ann.id for r in board.view("", "date", reverse=True).first(2)] in (
        ["a1", "a2"], ["a2", "a1"])
    assert [r.ann.id for r in board.view("", "author").all()][:2] in (["a1", "a3"], ["a3", "a1"])
    assert [r.ann.id for r in board.view("", "time").first(1)] == ["a1"]
    assert [r.ann.id for r in board.view("", "quote").all()] == ["a2", "a4", "a3", "a1"]


WORDS = st.sampled_from(["levee", "held", "crews are", "UN", "claim", "ann", "x y", "é", "Ω"])


@settings(max_examples=150, deadline=None)
@given(quote=st.lists(WORDS, max_size=4), note=st.lists(WORDS, max_size=3),
       tags=st.lists(st.sampled_from(["claim", "UN", "#un", "done"]), max_size=3),
       query=st.lists(st.sampled_from(["levee", "held crews", '"are UN"', "claim", "-claim",
                                       "tag:un", "verdict:false", "channel:cnn", "ann",
                                       "date:2024", "s y"]), max_size=3))
def test_board_view_is_exactly_the_core_filter(quote: list[str], note: list[str],
                                               tags: list[str], query: list[str]) -> None:
    """The board's word index only skips rows the core filter would reject."""
    a = ann("d1", " ".join(quote), note=" ".join(note), tags=tags, verdict="false")
    row = make_row(a, INFOS["d1"])
    flt = AnnotationFilter.parse(" ".join(query))
    assert bool(Board([row]).view(flt).all()) == flt.matches(a, INFOS["d1"])


def test_bulk_verdict_and_tag_are_undoable(store: AnnotationStore) -> None:
    board = Board.load(store, INFOS.get)
    marked = [r.key for r in board.view("verdict:false").all()]
    done = set_verdict(store, marked, "misleading")
    assert done.changed == 2
    assert {a.verdict for a in store.list("d1") + store.list("d2")
            if a.id in ("a1", "a3")} == {"misleading"}
    tagged = add_tag(store, marked, "checked")
    assert all("checked" in a.tags for a in store.list("d2") if a.id == "a3")
    undo(store, tagged)
    undo(store, done)
    a1 = store.get("d1", "a1")
    a3 = store.get("d2", "a3")
    assert a1 is not None and a3 is not None
    assert (a1.verdict, a1.tags) == ("false", ["claim"])
    assert (a3.verdict, a3.tags) == ("false", ["claim", "un"])
    removed = remove_tag(store, [("d2", "a3")], "#UN")  # tag keys: #UN is un
    assert store.get("d2", "a3").tags == ["claim"]  # type: ignore[union-attr]
    undo(store, removed)
    assert store.get("d2", "a3").tags == ["claim", "un"]  # type: ignore[union-attr]


def test_bulk_action_keeps_a_colleagues_concurrent_change(store: AnnotationStore) -> None:
    board = Board.load(store, INFOS.get)  # the board was read before the colleague wrote
    row = next(r for r in board.rows if r.ann.id == "a1")
    other = AnnotationStore(store.root, fsync=False)  # a colleague's process
    fresh = other.get("d1", "a1")
    assert fresh is not None
    fresh.note = "colleague's note"
    fresh.tags = ["claim", "theirs"]
    other.update(fresh)
    done = add_tag(store, [row.key], "mine")
    got = store.get("d1", "a1")
    assert got is not None and got.note == "colleague's note"
    assert got.tags == ["claim", "theirs", "mine"]
    # the colleague now changes the verdict after ours; undo of ours must not clobber it
    v = set_verdict(store, [row.key], "true")
    fresh = other.get("d1", "a1")
    assert fresh is not None
    fresh.verdict = "needs context"
    other.update(fresh)
    undo(store, v)
    undo(store, done)
    got = store.get("d1", "a1")
    assert got is not None
    assert (got.verdict, got.tags, got.note) == ("needs context", ["claim", "theirs"],
                                                 "colleague's note")


WRITER = """
import sys
from pathlib import Path
from annotations.store import AnnotationStore
s = AnnotationStore(Path(sys.argv[1]), fsync=False)
for i in range(int(sys.argv[2])):
    a = s.get("d1", "a2")
    a.note = f"edit {i}"
    s.update(a)
print("done", flush=True)
"""


def test_bulk_actions_race_a_writer_process_and_lose_nothing(store: AnnotationStore) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store.root), "60"], env=env,
                            stdout=subprocess.PIPE, text=True)
    tags = [f"t{i}" for i in range(30)]
    for t in tags:
        add_tag(store, [("d1", "a1"), ("d1", "a2")], t)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and out.strip() == "done"
    a2 = store.get("d1", "a2")
    assert a2 is not None and a2.note == "edit 59"  # every one of the writer's edits landed
    a1 = store.get("d1", "a1")
    assert a1 is not None and a1.tags == ["claim", *tags]


def test_orphans_are_listed_with_their_last_quote(store: AnnotationStore) -> None:
    board = Board.load(store, INFOS.get)
    texts = {"d1": "the levee held and crews are pumping", "d2": "talks resumed today"}
    orphans, checked = check_orphans(board.rows, texts.get)
    board.mark_orphans(orphans, checked)
    lost = [r for r in board.rows if r.orphan]
    assert [(r.ann.id, r.ann.quote) for r in lost] == [("a4", "gone text")]


@settings(max_examples=60, deadline=None)
@given(quotes=st.lists(st.lists(WORDS, max_size=4), min_size=1, max_size=8),
       typed=st.sampled_from(["levee held", "crews are UN", "claim ann", "x y é", "held Ω"]))
def test_typing_a_filter_narrows_exactly_like_the_core_filter(quotes: list[list[str]],
                                                              typed: str) -> None:
    """Keystroke by keystroke (the board reuses rows found for a shorter word), every
    view holds exactly the rows the core filter keeps, in order."""
    anns = [ann("d1", " ".join(q), tags=["claim"] if i % 2 else [], author="ann" if i % 3 else "bo")
            for i, q in enumerate(quotes)]
    board = Board(make_row(a, INFOS["d1"]) for a in anns)
    for k in range(1, len(typed) + 1):
        flt = AnnotationFilter.parse(typed[:k])
        want = [a.id for a in flt.select([r.ann for r in board.sorted_rows("date")],
                                         lambda _k: INFOS["d1"])]
        assert [r.ann.id for r in board.view(flt, "date").all()] == want


def test_bulk_add_tag_uses_the_core_tag_rule(store: AnnotationStore) -> None:
    """``#WCK`` is stored as ``WCK`` (not ``#WCK``, shown ``##WCK``); ``#Claim human rights``
    takes the store's spelling ``claim``-style and spaces become ``-``."""
    add_tag(store, [("d1", "a1")], "#WCK")
    add_tag(store, [("d1", "a1")], " #human  rights ")
    add_tag(store, [("d1", "a1")], "#CLAIM")  # already there as claim: no change
    assert store.get("d1", "a1").tags == ["claim", "WCK", "human-rights"]  # type: ignore[union-attr]
    assert add_tag(store, [("d1", "a1")], "##").changed == 0
