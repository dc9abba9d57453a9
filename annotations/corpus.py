"""A folder of documents, scanned lazily into :class:`DocInfo` rows.

* Recursive, in a stable order: depth first, each folder's entries sorted by name
  (case-insensitive; files and sub-folders interleaved).
* Hidden entries (names starting with ``.``: ``.gloss``, ``.git``…) are skipped, and so
  are folder symlinks (no loops). File symlinks that resolve inside the corpus folder
  are followed; those resolving outside it are listed, never read, with the error
  ``link outside the corpus`` (a colleague's link to a private file must not leak its
  text into the shared store) unless ``follow_links=True``.
* Documents are files ending in ``.txt``, ``.vtt``, ``.srt``, ``.md`` (any case) or
  without an extension; everything else (images, ``.tsv``, ``.json``…) is not listed.
  The format itself is detected by content (:mod:`annotations.formats`).
* Keys: the ``video_id`` when present, else the path relative to the root (posix).
  A second file with an already used video id is keyed by its path, with a note.
* A single file path is a corpus of one (root = its folder).
* Twins: a tagged transcript and the caption file of the same video are one row (the
  transcript's, ``sources`` naming both files); the caption file's key finds that row
  and ``load`` gives the merged document (:mod:`annotations.twins`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from annotations import formats
from annotations.model import DocInfo, Document
from annotations.twins import candidates, confirm, merge

OUTSIDE = "link outside the corpus"
EXTENSIONS = frozenset({".txt", ".vtt", ".srt", ".md", ""})
PARALLEL_MIN = 2000  # below this, starting worker processes costs more than it saves
Entry = tuple[Path, str, int, int]  # path, rel path (posix), mtime_ns, size


class CorpusError(FileNotFoundError):
    """The corpus path does not exist or cannot be listed (one-line message)."""


@dataclass(slots=True)
class Changes:
    """What :meth:`Corpus.refresh` found; true when anything changed."""

    added: list[DocInfo] = field(default_factory=list)
    removed: list[DocInfo] = field(default_factory=list)
    changed: list[DocInfo] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def is_document_name(name: str) -> bool:
    if name.startswith("."):
        return False
    dot = name.rfind(".")
    return (name[dot:].lower() if dot > 0 else "") in EXTENSIONS


def _describe_many(root: str, items: list[tuple[str, str]]) -> list[DocInfo]:
    """Worker-process job: full rows (with word counts) for ``(path, rel)`` items."""
    base = Path(root)
    return [formats.describe(Path(path), base, rel=rel) for path, rel in items]


def _entries(folder: str) -> Iterator[os.DirEntry[str]]:
    """Visible entries of ``folder`` sorted by name (case-insensitive); none if unreadable."""
    try:
        with os.scandir(folder) as it:
            entries = [e for e in it if not e.name.startswith(".")]
    except OSError:
        return iter(())
    entries.sort(key=lambda e: (e.name.casefold(), e.name))
    return iter(entries)


class Corpus:
    """Documents under ``root`` (a folder, or a single file)."""

    def __init__(self, path: Path | str, *, follow_links: bool = False) -> None:
        self.follow_links = follow_links
        self._outside: set[str] = set()  # rel paths of links resolving outside the root
        path = Path(path).expanduser()
        shown = str(path) if str(path).isprintable() else repr(str(path))  # one line
        if not path.exists():
            raise CorpusError(f"no such file or folder: {shown}")
        path = path.resolve()
        self.single: Path | None
        if path.is_file():
            self.root, self.single = path.parent, path
        elif path.is_dir():
            self.root, self.single = path, None
        else:
            raise CorpusError(f"not a file or folder: {shown}")
        if self.single is None and not os.access(self.root, os.R_OK | os.X_OK):
            raise CorpusError(f"cannot read folder: {shown}")
        self.infos: list[DocInfo] = []
        self._rows: dict[str, int] = {}  # rel path -> its place in .infos (see _place)
        self._by_key: dict[str, DocInfo] = {}
        self._stats: dict[str, tuple[int, int]] = {}  # rel path -> (mtime_ns, size)
        self._twins: dict[str, DocInfo] = {}  # transcript key -> its caption file's row
        self._names: dict[str, str] | None = None  # learned names (see names())
        self._lock = threading.RLock()

    # -- listing --------------------------------------------------------------------
    def _walk(self) -> Iterator[Entry]:
        """``(path, rel_path, mtime_ns, size)`` of every document file, in scan order."""
        if self.single is not None:
            try:
                st = self.single.stat()
            except OSError:
                return
            yield self.single, self.single.name, st.st_mtime_ns, st.st_size
            return
        self._outside = set()
        stack: list[tuple[Iterator[os.DirEntry[str]], str]] = [(_entries(str(self.root)), "")]
        while stack:
            entries, prefix = stack[-1]
            e = next(entries, None)
            if e is None:
                stack.pop()
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append((_entries(e.path), prefix + e.name + "/"))
                    continue
                if not is_document_name(e.name):
                    continue
                if e.is_symlink() and not self.follow_links and not self._inside(e.path):
                    st = e.stat(follow_symlinks=False)
                    self._outside.add(prefix + e.name)
                    yield Path(e.path), prefix + e.name, st.st_mtime_ns, st.st_size
                    continue
                if not e.is_file():
                    continue
                st = e.stat()
            except OSError:
                continue  # vanished or a broken link
            yield Path(e.path), prefix + e.name, st.st_mtime_ns, st.st_size

    def _inside(self, path: str) -> bool:
        """True when ``path`` (a link) resolves to a file inside the corpus folder."""
        try:
            target = Path(os.path.realpath(path))
        except (OSError, ValueError):
            return False
        return target.is_relative_to(self.root)

    def _outside_row(self, path: Path, rel: str) -> DocInfo:
        return DocInfo(key=rel, path=path, rel_path=rel, title=path.name, error=OUTSIDE)

    def _describe(self, path: Path, rel: str, words: bool) -> DocInfo:
        if rel in self._outside:
            return self._outside_row(path, rel)
        if words:
            return formats.describe(path, self.root, rel=rel)
        return formats.peek(path, self.root, rel=rel)

    def _register(self, info: DocInfo, by_key: dict[str, DocInfo]) -> None:
        """Give ``info`` a unique key (its rel path when the video id is taken)."""
        other = by_key.get(info.key)
        if other is not None and other.rel_path != info.rel_path:
            info.problems.append(f"video id {info.key} also used by {other.rel_path}")
            info.key = info.rel_path
        by_key[info.key] = info

    def _described(self, batch: int, words: bool,
                   processes: int) -> Iterator[list[tuple[Entry, DocInfo]]]:
        """Walk entries with their rows, in batches (rows made here or in worker processes)."""
        entries: Iterator[Entry] | list[Entry] = self._walk()
        if words and processes > 1:
            entries = list(entries)
            if len(entries) >= PARALLEL_MIN:
                yield from self._parallel(entries, batch, processes)
                return
        chunk: list[tuple[Entry, DocInfo]] = []
        for entry in entries:
            chunk.append((entry, self._describe(entry[0], entry[1], words)))
            if len(chunk) >= batch:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _parallel(self, entries: list[Entry], batch: int,
                  processes: int) -> Iterator[list[tuple[Entry, DocInfo]]]:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        outside = [e for e in entries if e[1] in self._outside]
        if outside:
            yield [(e, self._outside_row(e[0], e[1])) for e in outside]
            entries = [e for e in entries if e[1] not in self._outside]
        jobs = [entries[i:i + batch] for i in range(0, len(entries), batch)]
        args = [[(str(e[0]), e[1]) for e in job] for job in jobs]
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            results = pool.map(_describe_many, [str(self.root)] * len(jobs), args)
            for job, infos in zip(jobs, results, strict=True):
                yield list(zip(job, infos, strict=True))

    def scan_batches(self, batch: int = 500, *, words: bool = False,
                     processes: int = 1) -> Iterator[list[DocInfo]]:
        """Scan the folder, yielding rows in batches (for progress); ``.infos``, ``get``
        and ``refresh`` see the new scan once the iterator is exhausted.

        ``words``: read whole files to count words (slower); else only heads are read.
        ``processes`` > 1 with ``words``: describe files in worker processes when there
        are many (for the CLI; forking from a threaded app is unsafe: the app never asks).
        """
        infos: list[DocInfo] = []
        by_key: dict[str, DocInfo] = {}
        stats: dict[str, tuple[int, int]] = {}
        for chunk in self._described(batch, words, processes):
            for (_path, rel, mtime_ns, size), info in chunk:
                self._register(info, by_key)
                infos.append(info)
                stats[rel] = (mtime_ns, size)
            yield [info for _, info in chunk]
        infos, twins = self._pair(infos, by_key)
        with self._lock:
            self.infos, self._by_key, self._stats = infos, by_key, stats
            self._rows = {}
            self._twins = twins
            self._names = None

    # -- twins: one document per video ---------------------------------------------
    def _pair(self, infos: list[DocInfo], by_key: dict[str, DocInfo]
              ) -> tuple[list[DocInfo], dict[str, DocInfo]]:
        """Merge each tagged transcript with its caption file (annotations.twins): the
        caption row leaves the list, its key then finds the transcript's row."""
        twins: dict[str, DocInfo] = {}
        gone: set[int] = set()
        for tagged, cap in candidates(infos):
            old = self._twins.get(tagged.key)
            same = old is not None and old.rel_path == cap.rel_path and tagged.sources
            if not same:
                a = formats.load(tagged.path, self.root, rel=tagged.rel_path)
                b = formats.load(cap.path, self.root, rel=cap.rel_path)
                if a.info.error or b.info.error or not confirm(a.raw, b.raw):
                    continue
            tagged.sources = [tagged.rel_path, cap.rel_path]
            cap.sources = [cap.rel_path]
            twins[tagged.key] = cap
            by_key[cap.key] = tagged
            gone.add(id(cap))
        if gone:
            infos = [i for i in infos if id(i) not in gone]
        return infos, twins

    def twin(self, key: str) -> DocInfo | None:
        """The caption file merged into document ``key``, if any."""
        info = self.get(key)
        return None if info is None else self._twins.get(info.key)

    def names(self, limit: int = 2000) -> dict[str, str]:
        """Names learned from the mixed-case documents (the first ``limit`` read), for
        sentence case of all-caps captions (``repair.case.learn_names``); once per scan."""
        with self._lock:
            cached = self._names
        if cached is not None:
            return cached
        from annotations.repair.case import learn_names

        def texts() -> Iterator[str]:
            for info in self.infos[:limit]:
                if info.ok:
                    yield formats.load(info.path, self.root, rel=info.rel_path).raw

        learned = learn_names(texts())
        with self._lock:
            self._names = learned
        return learned

    def learned_names(self) -> dict[str, str] | None:
        """The names of :meth:`names` if already learned for this scan, else None (never
        reads a document: for callers that must not wait)."""
        with self._lock:
            return self._names

    def keys_of(self, key: str) -> list[str]:
        """Every key annotations of document ``key`` may be stored under (a merged
        document: the transcript's key and its caption file's)."""
        info = self.get(key)
        if info is None:
            return [key]
        cap = self._twins.get(info.key)
        return [info.key] + ([cap.key] if cap is not None and cap.key != info.key else [])

    def scan(self, *, words: bool = False, processes: int = 1) -> Iterator[DocInfo]:
        """Scan the folder; ``.infos`` holds the full list once the iterator is exhausted."""
        for chunk in self.scan_batches(words=words, processes=processes):
            yield from chunk

    def get(self, key: str) -> DocInfo | None:
        return self._by_key.get(key)

    def __len__(self) -> int:
        return len(self.infos)

    # -- loading --------------------------------------------------------------------
    def load(self, key_or_info: str | DocInfo) -> Document:
        """Load a document by key or row. Never raises: problems go to ``info.error``.

        The corpus row is updated with what the full read found (words, notes).
        """
        if isinstance(key_or_info, DocInfo):
            known: DocInfo | None = key_or_info
        else:
            known = self.get(key_or_info)
        if known is None:
            key = str(key_or_info)
            info = DocInfo(key=key, path=self.root / key, rel_path=key, title=key,
                           error="no longer in the corpus")
            return Document(info, "")
        if known.rel_path in self._outside or known.error == OUTSIDE or (
            not self.follow_links and known.path.is_symlink() and not self._inside(str(known.path))
        ):
            return Document(self._outside_row(known.path, known.rel_path), "")
        doc = formats.load(known.path, self.root, rel=known.rel_path)
        cap = self._twins.get(known.key)
        if cap is not None and not doc.info.error:
            other = formats.load(cap.path, self.root, rel=cap.rel_path)
            if not other.info.error:
                doc = merge(doc, other)
        doc.info.key = known.key  # keep the corpus key (duplicates are keyed by path)
        if known.key != doc.info.rel_path and any("also used by" in p for p in known.problems):
            doc.info.problems[:0] = [p for p in known.problems if "also used by" in p]
        with self._lock:
            current = self._by_key.get(known.key)
            if current is not None and current.path == doc.info.path:
                self._by_key[known.key] = doc.info
                i = self._place(current)
                if i >= 0:
                    self.infos[i] = doc.info
                    if doc.info.rel_path != current.rel_path:
                        self._rows = {}  # found again on the next load
        return doc

    def _place(self, row: DocInfo) -> int:
        """Where ``row`` is in ``.infos`` (-1: not there), by a dict, not a scan of the
        list (10,000 loads would cost 10,000 scans). A file is listed once, so its rel
        path finds its place. Called with the lock held."""
        if len(self._rows) != len(self.infos):
            self._rows = {r.rel_path: i for i, r in enumerate(self.infos)}
        i = self._rows.get(row.rel_path, -1)
        return i if i >= 0 and self.infos[i] is row else -1

    # -- change detection -----------------------------------------------------------
    def refresh(self, *, words: bool = False) -> Changes:
        """Re-list the folder (``stat`` only) and re-read files that were added or whose
        ``mtime_ns``/size changed. Cheap: meant to run every couple of seconds."""
        with self._lock:
            old_stats = self._stats
            old_by_rel = {i.rel_path: i for i in self.infos}
            changes = Changes()
            infos: list[DocInfo] = []
            by_key: dict[str, DocInfo] = {}
            stats: dict[str, tuple[int, int]] = {}
            # Unchanged rows keep their keys first, so a new duplicate never steals one.
            seen: dict[str, tuple[Path, int, int]] = {}
            for path, rel, mtime_ns, size in self._walk():
                seen[rel] = (path, mtime_ns, size)
                if rel in old_by_rel and old_stats.get(rel) == (mtime_ns, size):
                    by_key[old_by_rel[rel].key] = old_by_rel[rel]
            for rel, (path, mtime_ns, size) in seen.items():
                old = old_by_rel.get(rel)
                if old is not None and old_stats.get(rel) == (mtime_ns, size):
                    infos.append(old)
                else:
                    info = self._describe(path, rel, words)
                    if old is not None and old.key == info.key:
                        by_key.pop(info.key, None)
                    self._register(info, by_key)
                    infos.append(info)
                    (changes.changed if old is not None else changes.added).append(info)
                stats[rel] = (mtime_ns, size)
            changes.removed = [i for rel, i in old_by_rel.items() if rel not in seen]
            if changes:
                for i in infos:
                    if i.sources and (i.rel_path in [c.rel_path for c in changes.changed]):
                        i.sources = []
                infos, twins = self._pair(infos, by_key)
                self.infos, self._by_key, self._stats = infos, by_key, stats
                self._rows = {}
                self._twins = twins
            return changes
