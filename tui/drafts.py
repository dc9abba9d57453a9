"""Unsaved note drafts: kept when gloss has to leave with a note open in the editor.

When the terminal disappears (or SIGHUP/SIGTERM arrives) while a note is being
typed, the text is written here, one small JSON file per draft in the user's own
data folder (``platformdirs.user_data_path("gloss")/drafts``; not the shared
store: a draft is unfinished and private). The next start offers drafts of the
same corpus back (:mod:`tui.note_drafts`).

One file per draft, written atomically (``annotations.safeio``, mode 0600): two
gloss processes of the same user never rewrite each other's drafts. Reading
trusts nothing: links, FIFOs, oversized or malformed files are skipped, never
followed or waited on.

No Textual here (plain data and files).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_DRAFT_BYTES = 1 << 20  # a note is text typed by hand; anything bigger is not ours


def drafts_dir() -> Path:
    """``<user data folder>/gloss/drafts`` (``$XDG_DATA_HOME`` honoured on Linux)."""
    import platformdirs

    return platformdirs.user_data_path("gloss", appauthor=False) / "drafts"


@dataclass
class Draft:
    """A note typed on a span of a document and not saved."""

    corpus: str  # the folder (or file) gloss was opened on, resolved
    doc_key: str
    raw_start: int
    raw_end: int
    quote: str  # exact raw text of the span when the note was typed
    note: str  # the text in the editor
    ann_id: str | None = None  # the annotation edited (may not be in the store yet)
    rel_path: str = ""  # for display
    saved_at: str = ""
    id: str = field(default_factory=lambda: _new_id())

    def to_json(self) -> bytes:
        import json

        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Draft | None:
        """The draft in ``data``; None when it is not one (never raises)."""
        import json

        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(raw, dict):
            return None
        try:
            d = cls(
                corpus=_str(raw["corpus"]), doc_key=_str(raw["doc_key"]),
                raw_start=_int(raw["raw_start"]), raw_end=_int(raw["raw_end"]),
                quote=_str(raw["quote"]), note=_str(raw["note"]),
                ann_id=None if raw.get("ann_id") is None else _str(raw["ann_id"]),
                rel_path=_str(raw.get("rel_path", "")), saved_at=_str(raw.get("saved_at", "")),
                id=_str(raw["id"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        if not _safe_id(d.id) or not 0 <= d.raw_start <= d.raw_end:
            return None
        return d


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError("not a string")
    return v


def _int(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError("not an integer")
    return v


def _new_id() -> str:
    import secrets  # these imports wait for the first draft: start-up stays light

    return secrets.token_hex(8)


def _safe_id(draft_id: str) -> bool:
    return bool(draft_id) and len(draft_id) <= 64 and all(c.isalnum() or c in "-_" for c in draft_id)


def corpus_id(path: Path | str) -> str:
    """The corpus a draft belongs to: the opened path, resolved."""
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(Path(path).absolute())


# -- files ------------------------------------------------------------------------------------
def _read_regular(path: Path) -> bytes | None:
    """Bytes of a small regular file; None for anything else (link, FIFO, huge…)."""
    from annotations.safeio import open_regular

    try:
        fd = open_regular(path)
    except OSError:  # missing, unreadable, or not a regular file (UnsafeFile)
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            if os.fstat(fd).st_size > MAX_DRAFT_BYTES:
                return None
            return fh.read(MAX_DRAFT_BYTES + 1)
        except OSError:
            return None


def save(draft: Draft, folder: Path | None = None) -> Path:
    """Write ``draft`` (replacing an earlier version of it); returns its file."""
    folder = drafts_dir() if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not draft.saved_at:
        from annotations.annotation import now_iso

        draft.saved_at = now_iso()
    path = folder / f"{draft.id}.json"
    from annotations.safeio import atomic_output

    with atomic_output(path, mode=0o600) as fh:  # private: the note was never shared
        fh.write(draft.to_json())
    return path


def load(folder: Path | None = None, corpus: str | None = None) -> list[Draft]:
    """Drafts in ``folder`` (of ``corpus`` only, when given), oldest first."""
    folder = drafts_dir() if folder is None else folder
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    out = []
    for name in names:
        if not name.endswith(".json") or name.startswith("."):
            continue
        data = _read_regular(folder / name)
        draft = Draft.from_json(data) if data is not None else None
        if draft is None or f"{draft.id}.json" != name:
            continue
        if corpus is None or draft.corpus == corpus:
            out.append(draft)
    return sorted(out, key=lambda d: d.saved_at)


def exists(draft: Draft, folder: Path | None = None) -> bool:
    """Still kept (not restored or discarded by another gloss of the same user)."""
    folder = drafts_dir() if folder is None else folder
    return _safe_id(draft.id) and (folder / f"{draft.id}.json").is_file()


def discard(draft: Draft, folder: Path | None = None) -> None:
    """Remove ``draft`` (saved into the store, or given up by the user)."""
    folder = drafts_dir() if folder is None else folder
    if _safe_id(draft.id):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / f"{draft.id}.json")


def place(draft: Draft, raw: str) -> tuple[int, int] | None:
    """Where the draft's quote is in ``raw`` now: the same span, else its only
    occurrence; None when it is gone or ambiguous (never a misplaced quote)."""
    if not draft.quote:
        return None
    if raw[draft.raw_start : draft.raw_end] == draft.quote:
        return draft.raw_start, draft.raw_end
    first = raw.find(draft.quote)
    if first >= 0 and raw.find(draft.quote, first + 1) < 0:
        return first, first + len(draft.quote)
    return None
