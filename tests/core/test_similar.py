"""Similar passages: planted matches, offsets, cache reuse and updates, exclusion."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from annotations.corpus import Corpus
from annotations.repair.edits import Edit, Repaired, identity
from annotations.similar import PassageIndex, normalise, word_diff
from annotations.similar import build as buildmod
from annotations.similar import cut as cutmod
from annotations.similar.shard import SECTIONS, SHARDS, Shard, idx_path, shard_of
from annotations.similar.text import WORD

# Made-up text for these tests only.
QUOTE_A = ("The lighthouse keeper on Marrow Island told us the ferry to Tollington will not "
           "sail again until the new harbour wall is finished next spring, and nobody on the "
           "county council has said who will pay for it.")
VARIANT_A = ("The lighthouse keeper on Marrow Island told reporters the ferry to Tollington "
             "will not sail until the new harbour wall is finished in spring, and nobody on "
             "the county council has said who is going to pay for it.")
QUOTE_B = ("Farmers along the Wendle valley have lost nearly half of their barley to the late "
           "frost, and the cooperative in Ashgrove is now asking the ministry for an emergency "
           "loan before the autumn sowing begins.")
VARIANT_B = ("Farmers along the Wendle valley lost nearly half of their barley to the late "
             "frost and the cooperative in Ashgrove is asking the ministry for an emergency "
             "loan before autumn sowing begins.")

_WORDS = ("river market morning teacher station bicycle painted quietly orange seven window "
          "garden walked under bright lamp copper kettle violin museum corner pocket ladder "
          "thunder pebble mirror lantern velvet cabin saddle meadow whistle button canvas "
          "marble needle parcel ribbon tunnel wagon yellow silver basket candle feather "
          "jacket kitten lemon napkin puzzle rocket scarf tulip umbrella walnut").split()
_GLUE = "the a of and to in on with near after before".split()


def filler(seed: int, words: int) -> str:
    """Sentences of made-up words (no sentence of the quotes)."""
    rng = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < words:
        k = rng.randint(8, 14)
        ws = [rng.choice(_WORDS) if i % 2 == 0 else rng.choice(_GLUE) for i in range(k)]
        out.append(" ".join(ws).capitalize() + ".")
        n += k
    return " ".join(out)


def tagged(vid: str, title: str, body: str, date: str = "20240105") -> str:
    return (f"<video_id>{vid}</video_id>\n<video_title>{title}</video_title>\n"
            f"<publish_date>{date}</publish_date>\n\n<doc>\n{body}\n</doc>")


def vtt(body: str) -> str:
    """A WebVTT file with one cue per eight words, two seconds each."""
    words = body.split()
    out = ["WEBVTT\n"]
    for i in range(0, len(words), 8):
        t = i // 8 * 2
        out.append(f"00:00:{t:02d}.000 --> 00:00:{t + 2:02d}.000\n{' '.join(words[i:i + 8])}\n")
    return "\n".join(out)


def write_similar_corpus(root: Path) -> Path:
    """Five documents: A planted in alpha, beta and gamma (a vtt); B twice in delta."""
    docs = {
        "en_ONE/alpha.txt": tagged("vidALPHA001", "Ferry cut to Tollington",
                                   f"{filler(1, 70)} {QUOTE_A} {filler(2, 90)}"),
        "en_TWO/beta.txt": tagged("vidBETA0002", "Harbour wall delays",
                                  f"{filler(3, 120)} {VARIANT_A} {filler(4, 50)}", "20240210"),
        "en_TWO/gamma.vtt": vtt(f"{filler(5, 40)} {VARIANT_A} {filler(6, 40)}"),
        "en_THREE/delta.txt": tagged("vidDELTA003", "Frost in the Wendle valley",
                                     f"{filler(7, 60)} {QUOTE_B} {filler(8, 150)} "
                                     f"{VARIANT_B} {filler(9, 40)}"),
        "en_THREE/eps.txt": tagged("vidEPS00004", "Nothing to see", filler(10, 300)),
    }
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in docs.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return root


def span_of(corpus: Corpus, key: str, text: str, nth: int = 0) -> tuple[int, int]:
    raw = corpus.load(key).raw
    start = -1
    for _ in range(nth + 1):
        start = raw.index(text, start + 1)
    return start, start + len(text)


def overlaps(m: object, span: tuple[int, int]) -> bool:
    return m.raw_start < span[1] and span[0] < m.raw_end  # type: ignore[attr-defined]


@pytest.fixture
def corpus_root(tmp_path: Path) -> Path:
    return write_similar_corpus(tmp_path / "corpus")


def scanned(root: Path) -> Corpus:
    corpus = Corpus(root)
    list(corpus.scan())
    return corpus


@pytest.fixture
def index(corpus_root: Path, tmp_path: Path) -> PassageIndex:
    return PassageIndex.open(scanned(corpus_root), tmp_path / "cache")


def gamma_key(corpus: Corpus) -> str:
    return next(i.key for i in corpus.infos if i.rel_path.endswith("gamma.vtt"))


# -- finding ----------------------------------------------------------------------------------
def test_planted_matches_are_found_in_other_documents(index: PassageIndex) -> None:
    corpus = index.corpus
    start, end = span_of(corpus, "vidALPHA001", QUOTE_A)
    matches = index.query_span("vidALPHA001", start, end, top=5)
    assert {m.doc_key for m in matches[:2]} == {"vidBETA0002", gamma_key(corpus)}
    beta = next(m for m in matches if m.doc_key == "vidBETA0002")
    assert overlaps(beta, span_of(corpus, "vidBETA0002", VARIANT_A))
    assert beta.score >= 80
    assert all(m.doc_key != "vidALPHA001" for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_match_offsets_map_to_the_raw_text(index: PassageIndex) -> None:
    corpus = index.corpus
    for m in index.query_text(QUOTE_A, top=5):
        raw = corpus.load(m.doc_key).raw
        piece = raw[m.raw_start : m.raw_end]
        assert fuzz.ratio(normalise(piece), normalise(m.text)) >= 95, (piece, m.text)
        assert "Tollington" in piece or "harbour" in piece


def test_offsets_are_exact_with_identity_repair(corpus_root: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(buildmod, "repaired_of", lambda doc: identity(doc.raw))
    index = PassageIndex.open(scanned(corpus_root), tmp_path / "plain")
    matches = index.query_text(VARIANT_B, top=3)
    assert matches and matches[0].doc_key == "vidDELTA003"
    for m in matches:
        assert index.corpus.load(m.doc_key).raw[m.raw_start : m.raw_end] == m.text


def test_cue_times_of_a_caption_match(index: PassageIndex) -> None:
    g = next(m for m in index.query_text(QUOTE_A) if m.doc_key == gamma_key(index.corpus))
    doc = index.corpus.load(g.doc_key)
    assert (g.time_start, g.time_end) == doc.time_span(g.raw_start, g.raw_end)
    assert g.time_start is not None and 0 <= g.time_start < g.time_end


def test_same_document_is_excluded_unless_asked(index: PassageIndex) -> None:
    corpus = index.corpus
    first = span_of(corpus, "vidDELTA003", QUOTE_B)
    second = span_of(corpus, "vidDELTA003", VARIANT_B)
    assert all(m.doc_key != "vidDELTA003" for m in index.query_span("vidDELTA003", *first))
    same = index.query_span("vidDELTA003", *first, include_same=True)
    ours = [m for m in same if m.doc_key == "vidDELTA003"]
    assert ours and overlaps(ours[0], second)
    assert not any(overlaps(m, first) for m in ours)  # never the query passage itself
    assert all(m.doc_key != "vidDELTA003"
               for m in index.query_text(QUOTE_B, exclude_key="vidDELTA003"))
    assert index.query_text(QUOTE_B)[0].doc_key == "vidDELTA003"


def test_unrelated_text_finds_nothing(index: PassageIndex) -> None:
    assert index.query_text("Quantum chromodynamics lectures resume in Oslo next week "
                            "after the physics department repaired its broken heating") == []
    assert index.query_text("   ") == []


def test_short_query_is_aligned_inside_a_passage(index: PassageIndex) -> None:
    matches = index.query_text("the ferry to Tollington will not sail")
    assert {m.doc_key for m in matches} >= {"vidALPHA001", "vidBETA0002"}
    assert matches[0].score >= 90


def test_passage_at(index: PassageIndex) -> None:
    start, end = span_of(index.corpus, "vidALPHA001", QUOTE_A)
    p = index.passage_at("vidALPHA001", start + 40)
    assert p is not None and p.raw_start <= start + 40 < p.raw_end
    assert 16 <= len(p.text.split()) <= 45
    assert index.passage_at("vidALPHA001", len(index.corpus.load("vidALPHA001").raw)) is not None
    with pytest.raises(ValueError):
        index.passage_at("vidALPHA001", 10**9)
    with pytest.raises(ValueError):
        index.passage_at("vidALPHA001", -1)
    with pytest.raises(KeyError):
        index.passage_at("no-such-doc", 0)
    with pytest.raises(KeyError):
        index.query_span("no-such-doc", 0, 5)


def test_index_agrees_with_brute_force(index: PassageIndex) -> None:
    ids, texts = index.all_passages()
    assert len(ids) == len(index) > 20
    for text in (QUOTE_A, VARIANT_B, "the ferry to Tollington", filler(3, 30)):
        q = normalise(text)
        assert index.query_text(text) == index.brute_force(q, ids, texts)


# -- cache --------------------------------------------------------------------------------------
def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def test_cache_is_reused_and_updated(corpus_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = PassageIndex.open(scanned(corpus_root), cache)
    assert (first.last_update.cut, first.last_update.kept) == (5, 0)
    files = {p: p.stat().st_mtime_ns for p in cache.glob("shard-*")}
    again = PassageIndex.open(scanned(corpus_root), cache)
    assert (again.last_update.cut, again.last_update.kept) == (0, 5)
    assert {p: p.stat().st_mtime_ns for p in cache.glob("shard-*")} == files
    assert again.query_text(QUOTE_A) == first.query_text(QUOTE_A)

    # changed: beta now carries B, not A
    _touch(corpus_root / "en_TWO/beta.txt",
           tagged("vidBETA0002", "Harbour wall delays", f"{filler(3, 50)} {VARIANT_B}"))
    changed = PassageIndex.open(scanned(corpus_root), cache)
    assert (changed.last_update.cut, changed.last_update.kept) == (1, 4)
    assert "vidBETA0002" not in {m.doc_key for m in changed.query_text(QUOTE_A)}
    assert "vidBETA0002" in {m.doc_key for m in changed.query_text(QUOTE_B)}
    untouched = {s for s in range(SHARDS) if s != shard_of("vidBETA0002")}
    assert all(files[p] == p.stat().st_mtime_ns for p in files
               if p.suffix == ".idx" and int(p.stem[6:]) in untouched)

    # added
    (corpus_root / "en_FOUR").mkdir()
    _touch(corpus_root / "en_FOUR/zeta.txt",
           tagged("vidZETA0005", "Ferry again", f"{VARIANT_A} {filler(11, 60)}"))
    added = PassageIndex.open(scanned(corpus_root), cache)
    assert (added.last_update.cut, added.last_update.kept) == (1, 5)
    assert "vidZETA0005" in {m.doc_key for m in added.query_text(QUOTE_A)}

    # removed
    gamma = gamma_key(added.corpus)
    (corpus_root / "en_TWO/gamma.vtt").unlink()
    removed = PassageIndex.open(scanned(corpus_root), cache)
    assert (removed.last_update.cut, removed.last_update.removed) == (0, 1)
    assert gamma not in removed
    assert gamma not in {m.doc_key for m in removed.query_text(QUOTE_A)}


def test_an_index_open_elsewhere_survives_rebuilds(corpus_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reader = PassageIndex.open(scanned(corpus_root), cache)
    beta = corpus_root / "en_TWO/beta.txt"
    for n in (1, 2):  # two rebuilds of beta's shard by another process
        _touch(beta, tagged("vidBETA0002", "Harbour wall delays",
                            f"{filler(20 + n, 60)} {VARIANT_B}"))
        PassageIndex.open(scanned(corpus_root), cache)
    texts = list(cache.glob(f"shard-{shard_of('vidBETA0002'):02d}-*.txt"))
    assert len(texts) == 2  # the current text file and the one before
    assert reader.passage_at("vidBETA0002", 0) is not None  # reloads the shard it lost
    assert "vidBETA0002" in {m.doc_key for m in reader.query_text(QUOTE_B)}


def test_update_in_place(corpus_root: Path, tmp_path: Path) -> None:
    corpus = scanned(corpus_root)
    index = PassageIndex.open(corpus, tmp_path / "cache")
    _touch(corpus_root / "en_THREE/eps.txt",
           tagged("vidEPS00004", "Nothing to see", f"{filler(10, 40)} {QUOTE_A}"))
    corpus.refresh()
    stats = index.update()
    assert stats.cut == 1
    assert "vidEPS00004" in {m.doc_key for m in index.query_text(QUOTE_A)}


def test_default_cache_folder_is_in_the_corpus_store(corpus_root: Path) -> None:
    PassageIndex.open(scanned(corpus_root))
    assert list((corpus_root / ".gloss" / "similar").glob("shard-*.idx"))
    assert len(scanned(corpus_root).infos) == 5  # the store folder is not a document


def test_damaged_or_foreign_cache_is_rebuilt(corpus_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    PassageIndex.open(scanned(corpus_root), cache)
    idx_path(cache, shard_of("vidALPHA001")).write_bytes(b"not an index")
    again = PassageIndex.open(scanned(corpus_root), cache)
    assert again.last_update.cut >= 1
    assert again.query_text(QUOTE_A)[0].doc_key in {"vidALPHA001", "vidBETA0002"}
    (cache / "meta.json").write_text('{"format": -1}')
    assert PassageIndex.open(scanned(corpus_root), cache).last_update.cut == 5


def test_progress_and_worker_processes(corpus_root: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    serial = PassageIndex.open(scanned(corpus_root), tmp_path / "serial", workers=1)
    monkeypatch.setattr(buildmod, "POOL_MIN_DOCS", 1)
    seen: list[tuple[int, int]] = []
    pooled = PassageIndex.open(scanned(corpus_root), tmp_path / "pooled",
                               progress=lambda d, t: seen.append((d, t)), workers=2)
    assert seen[-1] == (5, 5) and all(d <= t for d, t in seen)
    for text in (QUOTE_A, QUOTE_B):
        assert pooled.query_text(text) == serial.query_text(text)


def test_a_rebuilt_shard_equals_a_fresh_build(corpus_root: Path, tmp_path: Path) -> None:
    """Kept documents are copied from the old shard file with their postings renumbered:
    the result is the shard a fresh build of the same documents gives."""
    corpus = scanned(corpus_root)
    docs = sorted((buildmod.cut_info(corpus, i, buildmod.fingerprint(i)) for i in corpus.infos),
                  key=lambda d: d.key)
    cache = tmp_path / "cache"
    cache.mkdir()
    Shard.build(0, docs).save(cache)
    old = Shard.load(cache, 0)
    for changed, removed in ((1, 3), (0, 4), (4, 0), (2, None)):
        keep = {d.key for i, d in enumerate(docs) if i not in (changed, removed)}
        rebuilt = Shard.build(0, [docs[changed]], old, keep)
        fresh = Shard.build(0, [d for i, d in enumerate(docs) if i != removed])
        for name, _ in SECTIONS:
            assert bytes(getattr(rebuilt, name)) == bytes(getattr(fresh, name)), name
        assert (rebuilt.docs, rebuilt.norm, rebuilt.blobs, rebuilt.n_words) == (
            fresh.docs, fresh.norm, fresh.blobs, fresh.n_words)
        assert len(rebuilt.pk) > 100 and len(rebuilt.tk) > 100


def test_unreadable_documents_are_skipped(corpus_root: Path, tmp_path: Path) -> None:
    (corpus_root / "en_ONE/empty.txt").write_text("")
    (corpus_root / "en_ONE/binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    index = PassageIndex.open(scanned(corpus_root), tmp_path / "cache")
    assert index.last_update.cut == 7
    assert index.query_text(QUOTE_A)


# -- pieces ------------------------------------------------------------------------------------
def test_display_span_and_raw_offsets_follow_repaired() -> None:
    rng = random.Random(5)
    for _ in range(200):
        raw = "".join(rng.choice("ab cd.") for _ in range(rng.randint(1, 60)))
        edits, r = [], 0
        while r < len(raw):
            r += rng.randint(0, 6)
            if r > len(raw):
                break
            e = min(len(raw), r + rng.choice((0, 0, 1, 3)))
            edits.append(Edit("whitespace", r, e, rng.choice(("", "X", "YZ")), 1.0, ""))
            r = e + 1
        rep = Repaired(raw, edits)
        data = cutmod.DocData(key="k", raw_len=len(raw), display=rep.text)
        for e, ts, te in rep.edit_spans():
            data.edits.extend((e.raw_start, e.raw_end, ts, te))
        for _ in range(20):
            a = rng.randint(0, len(raw))
            b = rng.randint(a, len(raw))
            got = cutmod.display_span(data.edits, len(raw), len(rep.text), a, b)
            assert got == rep.display_span(a, b), (raw, edits, a, b)
        n = len(rep.text)
        spans = sorted({(a, b) for a in range(n) for b in range(a + 1, n + 1)})[:: 7]
        for ds, de in spans:
            r0, r1 = cutmod.raw_offsets(data.edits, [ds], [de])
            assert (r0[0], r1[0]) == rep.raw_span(ds, de), (raw, edits, ds, de)
        starts = sorted(rng.sample(range(n), min(n, 5)))
        ends = [min(n, s + rng.randint(1, 4)) for s in starts]
        if all(a < b for a, b in zip(ends, ends[1:], strict=False)):
            r0, r1 = cutmod.raw_offsets(data.edits, starts, ends)
            assert list(zip(r0, r1, strict=True)) == [rep.raw_span(a, b)
                                                      for a, b in zip(starts, ends, strict=True)]


def _cut_oracle(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Units of ``text`` the slow way: words found sentence by sentence; each unit's
    display span (first word's start, last word's end) and normalised words."""
    low = "".join(lc if len(lc) == 1 else c for c, lc in zip(text, map(str.lower, text),
                                                             strict=True))
    spans: list[list[tuple[int, int]]] = []
    a = 0
    bounds = [m.end() for m in cutmod.SENT_END.finditer(low)] + [len(low)]
    for b in bounds:
        ws = [m.span() for m in WORD.finditer(low, a, b)]
        if ws:
            spans.append(ws)
        a = b
    flat = [w for ws in spans for w in ws]
    units = cutmod.units_of(cutmod.sentences([len(ws) for ws in spans]))
    out = [(flat[i][0], flat[j - 1][1]) for i, j in units]
    norms = [" ".join(low[x:y] for x, y in flat[i:j]).replace("'", "").replace("’", "")
             for i, j in units]
    return out, norms


def test_cut_units_match_words_found_sentence_by_sentence() -> None:
    rng = random.Random(11)
    pieces = ["word", "Don't", "gaza’s", "U.S.", "snake_case", "état", "ÉCOLE", "42", "3,000",
              "ß", "İstanbul", "x", ".", "!", "?", "…", ",", " ", " ", " ", "\n\n", "\n",
              "'", "’", '."', ".)", "--", "_", "ﬁne"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(("", " ", " ")) for _ in range(rng.randint(0, 80)))
        doc_rep = identity(text)
        data = cutmod.cut(_FakeDoc(text), doc_rep)  # type: ignore[arg-type]
        spans, norms = _cut_oracle(text)
        assert list(zip(data.u_d0, data.u_d1, strict=True)) == spans, text
        got = [data.norm[a:b].decode() for a, b in zip(data.u_n0, data.u_n1, strict=True)]
        assert got == norms, text
        assert list(data.u_nw) == [len(n.split()) for n in norms]


class _FakeDoc:
    def __init__(self, raw: str) -> None:
        self.key, self.raw, self.cues = "k", raw, []


def test_units_and_windows() -> None:
    units = cutmod.units_of(cutmod.sentences([3, 3, 3, 40, 5, 2]))
    assert units[0] == (0, 9)  # short sentences merged
    assert units[1:4] == [(9, 19), (19, 29), (29, 39)]  # the long one cut evenly
    assert all(j - i <= 20 for i, j in units)
    wins = cutmod.windows_of([j - i for i, j in units])
    assert wins[0][0] == 0 and wins[-1][1] == len(units)
    assert all(a < b for a, b in wins)


def test_word_diff() -> None:
    ops = word_diff("The ferry will not sail", "the ferry will never sail again")
    assert ops[0] == ("equal", "The ferry will")
    assert ("replace", "not\x00never") in ops
    assert ops[-1] == ("insert", "again")


def test_core_does_not_import_textual() -> None:
    code = "import sys, annotations.similar; assert 'textual' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
