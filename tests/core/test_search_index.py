"""Search index: build, incremental updates, exact hits, repaired text, concurrency."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.corpus import Corpus
from annotations.search.build import open_index, sync
from annotations.search.engine import SearchIndex
from annotations.search.kwic import count_hits, sort_hits
from annotations.search.query import QueryError, parse
from annotations.search.service import Searcher
from annotations.search.sqlite_index import IndexError_, SqliteIndex
from tests.conftest import MakeCorpus

ROOT = Path(__file__).resolve().parents[2]


def tagged(vid: str, title: str, date: str, body: str) -> str:
    return (f"<video_id>{vid}</video_id>\n<video_title>{title}</video_title>\n"
            f"<publish_date>{date}</publish_date>\n\n<doc>\n{body}\n</doc>")


VTT = """WEBVTT

00:00:01.000 --> 00:00:03.000
THE FLOOD WATERS ROSE OVERNIGHT.

00:00:03.000 --> 00:00:05.000
BY NOON, SOME 250 PEOPLE HAD BEE

00:00:05.000 --> 00:00:07.000
RESCUED FROM ROOFTOPS IN MARLOWE.
"""

FILES = {
    "en_CNN/a.txt": tagged("vidA", "Dam breaks upstream", "20240403",
                           "The Iron Dome intercepted rockets over the north.\n"
                           "Officials said the iron dome works. Café owners closed."),
    "en_DW/b.txt": tagged("vidB", "Talks resume", "20240415",
                          "Ceasefire talks resumed in Cairo. The truce talks stalled later."),
    "en_DW/c.txt": tagged("vidC", "Older report", "20231120",
                          "Rockets were fired at dawn, officials said. Nasrallah spoke."),
    "en_CNN/flood.en.vtt": VTT,
}


@pytest.fixture
def built(make_corpus: MakeCorpus, tmp_path: Path) -> tuple[Path, SqliteIndex, Corpus]:
    root = make_corpus(FILES)
    corpus = Corpus(root)
    list(corpus.scan())
    (tmp_path / "store").mkdir()
    index = open_index(tmp_path / "store")
    sync(corpus.root, corpus.infos, index, repaired=True)
    return root, index, corpus


def _quotes(searcher: Searcher, text: str) -> list[str]:
    return [h.text for h in searcher.search(text).hits]


def test_engine_implements_the_protocol(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    assert isinstance(built[1], SearchIndex)


def test_hits_are_exact_raw_offsets(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, corpus = built
    s = Searcher(root, index)
    res = s.search('"iron dome" OR rockets')
    assert res.complete and len(res.hits) == 4
    for h in res.hits:
        raw = corpus.load(h.key).raw
        assert raw[h.start:h.end] == h.text
        assert h.left == raw[max(0, h.start - 60):h.start].replace("\n", " ")
    assert [h.text for h in res.hits] == ["Iron Dome", "rockets", "iron dome", "Rockets"]
    assert {h.channel for h in res.hits} == {"CNN", "DW"}


def test_filters_and_order(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    s = Searcher(root, index)
    assert [d.key for d in s.documents(s.prepare("talks OR rockets OR iron"))] == [
        "vidB", "vidA", "vidC"]  # newest first
    assert [d.key for d in s.documents(s.prepare("rockets channel:dw"))] == ["vidC"]
    assert [d.key for d in s.documents(s.prepare("rockets date:2024-04"))] == ["vidA"]
    assert [d.key for d in s.documents(s.prepare("rockets", since="2023-11-20",
                                                until="2023-11-20"))] == ["vidC"]
    assert [d.key for d in s.documents(s.prepare("rockets -iron"))] == ["vidC"]
    f = index.facets(s.prepare("talks OR rockets"))
    assert f.total == 3 and f.channels == {"CNN": 1, "DW": 2}
    assert f.months == {"2024-04": 2, "2023-11": 1}


def test_has_annotations_uses_the_given_keys(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    s = Searcher(root, index, annotated=lambda: frozenset({"vidC"}))
    assert [d.key for d in s.documents(s.prepare("rockets has:annotations"))] == ["vidC"]
    assert [d.key for d in s.documents(s.prepare("rockets -has:annotations"))] == ["vidA"]


def test_phrase_near_prefix_accents(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    s = Searcher(root, index)
    assert _quotes(s, "NEAR(truce stalled, 1)") == ["truce talks stalled"]
    assert _quotes(s, "cafe") == ["Café"]
    assert _quotes(s, "CAFÉ") == ["Café"]
    assert _quotes(s, "intercep*") == ["intercepted"]


def test_fuzzy_expands_and_reports(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    s = Searcher(root, index)
    assert s.search("Nasrala").hits == []
    q = s.prepare("Nasrala", fuzzy=True)
    assert "nasrallah" in q.expansions["nasrala"]
    assert _quotes(s, q) == ["Nasrallah"]  # type: ignore[arg-type]


def test_repaired_text_hit_maps_to_a_raw_span_containing_it(
        built: tuple[Path, SqliteIndex, Corpus]) -> None:
    """'BEE' cut at a 32-column caption line is completed to 'BEEN' in the repaired text: the
    phrase is found there and mapped back to the raw span around the completion."""
    root, index, corpus = built
    s = Searcher(root, index)
    res = s.search('"had been rescued"')
    assert len(res.hits) == 1
    h = res.hits[0]
    raw = corpus.load(h.key).raw
    assert raw[h.start:h.end] == h.text == "HAD BEE RESCUED"
    assert h.repaired and h.time == 3.0  # video time of the cue where the hit starts


def test_incremental_add_edit_delete(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, corpus = built
    s = Searcher(root, index)
    (root / "en_DW" / "d.txt").write_text(tagged("vidD", "New", "20240501", "Zebra crossing."))
    b = root / "en_DW" / "b.txt"
    b.write_text(tagged("vidB", "Talks resume", "20240415", "Armistice signed today."))
    os.utime(b, ns=(1, 10**18))  # a sure fingerprint change
    (root / "en_DW" / "c.txt").unlink()
    corpus.refresh()
    result = sync(corpus.root, corpus.infos, index)
    assert (result.added, result.changed, result.removed) == (1, 1, 1)
    assert _quotes(s, "zebra") == ["Zebra"]
    assert _quotes(s, "armistice") == ["Armistice"]
    assert _quotes(s, "ceasefire") == []  # the old text of b is gone
    assert _quotes(s, "nasrallah") == []  # c was deleted
    again = sync(corpus.root, corpus.infos, index)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 4)


def test_kwic_sorts_and_counts(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    s = Searcher(root, index)
    hits = s.search("talks OR rockets OR iron").hits
    by_right = sort_hits(hits, "right")
    assert [h.text for h in by_right][:2] == ["Iron", "iron"]
    assert [(h.text, h.right[:6]) for h in by_right if h.text == "talks"] == [
        ("talks", " resum"), ("talks", " stall")]
    by_left = sort_hits(hits, "left")
    assert by_left[0].left == ""  # the hit opening a document: nothing to its left
    assert by_left[1].left.endswith("Ceasefire ")
    assert [h.channel for h in sort_hits(hits, "channel")][0] == "CNN"
    counts = count_hits(hits)
    assert counts.hits == len(hits) and counts.documents == 3
    assert counts.months == {"2023-11": 1, "2024-04": len(hits) - 1}


def test_index_file_refuses_a_planted_symlink(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "search.sqlite").symlink_to(tmp_path / "elsewhere.sqlite")
    with pytest.raises(IndexError_, match="symbolic link"):
        open_index(store)
    assert not (tmp_path / "elsewhere.sqlite").exists()


def test_index_file_is_group_writable_in_a_shared_folder(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    os.chmod(store, 0o2775)
    old = os.umask(0o077)
    try:
        open_index(store).close()
    finally:
        os.umask(old)
    assert (store / "search.sqlite").stat().st_mode & 0o060 == 0o060


def test_bad_query_never_leaks_engine_errors(built: tuple[Path, SqliteIndex, Corpus]) -> None:
    root, index, _ = built
    with pytest.raises(QueryError):
        Searcher(root, index).search('"unclosed')


WRITER = """
import sys
from pathlib import Path
from annotations.search.engine import IndexDoc
from annotations.search.sqlite_index import SqliteIndex
idx = SqliteIndex(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    idx.put([IndexDoc(f"w{i}.txt", f"w{i}", "1:1", f"W{i}", "X", "2024-01-01",
                      "common word" + " filler" * 200)])
print("done", flush=True)
"""

READER = """
import sys
from pathlib import Path
from annotations.search.query import parse
from annotations.search.sqlite_index import SqliteIndex
idx = SqliteIndex(Path(sys.argv[1]), read_only=True)
q = parse("common")
last = 0
for _ in range(int(sys.argv[2])):
    n = len(idx.match(q))
    assert n >= last, (n, last)  # a reader sees whole commits, never fewer
    last = n
print("ok", last, flush=True)
"""


def test_concurrent_reader_and_writer_processes(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    open_index(store).close()
    path = str(store / "search.sqlite")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, path, "300"], env=env,
                              stdout=subprocess.PIPE, text=True)
    readers = [subprocess.Popen([sys.executable, "-c", READER, path, "200"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    out_w, _ = writer.communicate(timeout=120)
    assert writer.returncode == 0 and out_w.strip() == "done"
    for r in readers:
        out, err = r.communicate(timeout=120)
        assert r.returncode == 0, err
        assert out.startswith("ok")
    assert len(SqliteIndex(Path(path)).match(parse("common"))) == 300
