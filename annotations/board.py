"""The annotation board: every annotation of the corpus in one table (Textual-free).

Rows carry the annotation with its document's title, channel and date. Filtering is
:class:`annotations.filters.AnnotationFilter` (the sidebar's syntax and semantics; this
module only *indexes* rows so that a keystroke need not test 100,000 of them: a row
whose lower-cased text lacks a free word of the query cannot match, and is skipped
before the filter is asked). Views are lazy: the first screen is ready as soon as
enough rows in the chosen order have matched; counts come from :meth:`View.counts`.

Bulk actions (verdict, add/remove tag) change each document's file once, under its
lock, on the records *as they are on disk then*: a colleague's concurrent change to
another field or another annotation is kept. :func:`undo` puts back only what the
action changed, and leaves alone a value someone else changed since.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotations.annotation import Annotation, now_iso
from annotations.filters import AnnotationFilter
from annotations.model import DocInfo
from annotations.store import AnnotationStore, StoreError
from annotations.tags import merge_tags, tag_key

COLUMNS = ("title", "channel", "date", "time", "quote", "tags", "verdict", "author", "updated")


@dataclass(slots=True)
class BoardRow:
    ann: Annotation
    title: str
    channel: str
    date: str
    blob: str = ""  # lower-cased text of every field (a superset of what the filter reads)
    orphan: bool | None = None  # None: not checked against the current text yet

    @property
    def key(self) -> tuple[str, str]:
        return (self.ann.doc_key, self.ann.id)


def _sort_key(column: str) -> Callable[[BoardRow], Any]:
    if column == "title":
        return lambda r: (r.title.casefold(), r.ann.raw_start)
    if column == "channel":
        return lambda r: (r.channel.casefold(), r.date, r.title.casefold())
    if column == "date":
        return lambda r: (r.date, r.title.casefold(), r.ann.raw_start)
    if column == "time":
        return lambda r: (r.ann.time_start is None, r.ann.time_start or 0.0, r.title)
    if column == "quote":
        return lambda r: r.ann.quote.casefold()
    if column == "tags":
        return lambda r: (not r.ann.tags, [tag_key(t) for t in r.ann.tags])
    if column == "verdict":
        return lambda r: (r.ann.verdict.casefold(), r.ann.updated)
    if column == "author":
        return lambda r: (r.ann.author.casefold(), r.ann.updated)
    if column == "updated":
        return lambda r: r.ann.updated
    raise ValueError(f"sort by one of {', '.join(COLUMNS)}")


def make_row(ann: Annotation, info: DocInfo | None) -> BoardRow:
    title = info.title if info else ann.doc_key
    channel = info.channel if info else ""
    date = info.date if info else ""
    # Starts with exactly the filter's free-word text (same fields, same separators), so
    # a word the filter would find is always found here too.
    blob = "\n".join([ann.quote, ann.note, ann.verdict, ann.author, *ann.tags, "\x00", title,
                      channel, date, ann.doc_key, *map(tag_key, ann.tags)]).casefold()
    return BoardRow(ann, title, channel, date, blob)


class Board:
    """All annotations of a store, with document metadata from the corpus rows."""

    def __init__(self, rows: Iterable[BoardRow] = ()) -> None:
        self.rows: list[BoardRow] = list(rows)
        self._orders: dict[tuple[str, bool], list[BoardRow]] = {}
        self._texts: dict[tuple[str, bool], tuple[str, list[int]]] = {}
        self._fields: dict[tuple[str, bool, str], dict[str, list[int]]] = {}
        # per order: needle -> every row position whose text holds it (full scans only)
        self._needles: dict[tuple[str, bool], dict[str, list[int]]] = {}
        self.skipped: list[str] = []  # store files that could not be read

    @classmethod
    def load(cls, store: AnnotationStore, info_for: Callable[[str], DocInfo | None],
             progress: Callable[[int, int], None] | None = None) -> Board:
        board = cls()
        for _ in board.stream(store, info_for, progress):
            pass
        return board

    def stream(self, store: AnnotationStore, info_for: Callable[[str], DocInfo | None],
               progress: Callable[[int, int], None] | None = None,
               batch: int = 200) -> Iterator[int]:
        """Read the store document by document, adding rows; yields rows so far every
        ``batch`` documents (a screen can show the first rows at once).

        Documents are read newest first, so the board's default order (date, newest
        first) is already right on its first screen while older documents load."""
        infos = {k: info_for(k) for k in store.doc_keys()}
        keys = sorted(infos, key=lambda k: (infos[k].title if infos[k] else k))  # type: ignore[union-attr]
        keys.sort(key=lambda k: (infos[k].date if infos[k] else ""), reverse=True)  # type: ignore[union-attr]
        for i, key in enumerate(keys, 1):
            try:
                anns = store.list(key)
            except StoreError as exc:
                self.skipped.append(str(exc))
                continue
            info = infos[key]
            self.rows.extend(make_row(a, info) for a in anns)
            if i % batch == 0 or i == len(keys):
                self._clear()
                if progress:
                    progress(i, len(keys))
                yield len(self.rows)

    def replace_doc(self, doc_key: str, anns: Sequence[Annotation],
                    info: DocInfo | None) -> None:
        """Take a document's current annotations (live refresh after a write)."""
        self.rows = [r for r in self.rows if r.ann.doc_key != doc_key]
        self.rows.extend(make_row(a, info) for a in anns)
        self._clear()

    def _clear(self) -> None:
        self._orders.clear()
        self._texts.clear()
        self._fields.clear()
        self._needles.clear()

    def sorted_rows(self, column: str = "date", reverse: bool = False) -> list[BoardRow]:
        order = self._orders.get((column, reverse))
        if order is None:
            order = sorted(self.rows, key=_sort_key(column), reverse=reverse)
            self._orders[(column, reverse)] = order
        return order

    def text_of(self, column: str, reverse: bool) -> tuple[str, list[int]]:
        """Every row's ``blob`` in one string, in this order, with each row's start:
        ``str.find`` then jumps straight to the rows that hold a word."""
        got = self._texts.get((column, reverse))
        if got is None:
            rows = self.sorted_rows(column, reverse)
            starts: list[int] = []
            pos = 0
            for r in rows:
                starts.append(pos)
                pos += len(r.blob) + 1
            got = ("\x01".join(r.blob for r in rows), starts)
            self._texts[(column, reverse)] = got
        return got

    def positions(self, column: str, reverse: bool, field: str) -> dict[str, list[int]]:
        """Comparison value of ``field`` (tag/author/channel) -> row positions in this order."""
        got = self._fields.get((column, reverse, field))
        if got is None:
            got = {}
            for i, r in enumerate(self.sorted_rows(column, reverse)):
                if field == "tag":
                    values = {tag_key(t) for t in r.ann.tags}
                elif field == "author":
                    values = {r.ann.author.casefold()}
                else:
                    values = {r.channel.casefold()}
                for v in values:
                    got.setdefault(v, []).append(i)
            self._fields[(column, reverse, field)] = got
        return got

    def warm(self, column: str = "date", reverse: bool = True) -> None:
        """Build the order's word text and field positions now (in a worker, after
        loading), so the first keystrokes do not pay for them."""
        self.text_of(column, reverse)
        for f in ("tag", "author", "channel"):
            self.positions(column, reverse, f)

    def view(self, query: str | AnnotationFilter = "", column: str = "date",
             reverse: bool = False) -> View:
        flt = query if isinstance(query, AnnotationFilter) else AnnotationFilter.parse(query)
        return View(self.sorted_rows(column, reverse), flt,
                    lambda: self.text_of(column, reverse),
                    lambda f: self.positions(column, reverse, f),
                    self._needles.setdefault((column, reverse), {}))

    def mark_orphans(self, orphan_ids: set[str], checked_docs: set[str]) -> None:
        for r in self.rows:
            if r.ann.doc_key in checked_docs:
                r.orphan = r.ann.id in orphan_ids


# Fields whose filter value (casefolded) always occurs in a matching row's blob.
_NEEDLE_FIELDS = ("", "tag", "author", "channel", "date", "doc")


class View:
    """Rows of a board that pass a filter, in order; computed lazily.

    When the filter has a term whose value must occur in a matching row's text (a free
    word, ``tag:``, ``author:``, ``channel:``, ``date:``, ``doc:``), the longest such
    value is looked for with ``str.find`` in the board's text, and only the rows it
    lands in are given to the filter; otherwise every row is.
    """

    def __init__(self, rows: list[BoardRow], flt: AnnotationFilter,
                 text: Callable[[], tuple[str, list[int]]] | None = None,
                 positions: Callable[[str], dict[str, list[int]]] | None = None,
                 needles: dict[str, list[int]] | None = None) -> None:
        self.filter = flt
        self._needles = needles if needles is not None else {}
        self._seen: list[int] = []  # rows holding the needle, while scanning the text
        self._rows = rows
        self._candidates = self._field_candidates(flt, positions) if positions else None
        values = [t.value.casefold() for t in flt.terms
                  if t.field in _NEEDLE_FIELDS and not t.negate and t.value]
        self._needle = max(values, key=len) if values and text is not None else ""
        self._text = text
        self._found: list[BoardRow] = []
        self._pos = 0  # next row index to test
        self._done = False

    def _fill(self, n: int | None) -> None:
        if self._done or (n is not None and len(self._found) >= n):
            return
        rows, found, matches = self._rows, self._found, self.filter.matches
        if not self.filter:
            stop = len(rows) if n is None else min(len(rows), n)
            found.extend(rows[len(found):stop])
            self._done = stop == len(rows)
            return
        if self._candidates is not None:
            cand = self._candidates
            k = self._pos
            while k < len(cand) and (n is None or len(found) < n):
                r = rows[cand[k]]
                k += 1
                if matches(r.ann, r):
                    found.append(r)
            self._pos = k
            self._done = k >= len(cand)
            return
        if self._needle and self._text is not None:
            known = self._known_rows()
            if known is not None:  # a shorter needle was scanned in full: only its rows
                if self._candidates is None:
                    self._candidates = [i for i in known if self._needle in rows[i].blob]
                    self._fill(n)
                return
            text, starts = self._text()
            needle = self._needle
            i = self._pos
            find = text.find
            seen = self._seen
            while n is None or len(found) < n:
                at = find(needle, starts[i] if i < len(starts) else len(text))
                if at < 0:
                    self._done = True
                    self._needles[needle] = seen  # typed on, this needle narrows at once
                    break
                i = bisect.bisect_right(starts, at) - 1
                seen.append(i)
                r = rows[i]
                i += 1
                if matches(r.ann, r):
                    found.append(r)
            self._pos = i
            return
        i, end = self._pos, len(rows)
        while i < end and (n is None or len(found) < n):
            r = rows[i]
            i += 1
            if matches(r.ann, r):
                found.append(r)
        self._pos = i
        self._done = i >= end

    def _known_rows(self) -> list[int] | None:
        """Rows of the longest fully scanned needle inside this one (None: none)."""
        best: str | None = None
        for k in self._needles:
            if k in self._needle and (best is None or len(k) > len(best)):
                best = k
        return None if best is None else self._needles[best]

    @staticmethod
    def _field_candidates(flt: AnnotationFilter, positions: Callable[[str], dict[str, list[int]]]
                          ) -> list[int] | None:
        """Row positions that can match the exact ``tag:``/``author:``/``channel:`` terms
        (values of one field: either; fields: all); None when there are none."""
        groups: dict[str, list[str]] = {}
        for t in flt.terms:
            if t.field in ("tag", "author", "channel") and not t.negate:
                if t.prefix:
                    return None  # prefixes: leave it to the word index or a scan
                groups.setdefault(t.field, []).append(t.value)
        if not groups:
            return None
        result: set[int] | None = None
        for f, values in groups.items():
            index = positions(f)
            got = {i for v in values for i in index.get(v, ())}
            result = got if result is None else result & got
        return sorted(result or ())

    def first(self, n: int) -> list[BoardRow]:
        """The first ``n`` matching rows (only as many rows as needed are tested)."""
        self._fill(n)
        return self._found[:n]

    def all(self) -> list[BoardRow]:
        self._fill(None)
        return self._found

    def __len__(self) -> int:
        return len(self.all())

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(rows per verdict, rows per tag) of the matching rows, most first."""
        verdicts: Counter[str] = Counter()
        tags: Counter[str] = Counter()
        for r in self.all():
            verdicts[r.ann.verdict] += 1
            tags.update(set(r.ann.tags))
        return dict(verdicts.most_common()), dict(tags.most_common())


# -- bulk actions ------------------------------------------------------------------------------
@dataclass(slots=True)
class Change:
    """What a bulk action did to one annotation: field values before and after."""

    doc_key: str
    ann_id: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(slots=True)
class BulkResult:
    action: str
    changes: list[Change] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # deleted meanwhile
    failed: list[str] = field(default_factory=list)  # one line per document not written

    @property
    def changed(self) -> int:
        return len(self.changes)


Edit = Callable[[dict[str, Any]], dict[str, Any] | None]  # record -> new field values


def _apply(store: AnnotationStore, targets: Iterable[tuple[str, str]], edit: Edit,
           action: str) -> BulkResult:
    """Apply ``edit`` to each target record as it is on disk, under its document's lock.

    One write per document (the store's transaction: lock, re-read, change, atomic
    replace). ``edit`` sees the fresh record and returns the fields to set (None: leave).
    """
    by_doc: dict[str, list[str]] = {}
    for doc_key, ann_id in targets:
        by_doc.setdefault(doc_key, []).append(ann_id)
    result = BulkResult(action)
    stamp = now_iso()
    for doc_key, ids in by_doc.items():
        wanted = set(ids)
        try:
            # The store's own transaction (lock + fresh read + one atomic write).
            with store._txn(doc_key) as table:  # noqa: SLF001 - the store's write path
                seen: set[str] = set()
                updates: list[tuple[int, str, dict[str, Any], dict[str, Any]]] = []
                for rec in table.all():
                    rid = str(rec.get("id"))
                    if rid not in wanted:
                        continue
                    seen.add(rid)
                    new = edit(dict(rec, doc_key=doc_key))
                    if not new:
                        continue
                    before = {k: _copy(rec.get(k)) for k in new}
                    updates.append((rec.doc_id, rid, before, new))
                for doc_id, rid, before, new in updates:
                    table.update(dict(new, updated=stamp), doc_ids=[doc_id])
                    result.changes.append(Change(doc_key, rid, before, dict(new)))
                result.missing += [(doc_key, i) for i in ids if i not in seen]
        except StoreError as exc:
            result.failed.append(str(exc))
    return result


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def set_verdict(store: AnnotationStore, targets: Iterable[tuple[str, str]],
                verdict: str) -> BulkResult:
    def edit(rec: dict[str, Any]) -> dict[str, Any] | None:
        return None if rec.get("verdict") == verdict else {"verdict": verdict}

    return _apply(store, targets, edit, f"verdict {verdict}")


def add_tag(store: AnnotationStore, targets: Iterable[tuple[str, str]], tag: str) -> BulkResult:
    """Add ``tag`` in the core's one tag form (:func:`annotations.tags.merge_tags`: no
    leading ``#``, spelled as the store already spells it); a tag that cleans to nothing
    changes nothing."""
    clean = merge_tags([tag], store.tag_counts())
    if not clean:
        return BulkResult(f"tag +{tag.strip()}")
    tag = clean[0]

    def edit(rec: dict[str, Any]) -> dict[str, Any] | None:
        tags = list(rec.get("tags") or [])
        if any(tag_key(t) == tag_key(tag) for t in tags):
            return None
        return {"tags": [*tags, tag]}

    return _apply(store, targets, edit, f"tag +{tag}")


def remove_tag(store: AnnotationStore, targets: Iterable[tuple[str, str]],
               tag: str) -> BulkResult:
    def edit(rec: dict[str, Any]) -> dict[str, Any] | None:
        tags = list(rec.get("tags") or [])
        kept = [t for t in tags if tag_key(t) != tag_key(tag)]
        return None if kept == tags else {"tags": kept}

    return _apply(store, targets, edit, f"tag -{tag}")


def undo(store: AnnotationStore, done: BulkResult) -> BulkResult:
    """Reverse a bulk action where its change is still in place.

    A verdict goes back only if it is still the one the action set; a tag the action
    added is removed, one it removed is put back — other tags (a colleague's) stay.
    """
    plan = {(c.doc_key, c.ann_id): c for c in done.changes}

    def edit(rec: dict[str, Any]) -> dict[str, Any] | None:
        c = plan.get((rec["doc_key"], rec["id"]))
        if c is None:
            return None
        out: dict[str, Any] = {}
        if "verdict" in c.after and rec.get("verdict") == c.after["verdict"]:
            out["verdict"] = c.before["verdict"]
        if "tags" in c.after:
            before = [tag_key(t) for t in c.before.get("tags") or []]
            after = [tag_key(t) for t in c.after["tags"]]
            added = [t for t in c.after["tags"] if tag_key(t) not in before]
            removed = [t for t in c.before.get("tags") or [] if tag_key(t) not in after]
            tags = [t for t in rec.get("tags") or []
                    if tag_key(t) not in {tag_key(a) for a in added}]
            have = {tag_key(t) for t in tags}
            tags += [t for t in removed if tag_key(t) not in have]
            if tags != list(rec.get("tags") or []):
                out["tags"] = tags
        return out or None

    return _apply(store, plan.keys(), edit, f"undo {done.action}")


def check_orphans(rows: Sequence[BoardRow], load_raw: Callable[[str], str | None]
                  ) -> tuple[set[str], set[str]]:
    """(orphan annotation ids, documents checked): re-anchor each document's rows
    against its current text (``load_raw(doc_key)``; None: document gone = orphans)."""
    from annotations.anchor import reanchor

    by_doc: dict[str, list[BoardRow]] = {}
    for r in rows:
        by_doc.setdefault(r.ann.doc_key, []).append(r)
    orphans: set[str] = set()
    for key, rs in by_doc.items():
        raw = load_raw(key)
        for r in rs:
            if raw is None or reanchor(r.ann, raw).status == "orphan":
                orphans.add(r.ann.id)
    return orphans, set(by_doc)
