"""Document look-ups for export and import: metadata, text, hash and repair, cached.

``doc_lookup`` is anything with ``get(key) -> DocInfo | None`` and
``load(key) -> Document`` (an ``annotations.corpus.Corpus``, scanned here if it
has not been yet), or ``None`` when
no corpus is at hand (fields that need the text are then left empty).

Annotations from ``store.iter_all()`` arrive grouped by document, so a small
LRU of loaded documents means each document is read, hashed and repaired once.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any, Protocol

from annotations.anchor import doc_hash, reanchor, selector
from annotations.annotation import Annotation
from annotations.citation import doc_url, is_youtube_id, video_url
from annotations.model import DocInfo, Document
from annotations.quote import edited
from annotations.repair.edits import Repaired


class DocLookup(Protocol):
    def get(self, key: str) -> DocInfo | None: ...

    def load(self, key: Any) -> Document: ...


class DocView:
    """One loaded document: raw text, its hash and (lazily) its repaired text."""

    __slots__ = ("doc", "hash", "_repaired", "_tried", "_cue_starts", "names")

    def __init__(self, doc: Document, names: dict[str, str] | None = None) -> None:
        self.doc = doc
        self.names = names  # learned names for sentence case (Corpus.names)
        self.hash: str = doc_hash(doc.raw)
        self._repaired: Repaired | None = None
        self._tried = False
        self._cue_starts: list[int] | None = None

    @property
    def raw(self) -> str:
        return self.doc.raw

    @property
    def repaired(self) -> Repaired | None:
        if not self._tried:
            self._tried = True
            try:
                from annotations.repair import context_for, repair

                self._repaired = repair(self.doc.raw, context_for(self.doc, names=self.names))
            except Exception:  # noqa: BLE001 - repair is best effort; export the raw quote
                self._repaired = None
        return self._repaired

    def time_span(self, start: int, end: int) -> tuple[float, float] | None:
        """``Document.time_span`` with the cue starts computed once per document."""
        cues = self.doc.cues
        if not cues:
            return None
        if self._cue_starts is None:
            self._cue_starts = [c.raw_start for c in cues]
        starts = self._cue_starts
        a = cues[max(bisect.bisect_right(starts, start) - 1, 0)]
        b = cues[max(bisect.bisect_right(starts, max(start, end - 1)) - 1, 0)]
        return (a.start, b.end)

    def edited_quote(self, start: int, end: int) -> tuple[str, bool]:
        """The edited form of ``[start, end)`` (inferred characters in brackets, see
        ``annotations.quote``) and whether it was re-cased; the raw text without repair."""
        rep = self.repaired
        if rep is None:
            return self.doc.raw[start:end], False
        q = edited(rep, start, end)
        return q.text, q.recased

    def url(self, seconds: float | None) -> str | None:
        return doc_url(self.doc, seconds)


@dataclass(slots=True)
class Placed:
    """An annotation with its document's metadata and where it sits in the current text.

    ``ann`` is the record as stored (offsets into the text it was made on, see
    ``doc_hash``); ``start``/``end`` are where it is placed in the current text
    (None for an orphan or when the text is not at hand). ``time_start``/``time_end``
    are the stored cue times, else those of the cues under the current placement
    (reports show them; json/w3c write only what is stored, so they round-trip).
    """

    ann: Annotation
    title: str = ""
    channel: str = ""
    date: str = ""
    path: str = ""
    quote_edited: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    orphan: bool = False
    start: int | None = None
    end: int | None = None
    recased: bool = False  # quote_edited is in sentence case inferred from all-caps
    url: str | None = None  # the footage at time_start, when known

    @property
    def shown_start(self) -> int:
        """Offsets for people (reports): current placement when known, else stored."""
        return self.ann.raw_start if self.start is None else self.start

    @property
    def shown_end(self) -> int:
        return self.ann.raw_end if self.end is None else self.end


class DocSource:
    """Cached metadata (every key) and loaded documents (a few, LRU)."""

    def __init__(self, lookup: DocLookup | None, keep: int = 4) -> None:
        self.lookup = lookup
        self.keep = keep
        self._infos: dict[str, DocInfo | None] = {}
        self._views: OrderedDict[str, DocView | None] = OrderedDict()
        self._scanned = False
        self._last_key: str | None = None
        self._last: tuple[DocInfo | None, DocView | None] = (None, None)

    def _ensure_scanned(self) -> None:
        """A lazily scanned ``Corpus`` knows no keys until scanned: scan it once."""
        self._scanned = True
        lookup: Any = self.lookup
        if hasattr(lookup, "scan") and hasattr(lookup, "__len__") and not len(lookup):
            for _ in lookup.scan():
                pass

    def info(self, key: str) -> DocInfo | None:
        if self.lookup is None:
            return None
        if not self._scanned:
            self._ensure_scanned()
        if key not in self._infos:
            try:
                self._infos[key] = self.lookup.get(key)
            except Exception:  # noqa: BLE001 - an unreadable entry is a missing document
                self._infos[key] = None
        return self._infos[key]

    def view(self, key: str) -> DocView | None:
        """The loaded document ``key``, or None when it is absent or cannot be opened."""
        if key in self._views:
            self._views.move_to_end(key)
            return self._views[key]
        info = self.info(key)
        view: DocView | None = None
        if info is not None and info.ok and self.lookup is not None:
            try:
                doc = self.lookup.load(info.key)
                view = DocView(doc, self._learned()) if doc.info.error is None else None
            except Exception:  # noqa: BLE001 - unreadable now: treat as absent
                view = None
        self._views[key] = view
        while len(self._views) > self.keep:
            self._views.popitem(last=False)
        return view

    def _learned(self) -> dict[str, str] | None:
        """The corpus's learned names (read once), when the look-up has them."""
        names = getattr(self.lookup, "names", None)
        if not callable(names):
            return None
        try:
            learned = names()
        except Exception:  # noqa: BLE001 - names only improve case; never fail an export
            return None
        return learned if isinstance(learned, dict) else None

    def _current(self, key: str) -> tuple[DocInfo | None, DocView | None]:
        """Info and loaded text of ``key``; consecutive calls for one key cost nothing."""
        if key != self._last_key:
            info = self.info(key)
            self._last = (info, self.view(key) if info is not None else None)
            self._last_key = key
        return self._last

    def place(self, ann: Annotation) -> Placed:
        """Document metadata, placement on the current text, edited quote, cue times, link."""
        info, view = self._current(ann.doc_key)
        if len(ann.quote) != ann.raw_end - ann.raw_start:
            ann = self._rebase(ann)
        if info is None:
            # No corpus (orphan flag as given), or the document is gone (an orphan).
            return Placed(ann, time_start=ann.time_start, time_end=ann.time_end,
                          orphan=ann.orphan or self.lookup is not None)
        key_url = video_url(info.key, ann.time_start) if is_youtube_id(info.key) else None
        if view is None:
            return Placed(ann, info.title, info.channel, info.date, info.rel_path, None,
                          ann.time_start, ann.time_end, ann.orphan, url=key_url)
        anchor = locate(ann, view)
        if anchor is None:
            return Placed(ann, info.title, info.channel, info.date, info.rel_path, None,
                          ann.time_start, ann.time_end, True, url=view.url(ann.time_start))
        t0, t1 = ann.time_start, ann.time_end
        if view.doc.cues and (t0 is None or (anchor[0], anchor[1]) != (ann.raw_start, ann.raw_end)
                              or ann.doc_hash != view.hash):
            span = view.time_span(*anchor)
            if span is not None:
                t0, t1 = span
        quote, recased = view.edited_quote(*anchor)
        return Placed(ann, info.title, info.channel, info.date, info.rel_path, quote, t0, t1,
                      False, anchor[0], anchor[1], recased, view.url(t0))

    def _rebase(self, ann: Annotation) -> Annotation:
        """An anchored copy whose span no longer fits its quote (a fuzzy placement):
        take the quote, context and hash from the current text so the record is whole."""
        view = self.view(ann.doc_key)
        if view is None or ann.raw_end > len(view.raw):
            raise ValueError(f"annotation {ann.id}: quote length does not match its offsets")
        quote, prefix, suffix = selector(view.raw, ann.raw_start, ann.raw_end)
        return replace(ann, quote=quote, prefix=prefix, suffix=suffix, doc_hash=view.hash,
                       tags=list(ann.tags))


def locate(ann: Annotation, view: DocView) -> tuple[int, int] | None:
    """Where ``ann``'s quote is in the current text (exact, moved or fuzzy), None if lost."""
    raw = view.raw
    if ann.raw_end <= len(raw) and raw[ann.raw_start : ann.raw_end] == ann.quote:
        return ann.raw_start, ann.raw_end
    anchor = reanchor(ann, raw)
    return None if anchor.status == "orphan" else (anchor.start, anchor.end)
