"""One document per video: a tagged transcript and its caption file, merged.

A corpus often holds, for one video, a tagged ``.txt`` (title, channel, date, video id;
no times) and the ``.vtt``/``.srt`` caption file it was made from (times and line breaks;
no metadata). They are *twins* when

1. they sit in the same folder and their names match after normalisation (the language
   suffix ``.en`` dropped, case, punctuation and spacing ignored), or the caption's name
   matches the transcript's ``video_title``, or both carry the same ``video_id``; and
2. their texts agree (:func:`confirm`: most word 3-grams of the transcript are in the
   captions).

The merged :class:`Document` is the transcript (its raw text is the truth, its metadata
and key are kept) with the caption file's cue times and line joins mapped onto the
transcript's raw offsets (:func:`merge`), so repair sees the true joins and every offset
has a time. A caption file without a twin stays a document of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath

from annotations.model import Cue, DocInfo, Document

CAPTION_FORMATS = frozenset({"vtt", "srt"})
MIN_AGREEMENT = 0.6  # share of the transcript's word 3-grams found in the captions
_LANG = re.compile(r"\.[a-z]{2}(?:-[A-Za-z]{2,4})?$")
_WORD = re.compile(r"[a-z0-9]+")


def norm_name(text: str) -> str:
    """``"'A mistake' Biden warns…"`` and ``"'a mistake' biden warns…"`` → one key."""
    text = unicodedata.normalize("NFKD", text).casefold()
    return " ".join(_WORD.findall(text))


def stem_key(rel_path: str) -> tuple[str, str]:
    """(folder, normalised file name without extension and language suffix)."""
    p = PurePosixPath(rel_path)
    stem = p.name.rpartition(".")[0] or p.name
    stem = _LANG.sub("", stem)
    return str(p.parent), norm_name(stem)


def candidates(infos: Iterable[DocInfo]) -> list[tuple[DocInfo, DocInfo]]:
    """(transcript, caption) rows that may be twins (names or video ids agree)."""
    tagged: dict[tuple[str, str], DocInfo] = {}
    by_id: dict[str, DocInfo] = {}
    captions: list[DocInfo] = []
    for info in infos:
        if not info.ok:
            continue
        if info.format == "tagged":
            folder, stem = stem_key(info.rel_path)
            tagged.setdefault((folder, stem), info)
            if info.title:
                tagged.setdefault((folder, norm_name(info.title)), info)
            if info.key != info.rel_path:
                by_id.setdefault(info.key, info)
        elif info.format in CAPTION_FORMATS:
            captions.append(info)
    out: list[tuple[DocInfo, DocInfo]] = []
    used: set[int] = set()
    for cap in captions:
        twin = by_id.get(cap.key) if cap.key != cap.rel_path else None
        if twin is None:
            twin = tagged.get(stem_key(cap.rel_path))
        if twin is None and cap.title:
            twin = tagged.get((stem_key(cap.rel_path)[0], norm_name(cap.title)))
        if twin is not None and id(twin) not in used:
            used.add(id(twin))
            out.append((twin, cap))
    return out


def _grams(text: str) -> set[tuple[str, str, str]]:
    words = _WORD.findall(text.casefold())
    return set(zip(words, words[1:], words[2:], strict=False))


def confirm(transcript: str, captions: str) -> bool:
    """Do the two texts agree (the transcript's word 3-grams are mostly in the captions)?"""
    mine = _grams(transcript)
    if not mine:
        return not _WORD.search(transcript.casefold()) and not _WORD.search(captions.casefold())
    theirs = _grams(captions)
    return len(mine & theirs) / len(mine) >= MIN_AGREEMENT


def _lines(cap: Document) -> list[tuple[int, int]]:
    """Raw spans of the caption file's lines (its text between joins)."""
    spans = []
    start = 0
    for off, _cols in cap.joins:
        spans.append((start, off))
        start = off + 1
    spans.append((start, len(cap.raw)))
    return spans


def merge(transcript: Document, captions: Document) -> Document:
    """The transcript with the captions' cue times and line joins on its raw offsets.

    Each caption line is looked for in the transcript in order (lines the transcript
    dropped as repeats are skipped); a cue covers its lines found; a line followed by a
    space in the transcript is a join with that line's width.
    """
    raw = transcript.raw
    lines = _lines(captions)
    cue_of: list[int] = []
    ci = 0
    cues = captions.cues
    for s, _e in lines:
        while ci + 1 < len(cues) and cues[ci].raw_end <= s:
            ci += 1
        cue_of.append(ci)
    found: list[tuple[int, int, int]] = []  # (transcript start, end, line index)
    pos = 0
    for i, (s, e) in enumerate(lines):
        text = captions.raw[s:e]
        if not text.strip():
            continue
        at = raw.find(text, pos, pos + len(text) + 2000)
        if at < 0:
            at = raw.find(text.strip(), pos, pos + len(text) + 2000)
            if at < 0:
                continue
            text = text.strip()
        found.append((at, at + len(text), i))
        pos = at + len(text)
    joins: list[tuple[int, int]] = []
    widths = {off: cols for off, cols in captions.joins}
    for a, b, i in found:
        if b < len(raw) and raw[b:b + 1] == " " and i < len(lines) - 1:
            joins.append((b, widths.get(lines[i][1], b - a)))
    merged_cues: list[Cue] = []
    for a, b, i in found:
        if not cues:
            break
        c = cues[cue_of[i]]
        if merged_cues and merged_cues[-1].start == c.start and merged_cues[-1].end == c.end:
            last = merged_cues[-1]
            merged_cues[-1] = Cue(last.start, last.end, last.raw_start, b)
        else:
            merged_cues.append(Cue(c.start, c.end, a, b))
    info = replace(transcript.info, problems=list(transcript.info.problems),
                   sources=[transcript.info.rel_path, captions.info.rel_path])
    return Document(info, raw, dict(transcript.metadata), merged_cues, joins)
