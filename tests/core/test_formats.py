"""Loading each format, metadata extraction, and bad input that must never raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import formats
from annotations.formats import captions, decode
from annotations.formats.text import UNCLOSED
from annotations.model import Document
from tests.conftest import MakeCorpus

TAGGED = (
    "<video_id>abc123XYZ_-</video_id>\n"
    "<video_title>Aid convoy reaches Rafah</video_title>\n"
    "<thumbnail_path>data/en_AJ\\Aid convoy reaches Rafah.jpg</thumbnail_path>\n"
    "<publish_date>20231103</publish_date>\n"
    "<speaker>Jane Roe</speaker>\n"
    "\n<doc>\nFirst line of the body.  Cut here And more\nsecond line\n</doc>"
)


def load(root: Path, rel: str) -> Document:
    return formats.load(root / rel, root)


# -- tagged ------------------------------------------------------------------------------
def test_tagged_metadata_and_exact_body(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"x/doc.txt": TAGGED})
    doc = load(root, "x/doc.txt")
    info = doc.info
    assert info.format == "tagged"
    assert info.key == "abc123XYZ_-"
    assert info.title == "Aid convoy reaches Rafah"
    assert info.date == "2023-11-03"
    assert info.channel == "AJ"  # from the en_AJ folder in thumbnail_path
    assert doc.raw == "First line of the body.  Cut here And more\nsecond line"
    assert doc.metadata["speaker"] == "Jane Roe"  # unknown tags are kept
    assert doc.metadata["publish_date"] == "20231103"
    assert info.words == 11 and info.problems == [] and info.ok


def test_tagged_keeps_everything_but_one_newline(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"a.txt": "<doc>\n\n  spaced body \n\n</doc>\n", "b.txt": "<doc>x</doc>",
                        "c.txt": "<video_id>v</video_id>\r\n<doc>\r\nbody\r\n</doc>"})
    assert load(root, "a.txt").raw == "\n  spaced body \n"
    assert load(root, "b.txt").raw == "x"
    assert load(root, "c.txt").raw == "body"


def test_tagged_variant_without_metadata(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"en_BBCNews/explosion.txt": "\n<doc>\nmorning that sounds close\n</doc>"})
    doc = load(root, "en_BBCNews/explosion.txt")
    assert doc.info.format == "tagged"
    assert doc.raw == "morning that sounds close"
    assert doc.info.key == "en_BBCNews/explosion.txt"  # no video id: the relative path
    assert doc.info.title == "Explosion"  # the readable file name
    assert doc.info.channel == "BBCNews"


def test_unclosed_doc_loads_what_is_there(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"u.txt": "<video_id>u1</video_id>\n<doc>\nhalf a transcript"})
    doc = load(root, "u.txt")
    assert doc.raw == "half a transcript"
    assert doc.info.ok
    assert doc.info.problems == [UNCLOSED]
    assert formats.peek(root / "u.txt", root).problems == [UNCLOSED]  # the head is the file
    big = make_corpus({"u.txt": "<doc>\n" + "word " * 10_000})
    assert formats.peek(big / "u.txt", big).problems == []  # a head alone cannot tell


def test_text_after_close_and_bad_date_are_notes(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"t.txt": "<publish_date>2023-13-45</publish_date>\n<doc>a</doc>\ntail"})
    info = load(root, "t.txt").info
    assert info.date == ""
    assert any("not a date" in p for p in info.problems)
    assert any("after </doc>" in p for p in info.problems)


def test_seed_documents(sample_docs: Path) -> None:
    plain = formats.load(sample_docs / "000_4f58a92286b26983.txt", sample_docs)
    assert plain.info.format == "plain"
    assert plain.info.title.startswith('Israel is "very serious" about invading Lebanon')
    assert plain.raw == (sample_docs / "000_4f58a92286b26983.txt").read_text("utf-8")
    tagged = formats.load(sample_docs / "003_a59515f9ec2905fc.txt", sample_docs)
    assert (tagged.info.key, tagged.info.date, tagged.info.channel) == (
        "_BjBr7Kf8rA", "2023-11-03", "CNN")
    assert tagged.raw.startswith("Just moments ago, a flairs")
    assert "began on October  And" in tagged.raw


# -- plain -------------------------------------------------------------------------------
def test_plain_title_is_first_non_empty_line(make_corpus: MakeCorpus) -> None:
    text = "\n\n   Storm hits   the coast \nBody text here.\n"
    root = make_corpus({"news/storm": text, "md/post.md": "# A heading\n\ntext"})
    doc = load(root, "news/storm")
    assert doc.info.format == "plain" and doc.raw == text
    assert doc.info.title == "Storm hits the coast"
    assert doc.info.channel == "news"  # the corpus-relative parent folder
    assert load(root, "md/post.md").info.title == "A heading"


def test_format_is_detected_by_content(make_corpus: MakeCorpus) -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHELLO\n"
    srt_text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n"
    html_like = "<p>An article</p>\n<p>in paragraphs</p>"
    root = make_corpus({"a.txt": vtt, "b.txt": srt_text, "c.vtt": TAGGED, "d.srt": "just words",
                        "e.txt": html_like, "f.txt": "<source>wire</source>\n<doc>\nbody</doc>"})
    names = ("a.txt", "b.txt", "c.vtt", "d.srt", "e.txt", "f.txt")
    assert [load(root, n).info.format for n in names] == [
        "vtt", "srt", "tagged", "plain", "plain", "tagged"]
    assert load(root, "e.txt").raw == html_like
    assert load(root, "f.txt").metadata == {"source": "wire"}


# -- captions ----------------------------------------------------------------------------
def test_sample_vtt_cues_joins_and_offsets(sample_docs: Path) -> None:
    path = sample_docs / "kentucky-dam-failure-floods-marlowe.en.vtt"
    doc = formats.load(path, sample_docs)
    assert doc.info.format == "vtt" and doc.info.ok and doc.info.problems == []
    assert doc.info.title == "Kentucky dam failure floods marlowe"
    assert doc.metadata == {"kind": "captions", "language": "en"}
    assert len(doc.cues) == 56
    first = doc.cues[0]
    assert (first.start, first.end) == (0.5, pytest.approx(2.29))
    assert doc.raw[first.raw_start:first.raw_end] == "&gt;&gt;&gt; WE BEGIN TONIGHT WITH THE"
    assert doc.raw.startswith("&gt;&gt;&gt; WE BEGIN")  # entities stay as written
    assert "SEEING THERE  &gt;&gt; WELL" in doc.raw  # trailing space kept: a double space
    assert "HAVE BEE RESCUED" in doc.raw
    # every join is a single inserted space between two cues' text
    assert len(doc.joins) == len(doc.cues) - 1
    for (offset, cols), left, right in zip(doc.joins, doc.cues, doc.cues[1:], strict=False):
        assert offset == left.raw_end and right.raw_start == offset + 1 and doc.raw[offset] == " "
        assert cols == len(doc.raw[left.raw_start:left.raw_end].replace("&gt;", ">"))
    assert doc.joins[0] == (38, 29)  # ">>> WE BEGIN TONIGHT WITH THE" is 29 columns
    # offset -> cue: inside a cue, on the separator (nearest before), time spans
    i = doc.raw.index("SIRENS")
    cue = doc.cue_at(i)
    assert cue is not None and cue.raw_start <= i < cue.raw_end
    assert doc.cue_at(doc.joins[3][0]) == doc.cues[3]
    span = doc.time_span(0, doc.raw.index("KENTUCKY"))
    assert span == (0.5, doc.cues[1].end)


def test_sample_srt(sample_docs: Path) -> None:
    doc = formats.load(sample_docs / "riverton-transit-strike.srt", sample_docs)
    assert doc.info.format == "srt" and doc.info.problems == []
    assert len(doc.cues) == 32
    assert doc.cues[0].start == 1.0
    two = doc.raw[doc.cues[0].raw_start:doc.cues[0].raw_end]
    assert two == "Transit workers in Riverton walked off the job at midnight,"
    assert "telling you this morning  Well," in doc.raw
    # two lines in one cue are joined too, and recorded as a join
    assert (doc.cues[0].raw_start + len("Transit workers in Riverton"), 27) in doc.joins


ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:01.000 --> 00:00:02.000 align:start position:0%
{SP}
you<00:00:01.200><c> know,</c><00:00:01.500><c> the</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
you know, the
{SP}

00:00:02.010 --> 00:00:03.000 align:start position:0%
you know, the
<c.colorE5E5E5>water is</c> rising

00:00:03.000 --> 00:00:04.000 align:start position:0%
water is rising
you know, the

00:00:04.000 --> 00:00:05.000 align:start position:0%
{SP}
last<00:00:04.500><c> words</c>
""".replace("{SP}", " ")  # YouTube's one-space lines


def test_youtube_rolling_captions_are_deduplicated() -> None:
    caps = captions.parse_vtt(ROLLING)
    # rolling repeats dropped; the genuine later "you know, the" kept; the last line,
    # only ever shown after a blank line, kept too.
    assert caps.raw == "you know, the water is rising you know, the last words"
    assert [(c.start, c.end) for c in caps.cues] == [(1.0, 2.0), (2.01, 3.0), (3.0, 4.0),
                                                     (4.0, 5.0)]
    assert captions.caption_text(ROLLING) == caps.raw


@pytest.mark.parametrize("text", [
    ROLLING,
    ROLLING.replace("\n", "\r\n"),
    "WEBVTT\n00:00:01.000 --> 00:00:02.000\nno blank line after the header\n",
    "WEBVTT\n\nid-1\n00:00:01.000 --> 00:00:02.000\nwith an identifier\n\n"
    "NOTE a comment\n\n00:00:02.000 --> 00:00:03.000\nwith an identifier\n"
    "00:00:03.000 --> 00:00:04.000\nno blank line between cues\n",
    "1\n00:00:01,000 --> 00:00:02,000\nSubRip <i>two</i>\nlines\n\n2\n00:00:02,000 --> 00:00:03,000\nlines\n",
])
def test_caption_text_matches_build(text: str) -> None:
    assert captions.caption_text(text) == captions.build(captions.parse_blocks(text)[0]).raw


def test_caption_text_matches_build_on_samples(sample_docs: Path) -> None:
    for path in [*sample_docs.glob("*.vtt"), *sample_docs.glob("*.srt")]:
        text = path.read_text("utf-8")
        assert captions.caption_text(text) == formats.load(path, sample_docs).raw
        assert formats.describe(path, sample_docs).words == len(captions.caption_text(text).split())


def test_srt_tags_and_lenient_fallback(make_corpus: MakeCorpus) -> None:
    good = "1\n00:00:01,000 --> 00:00:02,000\n<i>Hello</i> there\n\n2\n00:00:02,500 --> 00:00:03,000\nagain\n"
    broken = "stray words\n\n1\n00:00:01,000 --> 00:00:02,000\nfine\n\n3\n00:00:04,000 --> 00:00:05,000\nend\n"
    root = make_corpus({"good.srt": good, "broken.srt": broken})
    doc = load(root, "good.srt")
    assert doc.raw == "Hello there again"
    assert [(c.start, c.end) for c in doc.cues] == [(1.0, 2.0), (2.5, 3.0)]
    bad = load(root, "broken.srt")
    assert bad.info.ok and bad.raw == "fine end" and bad.cues[1].start == 4.0
    assert any("read leniently" in p for p in bad.info.problems)


def test_vtt_title_header_and_no_header(make_corpus: MakeCorpus) -> None:
    root = make_corpus({
        "t.vtt": "WEBVTT\nTitle: Morning  briefing\n\n00:01.000 --> 00:02.000\nHi\n",
        "n.vtt": "00:00:01.000 --> 00:00:02.000\nno header\n",
    })
    t = load(root, "t.vtt")
    assert t.info.title == "Morning briefing" and t.raw == "Hi" and t.cues[0].start == 1.0
    assert formats.peek(root / "t.vtt", root).title == "Morning briefing"
    n = load(root, "n.vtt")
    assert n.info.format == "vtt" and n.raw == "no header"
    assert any("no WEBVTT header" in p for p in n.info.problems)


def test_our_cues_match_webvtt_py(sample_docs: Path) -> None:
    webvtt = pytest.importorskip("webvtt")
    paths = [sample_docs / "kentucky-dam-failure-floods-marlowe.en.vtt"]
    shared = Path(__file__).resolve().parents[3] / "shared" / "corpus"
    paths += sorted(shared.glob("*.vtt"))[:12] if shared.is_dir() else []
    for path in paths:
        text = path.read_text("utf-8")
        ours, _, bad = captions.parse_blocks(text)
        theirs = webvtt.WebVTT.from_string(text).captions
        assert bad == 0 and len(ours) == len(theirs), path.name
        for (start, end, lines), cap in zip(ours, theirs, strict=True):
            assert start == pytest.approx(cap.start_in_seconds + cap.start_time.milliseconds / 1000)
            assert end == pytest.approx(cap.end_in_seconds + cap.end_time.milliseconds / 1000)
            assert [x for x in lines if x] == [x for x in cap.lines if x], path.name


# -- bad input ---------------------------------------------------------------------------
def test_cp1252_is_decoded_with_a_note(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"w.txt": "Caf\xe9 \u201cquoted\u201d \u2014 done".encode("cp1252")})
    doc = load(root, "w.txt")
    assert doc.raw == "Caf\xe9 \u201cquoted\u201d \u2014 done"
    assert doc.info.problems == ["not valid UTF-8: decoded as cp1252"]
    assert formats.peek(root / "w.txt", root).problems == ["not valid UTF-8: decoded as cp1252"]


def test_bom_and_latin1_fallback(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"bom.txt": b"\xef\xbb\xbfHello there", "l1.txt": b"ab\x81cd \xe9"})
    bom = load(root, "bom.txt")
    assert bom.raw == "Hello there" and bom.info.problems == []
    assert load(root, "l1.txt").info.problems == ["not valid UTF-8: decoded as latin-1"]


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file (contains NUL bytes)"),
    (bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 300 + b"text", "binary file (99% control bytes)"),
    (b"", "empty file"),
    (b"  \n\t\r\n   ", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
])
def test_unopenable_content(make_corpus: MakeCorpus, content: bytes, reason: str) -> None:
    root = make_corpus({"bad.txt": content})
    doc = load(root, "bad.txt")
    assert doc.raw == "" and doc.info.error == reason and not doc.info.ok
    assert formats.peek(root / "bad.txt", root).error == reason


def spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record every read request (bytes asked for) made by the decoder."""
    reads: list[int] = []
    real = decode._read_bytes

    def spy(fd: int, n: int) -> bytes:
        reads.append(n)
        return real(fd, n)

    monkeypatch.setattr(decode, "_read_bytes", spy)
    return reads


def test_too_large_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write(b"<doc>\n")
        fh.truncate(50 * 1024 * 1024)  # sparse: instant
    reads = spy_reads(monkeypatch)
    doc = formats.load(path, tmp_path)
    assert doc.info.error == "too large to open: 50.0 MB (limit 20 MB)"
    assert doc.raw == "" and reads == [] and doc.info.size == 50 * 1024 * 1024
    assert formats.peek(path, tmp_path).error == doc.info.error


def test_peek_reads_only_the_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text("<video_id>v9</video_id>\n<doc>\n" + "word " * 400_000 + "\n</doc>")
    reads = spy_reads(monkeypatch)
    info = formats.peek(path, tmp_path)
    assert reads == [decode.HEAD_BYTES]
    assert info.key == "v9" and info.words is None and info.size == path.stat().st_size
    assert formats.describe(path, tmp_path).words == 400_000


def test_one_huge_line_is_readable_with_a_note(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"line.txt": "x" * 2_000_000})
    doc = load(root, "line.txt")
    assert doc.info.ok and len(doc.raw) == 2_000_000
    assert doc.info.problems == ["one line of 2,000,000 characters"]


def test_missing_unreadable_and_folder(tmp_path: Path) -> None:
    missing = formats.load(tmp_path / "nope.txt", tmp_path)
    assert missing.info.error == "cannot read: no such file or directory"
    (tmp_path / "dir.txt").mkdir()
    assert formats.load(tmp_path / "dir.txt", tmp_path).info.error == "is a folder, not a file"
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: permissions are not enforced")
        assert formats.load(locked, tmp_path).info.error == "cannot read: permission denied"
    finally:
        locked.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block until a writer appears
    assert formats.load(fifo, tmp_path).info.error == "not a regular file"
    assert formats.peek(fifo, tmp_path).error == "not a regular file"


def test_errors_are_one_line(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"a.txt": b"\x00" * 10, "b.txt": b"", "c.txt": "<doc>x"})
    for name in ("a.txt", "b.txt", "c.txt"):
        info = load(root, name).info
        for message in [info.error or "", *info.problems]:
            assert "\n" not in message and len(message) < 200


# -- helpers -----------------------------------------------------------------------------
def test_channel_rules(tmp_path: Path) -> None:
    root = tmp_path
    assert formats.channel_for(root / "en_CNN" / "a.txt", "en_CNN/a.txt", {}) == "CNN"
    assert formats.channel_for(root / "x" / "a.txt", "x/a.txt", {"channel": "Sky News"}) == "Sky News"
    assert formats.channel_for(root / "a.txt", "a.txt", {"thumbnail_path": "data/fr_France24\\t.jpg"}) == "France24"
    assert formats.channel_for(root / "2024" / "may" / "a.txt", "2024/may/a.txt", {}) == "may"
    assert formats.channel_for(root / "a.txt", "a.txt", {}) == ""


def test_iso_date_and_readable_stem() -> None:
    assert formats.iso_date("20231016") == "2023-10-16"
    assert formats.iso_date("2023-10-16") == "2023-10-16"
    assert formats.iso_date("20231316") == formats.iso_date("yesterday") == ""
    assert formats.readable_stem(Path("'A mistake' Biden warns.en.vtt")) == "'A mistake' Biden warns"
    assert formats.readable_stem(Path("cnn_gaza-aid.srt")) == "Cnn gaza aid"
    assert formats.readable_stem(Path("U.S. aid.txt")) == "U.S. aid"


@given(st.text(alphabet=st.sampled_from(list("ab é\u2019\n\t\r\x0b\x1c\xa0\u3000\u2009."))))
def test_count_words_matches_split(text: str) -> None:
    assert formats.count_words(text) == len(text.split())


def test_document_words_counts_once_and_keeps_it(sample_docs: Path) -> None:
    doc = formats.load(sample_docs / "riverton-transit-strike.srt", sample_docs)
    doc.info.words = None
    assert formats.document_words(doc) == len(doc.raw.split()) == doc.info.words
    doc.info.words = 7  # kept: not counted again
    assert formats.document_words(doc) == 7
