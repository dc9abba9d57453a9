"""Same words and same claim: alignment, BM25 claims, levels, twins, and a labelled fixture.

The documents here are made up for these tests, in the styles of real caption
tracks (edited mixed case, live all-caps with speaker marks, unpunctuated speech
recognition). The fixture's figures are asserted at the level measured when it
was written, minus a margin (see docs/benchmarks.md for the real-caption set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.corpus import Corpus
from annotations.similar import PassageIndex, SimilarFinder
from annotations.similar.align import align
from annotations.similar.text import STOP, figures, norm_tokens, stem
from annotations.similar.videos import VideoGroups

from .test_similar import filler, tagged

QUOTE = ("we warned the ministry three times that the spillway gates were rusted shut and "
         "nobody ever came to inspect them")

DOCS: dict[str, tuple[str, str, str]] = {
    # key: (file, title, body)
    "vidA0000001": ("en_ABC/abc-dam-breach.txt", "Kessel dam breach floods Lowmarsh", (
        "Rescue teams worked through the night in Lowmarsh. At least fourteen people died when "
        "the Kessel dam gave way on Tuesday morning. The engineer Hanna Brodsky spoke to us at "
        "the scene. \"We warned the ministry three times that the spillway gates were rusted "
        "shut and nobody ever came to inspect them,\" she said. The government says it will "
        "open an independent inquiry into the collapse. Thousands of families have been "
        "evacuated from the valley. " + filler(1, 120))),
    "vidB0000002": ("en_XYZ/xyz-lowmarsh-flood.txt", "Lowmarsh flood survivors speak", (
        "the water came so fast we had no time to take anything the collapse of the dam killed "
        "at least 14 people according to the regional governor an engineer who worked on the "
        "site told our reporter we warned the ministry three times that the spill way gates "
        "were rusted shut and nobody came to inspect them officials promised an independent "
        "investigation into why the dam failed twenty nine people are still missing after the "
        "flood " + filler(2, 120).lower().replace(".", ""))),
    "vidC0000003": ("en_LIVE/live-minister-dam.txt", "Minister on the Kessel dam", (
        "&gt;&gt; THE MINISTER SPOKE TO REPORTERS THIS AFTERNOON.  &gt;&gt; THIS WAS A NATURAL "
        "DISASTER THAT NO ONE COULD HAVE PREDICTED, AND OUR THOUGHTS ARE WITH THE FAMILIES.  "
        "&gt;&gt; ABOUT THREE THOUSAND HOUSEHOLDS WERE MOVED OUT OF LOWMARSH OVERNIGHT.  "
        + filler(3, 100).upper())),
    "vidD0000004": ("en_ABC/abc-minister-criticised.txt", "Minister criticised over dam", (
        "\"This was a natural disaster that no one could have predicted,\" the minister said on "
        "Wednesday. Engineers say the disaster was entirely predictable and preventable. At "
        "least forty people died in the floods, the opposition claims. " + filler(4, 120))),
    "vidE0000005": ("en_XYZ/xyz-harvest.txt", "Harvest festival opens", filler(5, 200)),
    "vidF0000006": ("en_ABC/abc-weather.txt", "Weather for the weekend", filler(6, 200)),
}

# (kind, key A, phrase in A, key B, phrase in B)
LABELS = [
    ("words", "vidA0000001", "We warned the ministry three times that the spillway gates were "
     "rusted shut", "vidB0000002", "we warned the ministry three times that the spill way gates"),
    ("words", "vidC0000003", "THIS WAS A NATURAL DISASTER THAT NO ONE COULD HAVE PREDICTED",
     "vidD0000004", "This was a natural disaster that no one could have predicted"),
    ("claim", "vidA0000001", "At least fourteen people died when the Kessel dam gave way",
     "vidB0000002", "the collapse of the dam killed at least 14 people"),
    ("claim", "vidA0000001", "The government says it will open an independent inquiry into the "
     "collapse", "vidB0000002", "officials promised an independent investigation into why the "
     "dam failed"),
    ("claim", "vidA0000001", "Thousands of families have been evacuated from the valley",
     "vidC0000003", "ABOUT THREE THOUSAND HOUSEHOLDS WERE MOVED OUT OF LOWMARSH OVERNIGHT"),
    ("negative", "vidA0000001", "At least fourteen people died when the Kessel dam gave way",
     "vidD0000004", "At least forty people died in the floods"),
    ("negative", "vidB0000002", "twenty nine people are still missing after the flood",
     "vidA0000001", "At least fourteen people died when the Kessel dam gave way"),
]


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, SimilarFinder]:
    root = tmp_path_factory.mktemp("kinds")
    for vid, (rel, title, body) in DOCS.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(tagged(vid, title, body), encoding="utf-8")
    # the other file of video A: captions with cue times
    vtt = ["WEBVTT", ""]
    body = DOCS["vidA0000001"][2]
    sents = [s.strip() + "." for s in body.split(". ") if s.strip()][:6]
    for i, s in enumerate(sents):
        vtt += [f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 5:02d}.000", s, ""]
    (root / "en_ABC" / "abc-dam-breach.vtt").write_text("\n".join(vtt), encoding="utf-8")
    corpus = Corpus(root)
    list(corpus.scan())
    index = PassageIndex.open(corpus, root / ".cache", workers=1)
    return corpus, SimilarFinder(index, VideoGroups(corpus.infos))


def span_of(corpus: Corpus, key: str, phrase: str) -> tuple[int, int]:
    raw = corpus.load(key).raw
    i = raw.lower().find(phrase.lower())
    assert i >= 0, phrase
    return i, i + len(phrase)


def test_align_finds_a_quote_inside_other_words() -> None:
    quote = norm_tokens(QUOTE)
    a = norm_tokens(filler(11, 25)) + quote + norm_tokens(filler(12, 25))
    b = norm_tokens(filler(13, 30)) + quote[:8] + ["spill", "way"] + quote[9:] + norm_tokens(
        filler(14, 30))
    al = align([stem(t) for t in a], [stem(t) for t in b])
    assert al is not None
    start = len(norm_tokens(filler(11, 25)))
    assert al.a0 == start and start + len(quote) <= al.a1 <= start + len(quote) + 3
    assert al.matched >= len(quote) - 2
    assert al.score >= 75


def test_shared_quote_in_different_passages_ranks_above_unrelated(kinds) -> None:
    corpus, finder = kinds
    s, e = span_of(corpus, "vidA0000001", "The engineer Hanna Brodsky")
    e = s + len(corpus.load("vidA0000001").raw[s:].split(" she said")[0])
    res = finder.find_span("vidA0000001", s, e, kind="words")
    assert res.words, "the quote repeated in video B is found"
    top = res.words[0]
    assert top.doc_key == "vidB0000002"
    raw_b = corpus.load("vidB0000002").raw
    assert raw_b[top.raw_start:top.raw_end].startswith("we warned the ministry")
    assert raw_b[top.raw_start:top.raw_end].endswith("inspect them")
    raw_a = corpus.load("vidA0000001").raw
    assert raw_a[top.source_start:top.source_end].lower().startswith("we warned")
    assert top.level == "confirmed"
    assert all(h.doc_key not in ("vidE0000005", "vidF0000006") for h in res.words)


def test_never_the_same_video_nor_the_query(kinds) -> None:
    corpus, finder = kinds
    s, e = span_of(corpus, "vidA0000001", "At least fourteen people died when the Kessel dam")
    res = finder.find_span("vidA0000001", s, e + 20)
    twin = "en_ABC/abc-dam-breach.vtt"
    keys = {h.doc_key for h in res.all()}
    assert "vidA0000001" not in keys and twin not in keys
    same = finder.find_span("vidA0000001", s, e + 20, include_same=True)
    for h in same.all():
        if h.doc_key == "vidA0000001":
            assert not (h.raw_start < e + 20 and s < h.raw_end)


def test_short_passages_are_never_confirmed(kinds) -> None:
    _, finder = kinds
    res = finder.find_text("natural disaster no one predicted")
    assert res.all()
    assert all(h.level == "suggested" for h in res.all())


def test_other_figures_are_not_the_same_claim() -> None:
    assert figures(norm_tokens("killed more than 33,000 people")) == {"33000"}
    assert figures(norm_tokens("seven aid workers")) == {"7"}
    assert figures(norm_tokens("three thousand households")) == {"3000"}


def test_labelled_fixture_metrics(kinds) -> None:
    """Recall@5 per kind and negatives in the top 5 on the fixture: at least what was
    measured when it was written (words 1.0, claim 1.0, negatives 0.0) minus a margin."""
    corpus, finder = kinds
    found = {"words": [0, 0], "claim": [0, 0], "negative": [0, 0]}
    for kind, ka, pa, kb, pb in LABELS:
        for (qk, qp), (tk, tp) in (((ka, pa), (kb, pb)), ((kb, pb), (ka, pa))):
            s, e = span_of(corpus, qk, qp)
            ts, te = span_of(corpus, tk, tp)
            res = finder.find_span(qk, s, e)
            if kind == "negative":
                top = res.words[:5] + res.claim[:5]
            else:
                top = res.groups()[kind][:5]
            hit = any(
                (h.doc_key == tk and h.raw_start < te and ts < h.raw_end)
                or (h.doc_key != tk and finder.videos.same(h.doc_key, tk)
                    and len(set(norm_tokens(tp)) & set(norm_tokens(h.text)))
                    >= min(len(set(norm_tokens(tp))), len(set(norm_tokens(h.text)))) / 2)
                for h in top)
            found[kind][0] += hit
            found[kind][1] += 1
    assert found["words"][0] / found["words"][1] >= 1.0 - 0.25
    assert found["claim"][0] / found["claim"][1] >= 1.0 - 0.2
    assert found["negative"][0] / found["negative"][1] <= 0.0 + 0.25


def test_index_files_are_mapped_not_read(kinds) -> None:
    _, finder = kinds
    shard = next(iter(finder.index.shards.values()))
    assert isinstance(shard.pk, memoryview) and isinstance(shard.tk, memoryview)
    assert isinstance(shard.norm, memoryview)


def test_cue_times_of_a_match_in_captions(kinds, tmp_path: Path) -> None:
    corpus, finder = kinds
    s, e = span_of(corpus, "vidB0000002", "the collapse of the dam killed at least 14 people")
    res = finder.find_span("vidB0000002", s, e, top=20)
    vtt = [h for h in res.all() if h.doc_key.endswith(".vtt")]
    for h in vtt:
        assert h.time_start is not None and h.time_end is not None


def test_common_words_only_read_the_first_postings(kinds, monkeypatch: pytest.MonkeyPatch) -> None:
    """Budgets smaller than the rarest word's postings: still answers (from the first ones)."""
    import annotations.similar.claims as claims
    import annotations.similar.find as find
    from annotations.similar.claims import truncate

    assert truncate([(0, 10, 20), (1, 0, 50)], 15) == [(0, 10, 20), (1, 0, 5)]
    corpus, finder = kinds
    monkeypatch.setattr(find, "SEED_BUDGET", 1)
    monkeypatch.setattr(claims, "BUDGET", 1)
    s, e = span_of(corpus, "vidC0000003", "THIS WAS A NATURAL DISASTER THAT NO ONE COULD HAVE")
    res = finder.find_span("vidC0000003", s, e)
    assert all(h.doc_key != "vidC0000003" for h in res.all())


def test_videos_twins_by_file_name_or_title_never_two_ids() -> None:
    from types import SimpleNamespace as Info

    infos = [
        Info(key="id1", rel_path="en_A/flood.txt", title="Flood in the valley"),
        Info(key="en_A/flood.vtt", rel_path="en_A/flood.vtt", title="Flood in the valley"),
        Info(key="id2", rel_path="en_B/other.txt", title="Flood in the valley"),
        Info(key="en_C/x.vtt", rel_path="en_C/x.vtt", title="Storm warning"),
        Info(key="id3", rel_path="en_C/x.txt", title="Something else"),
    ]
    g = VideoGroups(infos)
    assert g.same("id1", "en_A/flood.vtt")  # same file name, and a captions file's title
    assert not g.same("id1", "id2")  # two video ids: two videos, whatever the titles
    assert g.same("en_C/x.vtt", "id3")  # same file name
    assert sorted(g.keys_of("id3")) == ["en_C/x.vtt", "id3"]


def test_a_quote_with_caption_errors_outranks_a_name_said_exactly() -> None:
    """Identity is softened in the score: a quote heard with words changed, added and
    missed is aligned whole and scores above the rare 3-word name inside it matched
    exactly (rare words weigh 1.5, as the finder weighs them)."""
    rare = {"kessel", "relief", "kitchen"}

    def weights(toks: list[str]) -> list[float]:
        return [1.5 if t in rare else 0.5 if t in STOP else 1.0 for t in toks]

    said = norm_tokens("an army inquiry found the attack that killed seven aid personnel from "
                       "the Kessel Relief Kitchen was ordered")
    heard = norm_tokens("the strike that killed these seven aid workers with Kessel Relief "
                        "Kitchen really marks")
    stems = [stem(t) for t in said]
    quote = align(stems, [stem(t) for t in heard], weights=weights(said))
    name = align(stems, [stem(t) for t in ("kessel", "relief", "kitchen")],
                 weights=weights(said))
    assert quote is not None and name is not None
    assert quote.matched >= 7, "the quote is aligned whole, not just the name inside it"
    assert quote.score > name.score


def test_align_finds_a_short_quote_that_one_subsequence_passes_by() -> None:
    """The longest common subsequence may match "and" and "independent" further on and
    pass by the three words said together; the subsequence found from the other end
    keeps them."""
    a = norm_tokens("he urged them to conduct a swift, thorough and independent inquiry into "
                    "this attack")
    b = norm_tokens("there must be a thorough, independent inquiry and full accountability for "
                    "what happened. Take a listen. It is also critical that we see an independent")
    al = align([stem(t) for t in a], [stem(t) for t in b])
    assert al is not None
    assert "thorough independent inquiry" in " ".join(b[al.b0 : al.b1])
