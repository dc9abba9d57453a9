"""Safe reading of untrusted files: bad input becomes a note or an error, never an exception.

* UTF-8 (a BOM is dropped) → else cp1252 → else latin-1, with a note in ``problems``;
  UTF-16 with a BOM is decoded too (with a note).
* Binary (NUL bytes, or mostly control bytes in the first 8 KB) → error.
* Empty or whitespace-only → error.
* Larger than :data:`MAX_BYTES` → error (the file is never read).
* A line of :data:`LONG_LINE` characters or more → note (still readable).
* Unreadable (permissions, vanished, a folder…) → error with the OS reason.

Every message is one line.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

MB = 1024 * 1024
# The reader keeps the raw text, the repaired text, both offset maps, the wrapped line
# layout and the similar-passage index in memory: roughly 10-20x the file size. Real
# transcripts are 1-100 KB, so 20 MB (hundreds of hours of speech) leaves ample room
# while stopping logs, dumps and other huge files from freezing the app or the CLI.
MAX_BYTES = 20 * MB
HEAD_BYTES = 16 * 1024  # what peek reads: metadata tags, a caption header, a first line
SNIFF_BYTES = 8 * 1024  # binary detection looks at this much
LONG_LINE = 1_000_000  # characters; such a line is slow to lay out, worth a note

# Control bytes that ordinary text does not contain (tab, LF, VT, FF, CR, ESC excluded).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_TABLE = bytes.maketrans(b"", b"")


@dataclass(slots=True)
class Decoded:
    """Text read from a file (possibly only its head), or the reason it cannot be read."""

    text: str = ""
    size: int = 0
    mtime: float = 0.0
    mtime_ns: int = 0
    complete: bool = True  # False when only the head was read
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def human_size(n: int) -> str:
    """``52428800`` → ``'50.0 MB'``."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def os_reason(exc: OSError) -> str:
    """A one-line OS reason such as ``'permission denied'``."""
    reason = exc.strerror or exc.__class__.__name__
    return " ".join(str(reason).split()).lower()


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` looks like a binary file, or None when it looks like text."""
    sniff = head[:SNIFF_BYTES]
    if sniff.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # UTF-16 text: NUL bytes are expected
    if b"\x00" in sniff:
        return "binary file (contains NUL bytes)"
    if not sniff:
        return None
    control = len(sniff) - len(sniff.translate(_CONTROL_TABLE, _CONTROL))
    if control * 10 > len(sniff):  # > 10 % control bytes: not text in any encoding we read
        return f"binary file ({control * 100 // len(sniff)}% control bytes)"
    return None


def decode_bytes(data: bytes, *, partial: bool = False) -> tuple[str, str | None]:
    """Decode ``data``; returns ``(text, note)``. ``partial``: ``data`` may end mid-character."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if partial and len(data) % 2:
            data = data[:-1]
        return data.decode("utf-16", errors="replace"), "UTF-16 text: decoded as UTF-16"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        # A head cut inside a multi-byte character is still UTF-8.
        if partial and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), None
    try:
        return data.decode("cp1252"), "not valid UTF-8: decoded as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "not valid UTF-8: decoded as latin-1"


def longest_line(text: str) -> int:
    """Length of the longest line of ``text`` (cheap when no line can be that long)."""
    if len(text) < LONG_LINE:
        return 0  # below the threshold: the exact figure is not needed
    return max(map(len, text.split("\n")))


def long_line_note(text: str) -> str | None:
    n = longest_line(text)
    return f"one line of {n:,} characters" if n >= LONG_LINE else None


def _read_bytes(fd: int, n: int) -> bytes:
    """Up to ``n`` bytes from ``fd``; a short read of a regular file means its end."""
    chunks: list[bytes] = []
    while n > 0:
        chunk = os.read(fd, n)
        chunks.append(chunk)
        if len(chunk) < n:
            break
        n -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: Path, *, head_only: bool = False) -> Decoded:
    """Read and decode ``path`` (only its first :data:`HEAD_BYTES` when ``head_only``)."""
    out = Decoded()
    try:
        st = os.stat(path)  # before opening: a FIFO or device would block or never end
        out.size, out.mtime, out.mtime_ns = st.st_size, st.st_mtime, st.st_mtime_ns
        if stat.S_ISDIR(st.st_mode):
            out.error = "is a folder, not a file"
            return out
        if not stat.S_ISREG(st.st_mode):
            out.error = "not a regular file"
            return out
        if st.st_size > MAX_BYTES:
            out.error = f"too large to open: {human_size(st.st_size)} (limit {MAX_BYTES // MB} MB)"
            return out
        # O_NONBLOCK + fstat: a FIFO swapped in after the stat above never blocks the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                out.error = "not a regular file"
                return out
            # size + 1: notices a file that grew since stat, without a 20 MB buffer
            want = min(HEAD_BYTES, st.st_size + 1) if head_only else min(st.st_size + 1, MAX_BYTES + 1)
            data = _read_bytes(fd, max(want, 1))
            if not head_only and len(data) > st.st_size and len(data) <= MAX_BYTES:
                data += _read_bytes(fd, MAX_BYTES + 1 - len(data))  # it grew: read the rest
        finally:
            os.close(fd)
    except OSError as exc:
        out.error = f"cannot read: {os_reason(exc)}"
        return out
    if len(data) > MAX_BYTES:  # grew while we looked
        out.error = f"too large to open: more than {MAX_BYTES // MB} MB"
        return out
    out.complete = not head_only or len(data) < HEAD_BYTES
    if out.complete and (not data or data.isspace()):  # isspace: no copy, stops early
        out.error = "empty file"
        return out
    reason = binary_reason(data)
    if reason:
        out.error = reason
        return out
    out.text, note = decode_bytes(data, partial=not out.complete)
    if note:
        out.problems.append(note)
    if out.complete and (not out.text or out.text.isspace()):
        out.error = "empty file"  # e.g. only a BOM or non-breaking spaces
        return out
    if out.complete:
        note = long_line_note(out.text)
        if note:
            out.problems.append(note)
    return out
