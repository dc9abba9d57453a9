"""WebVTT and SubRip captions → one running text with cue times and line joins.

WebVTT is read by a small line parser rather than webvtt-py: webvtt-py handles the
YouTube files correctly (its cues are checked against ours in the tests) but costs about
4 ms per file, too slow for counting words in 10,000 files for ``gloss list``; it also
refuses files without the ``WEBVTT`` header. SubRip goes through the ``srt`` package,
with the same line parser as a fallback for files ``srt`` rejects.

Text rule (see :func:`build`):

1. Inline tags are removed (``<00:00:01.000>``, ``<c>``, ``</c>``, ``<i>``…); HTML
   entities stay as written; trailing spaces stay (a double space at a join is evidence).
2. Whitespace-only lines are skipped (YouTube starts many cues with a one-space line).
3. Rolling duplicates are dropped: the leading lines of a cue that repeat the trailing
   lines of the previous non-empty cue (compared with whitespace collapsed). Nothing else
   is dropped, so genuine repeats ("you know, … you know,") stay, unlike the corpus
   ``.txt`` files, which drop any line seen anywhere earlier, and a line first shown after
   a blank line (often the last words) is kept, which the ``.txt`` files lose.
4. Kept lines are joined with one space; each join is recorded in ``joins``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import srt

from annotations.model import Cue

_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
_INLINE = re.compile(
    r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>"  # word timing
    r"|</?(?:c|i|b|u|v|s|lang|ruby|rt|font|span)(?:[.\s][^<>\n]*)?>",  # styling, voice
    re.IGNORECASE,
)


@dataclass(slots=True)
class Captions:
    raw: str
    cues: list[Cue] = field(default_factory=list)
    joins: list[tuple[int, int]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _seconds(text: str) -> float | None:
    text = text.strip()
    if len(text) == 12 and text[2] == ":" and text[5] == ":" and text[8] in ".,":
        try:  # the common HH:MM:SS.mmm shape, without a regex
            return (int(text[:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:8])
                    + int(text[9:]) / 1000)
        except ValueError:
            pass
    m = _TIME.fullmatch(text)
    if m is None:
        return None
    h, mi, s, frac = m.groups()
    value = int(h or 0) * 3600 + int(mi) * 60 + int(s)
    return value + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)


def _timing(line: str) -> tuple[float, float] | None:
    left, _, right = line.partition("-->")
    right = right.strip().split(maxsplit=1)[0] if right.strip() else ""
    a, b = _seconds(left), _seconds(right)
    if a is None or b is None:
        return None
    return a, b


def _lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


Block = tuple[float, float, list[str]]


def parse_blocks(text: str, *, timing: bool = True) -> tuple[list[Block], dict[str, str], int]:
    """Cues of a WebVTT (or SubRip-like) text: ``(start, end, lines)``, header fields, bad timings.

    A cue is a timing line (``a --> b``) and the lines after it up to an empty line;
    a whitespace-only line belongs to the cue. Other blocks (header, NOTE, STYLE, cue
    identifiers, SubRip counters) are skipped. ``timing=False`` skips reading the times
    (all zero), for counting words.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cues: list[Block] = []
    header: dict[str, str] = {}
    bad = 0
    chunks = text.split("\n\n")
    if chunks and chunks[0].lstrip("\ufeff").startswith("WEBVTT") and "-->" not in chunks[0]:
        for line in chunks[0].split("\n")[1:]:
            name, colon, value = line.partition(":")
            if colon:
                header[name.strip().lower()] = value.strip()
        chunks = chunks[1:]
    for chunk in chunks:
        head, _, body = chunk.partition("\n")
        if "-->" in head and "-->" not in body:  # the common shape: timing line, text
            bad += _add(cues, head, body.split("\n"), timing)
            continue
        if "-->" not in chunk:
            continue  # NOTE, STYLE, REGION, stray text
        lines = chunk.split("\n")
        at = -1
        for i, line in enumerate(lines):
            if "-->" in line:
                if at >= 0:  # a timing line inside a cue: it starts a new cue
                    bad += _add(cues, lines[at], lines[at + 1:i], timing)
                at = i
        bad += _add(cues, lines[at], lines[at + 1:], timing)
    return cues, header, bad


def _add(cues: list[Block], timing_line: str, body: list[str], timing: bool) -> int:
    if not timing:
        cues.append((0.0, 0.0, body))
        return 0
    times = _timing(timing_line)
    if times is None:
        return 1
    cues.append((times[0], times[1], body))
    return 0


def parse_srt(text: str) -> tuple[list[Block], list[str]]:
    """SubRip cues via the ``srt`` package; the line parser when ``srt`` rejects the file."""
    try:
        subs = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        cues, _, bad = parse_blocks(text)
        note = f"SubRip parse error ({type(exc).__name__}): read leniently"
        return cues, [note] + ([f"{bad} cue timings unreadable"] if bad else [])
    return [(s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n"))
            for s in subs], []


def strip_tags(line: str) -> str:
    return _INLINE.sub("", line) if "<" in line else line


def columns(line: str) -> int:
    """Display width of a caption line: entities count as the character they stand for."""
    return len(html.unescape(line)) if "&" in line else len(line)


def _key(line: str) -> str:
    """Comparison key for rolling duplicates: surrounding whitespace ignored (and inner
    runs collapsed, only when there are any)."""
    line = line.strip()
    return " ".join(line.split()) if "  " in line or "\t" in line else line


def _overlap(prev: list[str], cur: list[str]) -> int:
    """Largest m such that the first m lines of ``cur`` repeat the last m lines of ``prev``."""
    for m in range(min(len(prev), len(cur)), 0, -1):
        if cur[:m] == prev[-m:]:
            return m
    return 0


def caption_text(text: str) -> str:
    """The text of a WebVTT/SubRip file by the text rule, without cues: one pass over the
    cue chunks, the same result as ``build(parse_blocks(text)[0]).raw`` (for word counts)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts: list[str] = []
    prev: list[str] = []
    for chunk in text.split("\n\n"):
        head, _, body = chunk.partition("\n")
        if "-->" not in head and head.strip().isdigit():  # a SubRip counter
            head, _, body = body.partition("\n")
        if "-->" not in head or "-->" in body:
            if "-->" in chunk:  # cue identifiers, missing blank lines: the general path
                for _, _, lines in parse_blocks(chunk, timing=False)[0]:
                    prev = _extend(parts, prev, "\n".join(lines))
            continue
        prev = _extend(parts, prev, body)
    return " ".join(parts)


def _extend(parts: list[str], prev: list[str], body: str) -> list[str]:
    """Add the new lines of one cue (``body``: its text lines) to ``parts``; returns the
    keys to compare the next cue with."""
    if "<" in body:
        body = strip_tags(body)  # no tag spans a line break
    kept = [t for t in body.split("\n") if t and not t.isspace()]
    if not kept:
        return prev
    keys = [_key(t) for t in kept]
    if keys[0] in prev:  # necessary for any overlap
        kept = kept[_overlap(prev, keys):]
    parts.extend(kept)
    return keys


def build(blocks: list[Block]) -> Captions:
    """Apply the text rule (module docstring) to cue blocks."""
    parts: list[str] = []
    cues: list[Cue] = []
    joins: list[tuple[int, int]] = []
    prev: list[str] = []  # keys of the lines of the last cue that had any
    pos = 0
    last = ""
    for start, end, lines in blocks:
        kept = [t for t in (strip_tags(x) for x in lines) if t and not t.isspace()]
        if not kept:
            continue
        keys = [_key(t) for t in kept]
        skip = _overlap(prev, keys)
        prev = keys
        if skip == len(kept):
            continue
        cue_start = -1
        for line in kept[skip:]:
            if parts:
                joins.append((pos, columns(last)))
                parts.append(" ")
                pos += 1
            if cue_start < 0:
                cue_start = pos
            parts.append(line)
            pos += len(line)
            last = line
        cues.append(Cue(start, end, cue_start, pos))
    return Captions("".join(parts), cues, joins)


def parse_vtt(text: str, *, timing: bool = True) -> Captions:
    if not timing:  # text only (word counts): the one-pass reader
        out = Captions(caption_text(text))
        if not text.lstrip("\ufeff").startswith("WEBVTT"):
            out.problems.append("no WEBVTT header: read as captions anyway")
        return out
    blocks, header, bad = parse_blocks(text)
    out = build(blocks)
    out.metadata = header
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        out.problems.append("no WEBVTT header: read as captions anyway")
    if bad:
        out.problems.append(f"{bad} cue timings unreadable")
    if not blocks:
        out.problems.append("no caption cues found")
    return out


def parse_subrip(text: str, *, timing: bool = True) -> Captions:
    if not timing:  # text only (word counts): the one-pass reader, no srt package
        return Captions(caption_text(text))
    blocks, problems = parse_srt(text)
    out = build(blocks)
    out.problems = problems + ([] if blocks else ["no caption cues found"])
    return out


def vtt_title(text: str) -> str:
    """A ``Title:`` header field of a WebVTT head, if any."""
    for line in _lines(text[:4096])[1:]:
        if not line.strip() or "-->" in line:
            break
        name, _, value = line.partition(":")
        if name.strip().lower() == "title" and value.strip():
            return " ".join(value.split())
    return ""
