"""Load documents of any supported format; detect the format by content.

Formats: ``tagged`` (``<video_id>…`` metadata then ``<doc>…</doc>``), ``plain`` (an
article; title = first non-empty line), ``vtt`` (WebVTT) and ``srt`` (SubRip).

* :func:`peek` reads the head of a file (:data:`~decode.HEAD_BYTES`) plus ``stat``:
  a cheap :class:`DocInfo` for the document list (``words`` is None).
* :func:`describe` reads the whole file: the same DocInfo with ``words`` counted
  (captions through the one-pass text reader, without cue times).
* :func:`load` reads the whole file into a :class:`Document` (cues and joins too).

``words`` is ``len(raw.split())``. Nothing here raises for bad content: the reason
lands in ``DocInfo.error`` (cannot be opened) or ``DocInfo.problems`` (notes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from annotations.formats.captions import Captions, parse_subrip, parse_vtt, vtt_title
from annotations.formats.decode import HEAD_BYTES, MAX_BYTES, read_text
from annotations.formats.text import Parsed, looks_tagged, parse_plain, parse_tagged
from annotations.model import DocInfo, Document

__all__ = ["MAX_BYTES", "HEAD_BYTES", "detect", "peek", "load", "describe", "rel_key",
           "channel_for", "readable_stem", "iso_date", "count_words", "document_words"]

FORMATS = ("tagged", "plain", "vtt", "srt")
_LANG_FOLDER = re.compile(r"^[a-z]{2}_(.+)$")  # "en_CNN" -> "CNN"
_SRT_COUNTER = re.compile(r"\s*\d+\s*\n\s*[\d:]+[,.]\d+\s*-->")
_SRT_TIMING = re.compile(r"\s*\d{1,2}:\d{2}:\d{2},\d{1,3}\s*-->")
_LANG_SUFFIX = re.compile(r"\.[a-z]{2}(?:-[A-Za-z]{2,4})?$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def detect(head: str, suffix: str = "") -> str:
    """Format of a text from its head; the file suffix only breaks ties."""
    start = head.lstrip("\ufeff")
    if start.startswith("WEBVTT"):
        return "vtt"
    if _SRT_COUNTER.match(start, 0, 400) or _SRT_TIMING.match(start, 0, 200):
        return "srt"
    if looks_tagged(start):
        return "tagged"
    suffix = suffix.lower()
    if suffix in (".vtt", ".srt") and "-->" in start[:2000]:
        return suffix[1:]
    return "plain"


def iso_date(value: str) -> str:
    """``'20231016'`` or ``'2023-10-16'`` → ``'2023-10-16'``; anything else → ``''``."""
    m = _DATE.match(value.strip())
    if m is None:
        return ""
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2999):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def rel_key(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in posix form (the file name when outside ``root``)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def readable_stem(path: Path) -> str:
    """``'biden_warns-against.en.vtt'`` → ``'Biden warns against'``."""
    base, dot, _ext = path.name.rpartition(".")
    stem = base if dot and base else path.name
    if _LANG_SUFFIX.search(stem) and path.suffix.lower() in (".vtt", ".srt"):
        stem = _LANG_SUFFIX.sub("", stem)  # "Title.en.vtt": the caption language
    stem = " ".join(stem.replace("_", " ").replace("-", " ").split())
    if stem.islower():
        stem = stem[0].upper() + stem[1:]
    return stem or path.name


def channel_for(path: Path, rel: str, metadata: dict[str, str]) -> str:
    """Channel: ``en_CNN`` folder → ``CNN``; else a ``channel`` tag; else the ``en_…``
    folder named in ``thumbnail_path``; else the corpus-relative parent folder; else ``''``.

    ``rel`` is the path relative to the corpus root (posix)."""
    m = _LANG_FOLDER.match(os.path.basename(os.path.dirname(path)))
    if m:
        return m.group(1)
    for name in ("channel", "channel_name", "uploader"):
        if metadata.get(name, "").strip():
            return " ".join(metadata[name].split())
    thumb = metadata.get("thumbnail_path", "")
    if thumb:
        for part in reversed(re.split(r"[\\/]", thumb)[:-1]):
            m = _LANG_FOLDER.match(part)
            if m:
                return m.group(1)
    parent = rel.rpartition("/")[0]
    return parent.rpartition("/")[2]


# Whitespace as ``str.split`` sees it: ASCII bytes map to 0, everything else to 1.
_SPLIT_TABLE = bytes(0 if b in b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f" else 1 for b in range(256))
_UNICODE_SPACE = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def count_words(text: str) -> int:
    """``len(text.split())`` without making the words, about 2.5x faster.

    Each byte becomes 0 (whitespace) or 1, read as one big integer; a word starts where
    a 1 follows a 0 (or opens the text): ``x & ~(x >> 8)`` keeps those, ``bit_count``
    counts them. Texts with non-ASCII whitespace take ``str.split``.
    """
    if text.isascii():
        data = text.encode("ascii")
    elif _UNICODE_SPACE.search(text):
        return len(text.split())
    else:
        data = text.encode("utf-8", "surrogatepass")
    x = int.from_bytes(data.translate(_SPLIT_TABLE), "big")
    return (x & ~(x >> 8)).bit_count()


Mode = Literal["peek", "describe", "load"]


def _parse(fmt: str, text: str, complete: bool, mode: Mode) -> tuple[Parsed, Captions | None]:
    """Parse ``text``; captions are parsed only from complete texts, and with cue times
    only for ``load`` (``describe`` needs the text rule for its word count)."""
    if fmt == "tagged":
        return parse_tagged(text, complete=complete), None
    if fmt == "plain":
        return parse_plain(text), None
    if mode == "peek" or not complete:  # a list row needs no cues
        return Parsed("", title=vtt_title(text) if fmt == "vtt" else ""), None
    timing = mode == "load"
    caps = parse_vtt(text, timing=timing) if fmt == "vtt" else parse_subrip(text, timing=timing)
    parsed = Parsed(caps.raw, caps.metadata, title=caps.metadata.get("title", ""),
                    problems=caps.problems)
    return parsed, caps


def _read(path: Path, root: Path, mode: Mode, rel: str | None) -> tuple[DocInfo, Document | None]:
    rel = rel_key(path, root) if rel is None else rel
    dec = read_text(path, head_only=mode == "peek")
    info = DocInfo(key=rel, path=path, rel_path=rel, title=readable_stem(path),
                   size=dec.size, mtime=dec.mtime, problems=dec.problems, error=dec.error)
    if dec.error:
        info.channel = channel_for(path, rel, {})
        return info, Document(info, "") if mode == "load" else None
    fmt = detect(dec.text[:HEAD_BYTES], path.suffix)
    parsed, caps = _parse(fmt, dec.text, dec.complete, mode)
    info.format = fmt
    info.problems.extend(parsed.problems)
    meta = parsed.metadata
    video_id = " ".join(meta.get("video_id", "").split())
    if video_id and len(video_id) <= 200:
        info.key = video_id
    info.title = " ".join(parsed.title[:1000].split())[:300] or info.title
    info.channel = channel_for(path, rel, meta)
    raw_date = meta.get("publish_date", "") or meta.get("date", "")
    info.date = iso_date(raw_date)
    if raw_date and not info.date:
        info.problems.append(f"publish_date {raw_date[:40]!r} is not a date")
    if mode != "peek" and dec.complete:
        info.words = count_words(parsed.raw)
        if fmt != "plain" and not parsed.raw.strip() and not info.problems:
            info.problems.append("no text")
    if mode != "load":
        return info, None
    doc = Document(info, parsed.raw, meta)
    if caps is not None:
        doc.cues, doc.joins = caps.cues, caps.joins
    return info, doc


def _as_path(p: Path | str) -> Path:
    return p if isinstance(p, Path) else Path(p)


def peek(path: Path, root: Path, *, rel: str | None = None) -> DocInfo:
    """A list row from the head of ``path`` (:data:`HEAD_BYTES`) and its ``stat``; never
    reads a whole body, so ``words`` is None. ``rel``: the path relative to ``root``,
    when the caller already has it."""
    return _read(_as_path(path), _as_path(root), "peek", rel)[0]


def describe(path: Path, root: Path, *, rel: str | None = None) -> DocInfo:
    """Like :func:`peek` but reads the whole file, so ``words`` is counted."""
    return _read(_as_path(path), _as_path(root), "describe", rel)[0]


def load(path: Path, root: Path, *, rel: str | None = None) -> Document:
    """The whole document. Never raises: bad input gives ``raw=''`` and ``info.error``."""
    doc = _read(_as_path(path), _as_path(root), "load", rel)[1]
    assert doc is not None
    return doc


def document_words(doc: Document) -> int:
    """Words of a loaded document: counted once (:func:`count_words`), kept on its DocInfo.

    The one word count for the list, the sidebar and the status line.
    """
    if doc.info.words is None:
        doc.info.words = count_words(doc.raw)
    return doc.info.words
