"""Corpus scanning, keys, loading and change detection; the real caption corpus if present."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from annotations import formats
from annotations.corpus import Changes, Corpus, CorpusError
from tests.conftest import SHARED, MakeCorpus

TAGGED = "<video_id>{vid}</video_id>\n<video_title>{title}</video_title>\n<doc>\n{body}\n</doc>"


def tagged(vid: str, title: str = "T", body: str = "some words here") -> str:
    return TAGGED.format(vid=vid, title=title, body=body)


@pytest.fixture
def corpus_root(make_corpus: MakeCorpus) -> Path:
    return make_corpus({
        "en_CNN/b.txt": tagged("vidB", "Bravo"),
        "en_CNN/a.txt": tagged("vidA", "Alpha"),
        "en_CNN/deeper/c.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHELLO THERE\n",
        "top.srt": "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
        "notes": "Plain notes\nwithout an extension",
        "README.md": "# Readme\n",
        ".gloss/store.json": "{}",
        ".git/HEAD": "ref: refs/heads/main",
        ".hidden.txt": "hidden",
        "image.jpg": b"\xff\xd8\xff\xe0",
        "table.tsv": "a\tb",
    })


def test_scan_is_recursive_sorted_and_skips_hidden(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    rels = [i.rel_path for i in corpus.scan()]
    assert rels == ["en_CNN/a.txt", "en_CNN/b.txt", "en_CNN/deeper/c.vtt", "notes",
                    "README.md", "top.srt"]
    assert [i.rel_path for i in corpus.infos] == rels
    assert [i.key for i in corpus.infos][:2] == ["vidA", "vidB"]
    c = corpus.get("en_CNN/deeper/c.vtt")
    assert c is not None and c.format == "vtt" and c.channel == "deeper"
    assert corpus.get("vidA").channel == "CNN"  # type: ignore[union-attr]
    assert all(i.words is None or i.size < formats.HEAD_BYTES for i in corpus.infos)
    assert corpus.get("missing") is None


def test_scan_with_words_and_batches(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    batches = list(corpus.scan_batches(batch=4))
    assert [len(b) for b in batches] == [4, 2]
    assert corpus.get("vidA").words is None  # type: ignore[union-attr]
    words = {i.key: i.words for i in corpus.scan(words=True)}
    assert words["vidA"] == 3 and words["en_CNN/deeper/c.vtt"] == 2 and words["top.srt"] == 1


def test_single_file_is_a_corpus_of_one(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root / "en_CNN" / "a.txt")
    assert corpus.root == (corpus_root / "en_CNN").resolve()
    assert [i.key for i in corpus.scan()] == ["vidA"]
    assert corpus.load("vidA").raw == "some words here"


def test_missing_path_raises_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as err:
        Corpus(tmp_path / "nowhere")
    assert isinstance(err.value, FileNotFoundError)
    assert str(err.value) == f"no such file or folder: {tmp_path / 'nowhere'}"
    with pytest.raises(CorpusError) as err:
        Corpus(tmp_path / "two\nlines")
    assert "\n" not in str(err.value) and "two\\nlines" in str(err.value)


def test_load_by_key_or_info_updates_the_row(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    list(corpus.scan())
    doc = corpus.load("vidB")
    assert doc.key == "vidB" and doc.raw == "some words here" and doc.title == "Bravo"
    assert corpus.get("vidB").words == 3  # type: ignore[union-attr]
    assert corpus.infos[1] is doc.info
    info = corpus.get("en_CNN/deeper/c.vtt")
    assert info is not None
    vtt = corpus.load(info)
    assert vtt.cues and vtt.cues[0].start == 1.0
    gone = corpus.load("no-such-key")
    assert gone.raw == "" and gone.info.error == "no longer in the corpus"



def test_every_load_updates_its_own_row_after_a_refresh(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    list(corpus.scan())
    for _ in range(2):  # the second load replaces the row the first one put in place
        for info in list(corpus.infos):
            doc = corpus.load(info.key)
            assert corpus.infos[corpus.infos.index(doc.info)] is doc.info
    (corpus_root / "en_CNN" / "0.txt").write_text(tagged("vid0", body="one two"))
    assert [i.key for i in corpus.refresh().added] == ["vid0"]
    rels = [i.rel_path for i in corpus.infos]
    for info in list(corpus.infos):
        doc = corpus.load(info)
        assert corpus.infos[rels.index(info.rel_path)] is doc.info
    assert [i.rel_path for i in corpus.infos] == rels
    assert corpus.get("vid0").words == 2  # type: ignore[union-attr]

def test_duplicate_video_ids_get_path_keys(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"a.txt": tagged("same", body="first"), "b.txt": tagged("same", body="second")})
    corpus = Corpus(root)
    infos = list(corpus.scan())
    assert [i.key for i in infos] == ["same", "b.txt"]
    assert infos[1].problems == ["video id same also used by a.txt"]
    assert corpus.load("b.txt").raw == "second" and corpus.load("same").raw == "first"


def test_refresh_detects_add_remove_edit(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    list(corpus.scan())
    nothing = corpus.refresh()
    assert not nothing and nothing == Changes()
    (corpus_root / "en_CNN" / "new.txt").write_text(tagged("vidN", "New"))
    (corpus_root / "top.srt").unlink()
    a = corpus_root / "en_CNN" / "a.txt"
    a.write_text(tagged("vidA", "Alpha edited"))
    st = a.stat()
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # same-second edits count
    changes = corpus.refresh()
    assert changes
    assert [i.key for i in changes.added] == ["vidN"]
    assert [i.key for i in changes.removed] == ["top.srt"]
    assert [i.title for i in changes.changed] == ["Alpha edited"]
    assert corpus.get("top.srt") is None and corpus.get("vidN") is not None
    assert corpus.get("vidA").title == "Alpha edited"  # type: ignore[union-attr]
    assert [i.rel_path for i in corpus.infos] == [
        "en_CNN/a.txt", "en_CNN/b.txt", "en_CNN/deeper/c.vtt", "en_CNN/new.txt", "notes",
        "README.md"]
    assert not corpus.refresh()
    # same size, new mtime: still a change
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 9_000_000))
    assert [i.key for i in corpus.refresh().changed] == ["vidA"]


def test_refresh_new_duplicate_never_steals_a_key(corpus_root: Path) -> None:
    corpus = Corpus(corpus_root)
    list(corpus.scan())
    (corpus_root / "0first.txt").write_text(tagged("vidB", "Impostor"))
    changes = corpus.refresh()
    assert [i.key for i in changes.added] == ["0first.txt"]
    assert corpus.get("vidB").title == "Bravo"  # type: ignore[union-attr]


def test_bad_files_are_listed_with_errors(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"bin.txt": b"\x00\x01\x02", "empty.txt": "", "ok.txt": "Fine text"})
    infos = {i.rel_path: i for i in Corpus(root).scan()}
    assert infos["bin.txt"].error == "binary file (contains NUL bytes)"
    assert infos["empty.txt"].error == "empty file"
    assert infos["ok.txt"].ok


# -- the real caption corpus (evaluation input; skipped when absent) -----------------------
CORPUS = SHARED / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_vtt_text_explains_the_txt_files() -> None:
    """Each ``.txt`` was made from its ``.vtt`` by a rule that drops every line seen earlier
    (and lines after a blank line). Ours only drops rolling duplicates, so: every word of
    the ``.txt`` appears in ours in order, and what we add is only whole repeated phrases
    or the last words."""
    pairs = sorted(CORPUS.glob("*.vtt"))
    assert len(pairs) >= 30
    exact = 0
    for vtt in pairs:
        ours = formats.load(vtt, CORPUS)
        theirs = formats.load(vtt.with_suffix(".txt"), CORPUS)
        assert ours.info.ok and theirs.info.format == "tagged", vtt.name
        a, b = theirs.raw.split(), ours.raw.split()
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        assert all(tag in ("equal", "insert") for tag, *_ in ops), vtt.name
        added = sum(j2 - j1 for tag, _, _, j1, j2 in ops if tag == "insert")
        assert added <= max(12, len(a) // 50), vtt.name
        exact += ours.raw == theirs.raw
        describe = formats.describe(vtt, CORPUS)
        assert describe.words == len(ours.raw.split())
    assert exact >= len(pairs) // 3


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_shared_corpus_metadata() -> None:
    corpus = Corpus(CORPUS)
    infos = [i for i in corpus.scan() if i.rel_path.endswith(".txt")]
    assert len(infos) >= 30 and all(i.format == "tagged" for i in infos)
    assert all(i.channel in {"CNN", "AJ", "BBCNews", "DW"} for i in infos if i.date)
    bare = corpus.get("bbc-explosion-in-gaza-stops-bbc-journalist-live-on-air.txt")
    assert bare is not None and bare.format == "tagged" and bare.date == ""


def test_parallel_word_scan_matches_serial(corpus_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotations.corpus as corpus_module

    serial = [(i.key, i.words, i.problems) for i in Corpus(corpus_root).scan(words=True)]
    monkeypatch.setattr(corpus_module, "PARALLEL_MIN", 1)
    corpus = Corpus(corpus_root)
    parallel = [(i.key, i.words, i.problems)
                for batch in corpus.scan_batches(batch=2, words=True, processes=2) for i in batch]
    assert parallel == serial and len(corpus.infos) == len(serial)
    assert corpus.get("vidA") is not None and not corpus.refresh()
