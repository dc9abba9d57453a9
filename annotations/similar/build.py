"""Building shards: load, repair and cut documents, in a pool of worker processes.

Work is one task per dirty shard: the worker reads the shard's old file (for the
documents that did not change), loads, repairs and cuts the others, and writes
the new shard. Workers (:mod:`annotations.similar.worker`) report progress
(documents cut) through their pipes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.model import DocInfo, Document
from annotations.repair.edits import Repaired, identity
from annotations.similar.cut import DocData, cut
from annotations.similar.shard import Shard, ShardError

Progress = Callable[[int, int], None]
POOL_MIN_DOCS = 64  # worker processes when this many documents are to be cut ...
POOL_MIN_SHARDS = 6  # ... or this many shards rebuilt, copying at least
POOL_MIN_KEPT = 2000  # this many unchanged documents (starting workers costs about 1 s)


def code_version() -> str:
    """Fingerprint of the code the cache depends on: the repair layer (what the display
    text is) and the cutting and index format. A change rebuilds the cache."""
    import hashlib

    import annotations.repair.edits as edits_mod

    h = hashlib.blake2b(digest_size=8)
    here = Path(__file__).resolve().parent
    files = sorted(Path(edits_mod.__file__).resolve().parent.glob("*.py"))
    files += [here / "cut.py", here / "text.py", here / "shard.py", here / "assemble.py"]
    for f in files:
        try:
            h.update(f.name.encode() + f.read_bytes())
        except OSError:
            h.update(f.name.encode())
    return h.hexdigest()


def repaired_of(doc: Document) -> Repaired:
    """The repaired text of ``doc``; the raw text as is when repair fails or is missing."""
    try:
        from annotations.repair import context_for, repair
    except ImportError:
        return identity(doc.raw)
    try:
        return repair(doc.raw, context_for(doc))
    except Exception:  # noqa: BLE001 - one bad document must not stop the index
        return identity(doc.raw)


def fingerprint(info: DocInfo) -> tuple[str, int, int]:
    """``(rel_path, size, mtime_ns)``; size -1 when the file cannot be read."""
    try:
        st = os.stat(info.path)
    except OSError:
        return (info.rel_path, -1, 0)
    return (info.rel_path, st.st_size, st.st_mtime_ns)


def cut_info(corpus: Any, info: DocInfo, fp: tuple[str, int, int]) -> DocData:
    """Load, repair and cut one document (an unreadable one gives no passages)."""
    rel, size, mtime_ns = fp
    data: DocData
    if info.ok:
        doc = corpus.load(info)
        if doc.info.ok:
            data = cut(doc, repaired_of(doc))
        else:
            data = DocData(key=info.key, error=doc.info.error)
    else:
        data = DocData(key=info.key, error=info.error)
    data.key = info.key
    data.rel_path, data.size, data.mtime_ns = rel, size, mtime_ns
    return data


@dataclass(slots=True)
class ShardTask:
    sid: int
    keep: list[str]  # keys whose cached data is still good
    todo: list[tuple[DocInfo, tuple[str, int, int]]] = field(default_factory=list)


def build_shard(cache: Path, corpus: Any, task: ShardTask,
                tick: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Rebuild one shard file; returns ``(sid, documents cut)``. The documents kept are
    copied from the shard's old file with their postings (not cut or hashed again)."""
    old: Shard | None = None
    if task.keep:
        try:
            old = Shard.load(cache, task.sid)
        except ShardError:
            old = None
        have = {e[0] for e in old.docs} if old is not None else set()
        if not have.issuperset(task.keep):  # the old shard lost them: cut them again
            raise ShardError(f"shard {task.sid}: cached documents missing")
    docs: list[DocData] = []
    pending = 0
    for info, fp in task.todo:
        docs.append(cut_info(corpus, info, fp))
        pending += 1
        if tick is not None and pending >= 16:
            tick(pending)
            pending = 0
    if tick is not None and pending:
        tick(pending)
    shard = Shard.build(task.sid, docs, old, set(task.keep))
    del old
    if shard.docs:
        shard.save(cache)
    return task.sid, len(task.todo)


def run_tasks(cache: Path, corpus: Any, tasks: list[ShardTask], workers: int,
              progress: Progress | None, done: int = 0, total: int = 0) -> None:
    """Build the shards of ``tasks``, in ``workers`` processes when the work is large."""
    todo = sum(len(t.todo) for t in tasks)
    if progress:
        progress(done, total)
    kept = sum(len(t.keep) for t in tasks)
    if workers > 1 and len(tasks) > 1 and (
            todo >= POOL_MIN_DOCS or (len(tasks) >= POOL_MIN_SHARDS and kept >= POOL_MIN_KEPT)):
        from annotations.similar.worker import run_pool

        run_pool(cache, corpus, tasks, workers, progress, done, total)
        return
    count = [done]

    def tick(n: int) -> None:
        count[0] += n
        if progress:
            progress(count[0], total)

    for task in tasks:
        build_shard(cache, corpus, task, tick)
