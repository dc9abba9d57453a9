"""``gloss annotations``: the core's filter semantics (shared CASES), header, sort, keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from tests.cli.runner import gloss
from tests.core.test_filters import ANNS, CASES

BODY = "the levee held. crews are still pumping. officials said the water rose.\n"


def tagged(key: str, date: str) -> str:
    return f"<video_id>{key}</video_id>\n<publish_date>{date}</publish_date>\n<doc>\n{BODY}</doc>\n"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("ann") / "corpus"
    (root / "en_CNN").mkdir(parents=True)
    (root / "en_DW").mkdir()
    (root / "en_CNN" / "one.txt").write_text(tagged("a.txt", "20231103"), encoding="utf-8")
    (root / "en_DW" / "two.txt").write_text(tagged("b.txt", "20240131"), encoding="utf-8")
    store_dir = root.parent / "store"
    store = AnnotationStore(store_dir, fsync=False)
    for ann in ANNS:
        store.add(ann)
    return root, store_dir


def ids(setup: tuple[Path, Path], *args: str) -> str:
    corpus, store = setup
    r = gloss("annotations", corpus, "--store", store, "--json", *args)
    assert r.code == 0, r.err
    return "".join(sorted(a["id"] for a in json.loads(r.out)))


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_query_words_match_the_core(setup: tuple[Path, Path], query: str, expected: str) -> None:
    assert ids(setup, "--", *query.split()) == expected  # `--`: a query may start with -


@pytest.mark.parametrize(("options", "expected"), [
    (["--tag", "#CLAIM"], "13"),
    (["--tag", "claim", "--tag", "gaza"], "123"),
    (["--tag", "claim", "--verdict", "false"], "1"),
    (["--verdict", "needs-context"], "2"),
    (["--author", "BOB"], "23"),
    (["--since", "2024-01-01"], "124"),
    (["--channel", "cnn"], "12"),
    (["--date", "2024"], "34"),
    (["--doc", "b.txt"], "34"),
    (["--tag", "claim", "levee"], "1"),
])
def test_options_add_the_same_terms(setup: tuple[Path, Path], options: list[str],
                                    expected: str) -> None:
    assert ids(setup, *options) == expected


def test_header_summary_and_full_keys(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    key = "aj-11-killed-in-israeli-strike-on-gaza-school-2023-11-04-full-report.txt"
    (root / key).write_text(BODY, encoding="utf-8")
    store = tmp_path / "s"
    assert gloss("annotate", root, "--doc", key, "--quote", "levee", "--tag", "#Gaza",
                 "--author", "a-very-long-author-name-that-is-not-cut", "--store", store).code == 0
    r = gloss("--store", store, "annotations", root, "tag:gaza")
    header, line = r.out.splitlines()
    assert header == "DOC\tSTART-END\tSTATUS\tVERDICT\tTAGS\tAUTHOR\tUPDATED\tQUOTE\tNOTE"
    cells = line.split("\t")
    assert cells[0] == key and cells[4] == "Gaza"
    assert cells[5] == "a-very-long-author-name-that-is-not-cut"
    assert r.err == "1 annotation in 1 document (filter: tag:gaza)\n"
    listed = gloss("list", root)
    assert key in listed.out  # `gloss list` does not cut keys either
    assert gloss("annotations", root, "--store", store, "--doc", key).code == 0


def test_sort_newest_first(setup: tuple[Path, Path]) -> None:
    corpus, store = setup
    r = gloss("annotations", corpus, "--store", store, "--json", "--sort", "updated")
    dates = [a["updated"] for a in json.loads(r.out)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 4
    r = gloss("annotations", corpus, "--store", store, "--sort", "author")
    authors = [line.split("\t")[5] for line in r.out.splitlines()[1:]]
    assert [a.casefold() for a in authors] == ["ann", "bob", "bob", "carol"]


@pytest.mark.parametrize(("args", "message"), [
    (["since:someday"], "filter since: not a date"),
    (["--since", "someday"], "--since: not a date"),
    (["--doc", "nope"], "unknown document key: 'nope'"),
    (["--sort", "size"], "Invalid value for '--sort'"),
])
def test_errors(setup: tuple[Path, Path], args: list[str], message: str) -> None:
    corpus, store = setup
    r = gloss("annotations", corpus, "--store", store, *args)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1 and message in r.err


def test_no_match(setup: tuple[Path, Path]) -> None:
    corpus, store = setup
    r = gloss("annotations", corpus, "--store", store, "tag:none")
    assert r.code == 0 and r.out == "" and r.err == "no annotations (filter: tag:none)\n"
