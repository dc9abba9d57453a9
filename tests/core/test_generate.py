"""The synthetic corpus generator (bench/generate.py): deterministic, well formed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.generate import COLS, MAX_WORDS, MIN_WORDS, Manifest, big_document, generate, read_body

N = 40


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    return generate(tmp_path_factory.mktemp("gen"), N, seed=3, vtt_share=0.2)


def test_same_seed_same_bytes(corpus: Manifest, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", N, seed=3, vtt_share=0.2, workers=2)
    assert _files(again.root) == _files(corpus.root)


def test_other_seed_differs(corpus: Manifest, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", N, seed=4, vtt_share=0.2)
    assert _files(other.root) != _files(corpus.root)


def test_manifest_round_trip(corpus: Manifest) -> None:
    loaded = Manifest.load(corpus.root)
    assert loaded.docs == corpus.docs
    assert [p.occurrences for p in loaded.plants] == [p.occurrences for p in corpus.plants]
    assert len(corpus.docs) == N
    assert len({d.key for d in corpus.docs}) == N


def test_tagged_format(corpus: Manifest) -> None:
    tagged = [d for d in corpus.docs if d.format == "tagged"]
    assert tagged
    for d in tagged:
        text = (corpus.root / d.rel_path).read_text(encoding="utf-8")
        assert d.rel_path.startswith(d.channel + "/") and d.channel.startswith("en_")
        assert text.endswith("\n</doc>") and "\r" not in text
        assert text[d.body_start - len("<doc>\n") : d.body_start] == "<doc>\n"
        body = read_body(corpus.root / d.rel_path)
        assert text[d.body_start : d.body_start + d.body_chars] == body
        if d.date:  # metadata present
            m = re.match(
                r"<video_id>([\w-]{11})</video_id>\n<video_title>(.+)</video_title>\n"
                r"<thumbnail_path>data/(en_\w+)\\(.+)\.jpg</thumbnail_path>\n"
                r"<publish_date>(\d{8})</publish_date>\n\n<doc>\n",
                text,
            )
            assert m, text[:300]
            assert m[1] == d.key and m[2] == d.title and m[3] == d.channel
            assert m[5] == d.date.replace("-", "")


def test_vtt_format(corpus: Manifest) -> None:
    vtts = [d for d in corpus.docs if d.format == "vtt"]
    assert vtts
    for d in vtts:
        text = (corpus.root / d.rel_path).read_text(encoding="utf-8")
        assert text.startswith("WEBVTT\n")
        blocks = text.split("\n\n")[1:]
        assert blocks
        for block in blocks:
            timing, *lines = block.strip("\n").split("\n")
            assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}.*", timing)
            assert lines and all(len(x) <= COLS + 1 for x in lines)


def test_lengths_in_range(corpus: Manifest) -> None:
    for d in corpus.docs:
        assert MIN_WORDS <= d.words <= MAX_WORDS, d
        if d.format == "tagged":
            assert len(read_body(corpus.root / d.rel_path).split()) == d.words


def test_plants_point_at_planted_text(corpus: Manifest) -> None:
    assert corpus.plants
    for p in corpus.plants:
        assert 2 <= len(p.occurrences) <= 3
        assert len({k for k, _, _ in p.occurrences}) == len(p.occurrences)
        assert len(set(p.variants)) == len(p.variants)  # never all the same
        for (key, start, end), variant in zip(p.occurrences, p.variants, strict=True):
            body = corpus.body(key)
            assert body[start:end] == variant
            assert 20 <= len(variant.split()) <= 50
            # near duplicates: most words shared with the quote as composed
            shared = set(variant.split()) & set(p.text.split())
            assert len(shared) >= 0.7 * len(set(p.text.split()))


def test_artifacts_present(corpus: Manifest) -> None:
    bodies = [corpus.body(d.key) for d in corpus.docs if d.format == "tagged" and d.style == "cut32"]
    text = " ".join(bodies)
    assert "  " in text  # a cut on a space
    # lost punctuation before a capitalised next line: "… the g And Jim"
    assert re.search(r"[a-z] (And|But|The|We|It|This) ", text)
    upper = [corpus.body(d.key) for d in corpus.docs if d.style == "upper" and d.format == "tagged"]
    asr = [corpus.body(d.key) for d in corpus.docs if d.style == "asr" and d.format == "tagged"]
    assert all(b == b.upper() for b in upper)
    assert all(b == b.lower() and "." not in b for b in asr)


def test_cut_lines_are_32_columns() -> None:
    from random import Random

    from bench.generate import _lines, _speech

    rng = Random(1)
    lines = _lines(rng, _speech(rng, 3000), "cut32")
    assert max(len(x) for x in lines) == COLS
    cut = [x for x in lines if len(x) == COLS]
    assert len(cut) > len(lines) * 0.1
    assert any(x.endswith(" ") for x in cut)  # becomes a double space at the join


def test_big_document(tmp_path: Path) -> None:
    path = big_document(tmp_path / "big.txt", words=20_000)
    words = len(read_body(path).split())
    assert 19_000 <= words <= 21_000
