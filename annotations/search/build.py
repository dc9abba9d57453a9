"""Keep the search index in step with the corpus: full build and incremental update.

:func:`sync` compares each file's fingerprint (``size:mtime_ns``) with the index,
re-reads only added and changed files, drops removed ones, and commits every
``batch`` documents (searches see the part already indexed). Reading and folding
runs in worker processes when ``processes > 1`` (never from a threaded app: the app
runs ``python -m annotations.search.build`` as a child process instead, which
prints progress lines ``{"done": n, "total": m}``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from annotations.model import DocInfo
from annotations.search.engine import IndexDoc
from annotations.search.sqlite_index import INDEX_NAME, SqliteIndex
from annotations.search.tokens import index_text

Progress = Callable[[int, int], None]
POOL_MIN = 200  # documents to read before worker processes pay off
T = TypeVar("T")


@dataclass(slots=True)
class SyncResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: int = 0  # files that could not be read (left out of the index)
    rebuilt: bool = False


def index_path(store_root: Path) -> Path:
    return Path(store_root) / INDEX_NAME


def fingerprint_of(path: Path) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def read_doc(root: str, rel: str, key: str, fp: str) -> IndexDoc | None:
    """Load one file and fold its text (runs in worker processes); None: unreadable."""
    from annotations import formats

    doc = formats.load(Path(root) / rel, Path(root), rel=rel)
    if doc.info.error is not None:
        return None
    return IndexDoc(rel, key, fp, doc.info.title, doc.info.channel, doc.info.date,
                    index_text(doc.raw))


def read_fixed(root: str, rel: str, fp: str) -> tuple[str, str, str]:
    """``(rel, fp, folded repaired text)``; the text is '' when repair changes no token."""
    from annotations import formats
    from annotations.search.tokens import tokens_of
    from annotations.similar.build import repaired_of

    doc = formats.load(Path(root) / rel, Path(root), rel=rel)
    if doc.info.error is not None or fingerprint_of(Path(root) / rel) != fp:
        return rel, fp, ""
    rep = repaired_of(doc)
    if not rep.edits:
        return rel, fp, ""
    fixed = tokens_of(rep.text)
    if [t for t, _, _ in fixed] == [t for t, _, _ in tokens_of(doc.raw)]:
        return rel, fp, ""
    return rel, fp, " ".join(t for t, _, _ in fixed)


def _read_many(root: str, items: list[tuple[str, str, str]]) -> list[IndexDoc | None]:
    return [read_doc(root, rel, key, fp) for rel, key, fp in items]


def _fix_many(root: str, items: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [read_fixed(root, rel, fp) for rel, _key, fp in items]


def _chunks(items: list[tuple[str, str, str]], n: int) -> Iterator[list[tuple[str, str, str]]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def sync(root: Path, infos: Sequence[DocInfo], index: SqliteIndex, *,
         progress: Progress | None = None, batch: int = 250, processes: int = 1,
         repaired: bool = False) -> SyncResult:
    """Bring ``index`` in line with ``infos`` (a scanned corpus under ``root``)."""
    result = SyncResult()
    if index.needs_rebuild():
        index.reset()
        result.rebuilt = True
    have = index.fingerprints()
    todo: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    from annotations import access, safeio

    sharing = safeio.Sharing.for_tree(index.path.parent)  # the index lives in the store
    for info in infos:
        if info.error is not None:
            continue
        if sharing.shared and not access.team_readable(info.path, root, sharing.gid):
            continue  # the group could not read it: its words stay out of a shared file
        seen.add(info.rel_path)
        fp = fingerprint_of(info.path)
        if fp is None:
            continue
        old = have.get(info.rel_path)
        if old == fp:
            result.unchanged += 1
            continue
        todo.append((info.rel_path, info.key, fp))
        if old is None:
            result.added += 1
        else:
            result.changed += 1
    gone = [rel for rel in have if rel not in seen]
    index.remove(gone)
    result.removed = len(gone)
    total = len(todo)
    done = 0
    if progress:
        progress(0, total)
    for docs in _pooled(_read_many, str(root), todo, batch, processes):
        ok = [d for d in docs if d is not None]
        result.failed += len(docs) - len(ok)
        index.put(ok)
        done += len(docs)
        if progress:
            progress(done, total)
    if result.added > total // 2 and result.added > 1000:
        index.optimize()
    if repaired:
        fix_pass(root, index, progress=progress, batch=batch, processes=processes)
    return result


def fix_pass(root: Path, index: SqliteIndex, *, progress: Progress | None = None,
             batch: int = 100, processes: int = 1, limit: int | None = None) -> int:
    """The second pass: index the repaired text of documents that do not have it yet
    (slow: one repair per document), newest first. Returns how many it covered."""
    todo = index.unfixed()[:limit]
    done = 0
    for items in _pooled(_fix_many, str(root), todo, batch, processes):
        done += len(items)
        index.put_fixed(items)
        if progress:
            progress(done, len(todo))
    return done


def _pooled(fn: Callable[[str, list[tuple[str, str, str]]], list[T]], root: str,
            todo: list[tuple[str, str, str]], batch: int, processes: int) -> Iterator[list[T]]:
    if processes <= 1 or len(todo) < POOL_MIN:
        for chunk in _chunks(todo, batch):
            yield fn(root, chunk)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = list(_chunks(todo, batch))
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        yield from pool.map(fn, [root] * len(chunks), chunks)


def open_index(store_root: Path, *, read_only: bool = False) -> SqliteIndex:
    return SqliteIndex(index_path(store_root), read_only=read_only)


def main(argv: Sequence[str] | None = None) -> int:
    """Child-process entry: ``python -m annotations.search.build CORPUS STORE``."""
    from annotations.corpus import Corpus

    p = argparse.ArgumentParser(prog="annotations.search.build")
    p.add_argument("corpus", type=Path)
    p.add_argument("store", type=Path)
    p.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--no-repaired", dest="repaired", action="store_false",
                   help="skip the second pass over the repaired text")
    args = p.parse_args(argv)
    corpus = Corpus(args.corpus)
    for _ in corpus.scan_batches(2000):
        pass
    index = open_index(args.store)

    def tick(phase: str) -> Progress:
        def report(done: int, total: int) -> None:
            print(json.dumps({"phase": phase, "done": done, "total": total}), flush=True)

        return report

    result = sync(corpus.root, corpus.infos, index, progress=tick("raw"),
                  processes=args.processes)
    print(json.dumps({"result": {k: getattr(result, k) for k in result.__slots__}}),
          flush=True)
    if args.repaired:
        fix_pass(corpus.root, index, progress=tick("repaired"), processes=args.processes)
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
