"""Worker processes that build shards: ``python -m annotations.similar.worker``.

Plain child processes fed through pipes (not ``multiprocessing``): they never
re-import the caller's ``__main__`` (a script without a ``__main__`` guard, the
app) and are not forked from a threaded process.

Protocol (pickles over stdin/stdout): the parent sends ``(cache, corpus)``,
then one :class:`ShardTask` at a time, then ``None``; the worker answers
``("tick", n)`` while cutting and ``("done", sid, n)`` or ``("error", sid, text)``
per task.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import subprocess
import sys
import traceback
from pathlib import Path
from typing import IO, Any

from annotations.similar.build import Progress, ShardTask, build_shard


def _send(out: IO[bytes], msg: tuple) -> None:
    """One length-prefixed pickle (the parent reads the pipe without blocking)."""
    data = pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(4, "little") + data)
    out.flush()


def _frames(buf: bytearray) -> list[tuple]:
    """Complete messages at the head of ``buf`` (removed from it)."""
    out = []
    while len(buf) >= 4:
        n = int.from_bytes(buf[:4], "little")
        if len(buf) < 4 + n:
            break
        out.append(pickle.loads(bytes(buf[4 : 4 + n])))
        del buf[: 4 + n]
    return out


def main() -> int:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, not into the pipe
    inp = sys.stdin.buffer
    cache, corpus = pickle.load(inp)
    # Loading, repairing and cutting make millions of short-lived containers (edits,
    # tuples) and few reference cycles: the cyclic collector would cost about a tenth
    # of the build. It runs once after each shard instead.
    gc.disable()
    if isinstance(corpus, str):
        from annotations.corpus import Corpus

        corpus = Corpus(corpus)
    while True:
        try:
            task = pickle.load(inp)
        except EOFError:
            break
        if task is None:
            break
        try:
            sid, n = build_shard(Path(cache), corpus, task, lambda k: _send(out, ("tick", k)))
            _send(out, ("done", sid, n))
        except Exception:  # noqa: BLE001 - reported to the parent, which raises it
            _send(out, ("error", task.sid, traceback.format_exc(limit=8)))
        gc.collect()
    return 0


class WorkerError(RuntimeError):
    """A worker failed to build a shard."""


def _corpus_arg(corpus: Any) -> Any:
    try:
        pickle.dumps(corpus)
    except Exception:  # noqa: BLE001 - locks and the like: the worker opens its own
        return str(corpus.root)
    return corpus


def run_pool(cache: Path, corpus: Any, tasks: list[ShardTask], workers: int,
             progress: Progress | None, done: int, total: int) -> None:
    """Run ``tasks`` in ``workers`` child processes, largest first."""
    queue = sorted(tasks, key=lambda t: -len(t.todo))
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    procs: list[subprocess.Popen[bytes]] = []
    sel = selectors.DefaultSelector()
    init = (str(cache), _corpus_arg(corpus))
    error: str | None = None
    try:
        for _ in range(min(workers, len(queue))):
            p = subprocess.Popen([sys.executable, "-m", "annotations.similar.worker"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            assert p.stdin is not None and p.stdout is not None
            pickle.dump(init, p.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(queue.pop(0), p.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            p.stdin.flush()
            procs.append(p)
            sel.register(p.stdout, selectors.EVENT_READ, p)
        bufs = {p.pid: bytearray() for p in procs}
        busy = len(procs)
        while busy:
            for key, _ in sel.select():
                p = key.data
                assert p.stdin is not None
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    sel.unregister(key.fileobj)
                    busy -= 1
                    error = error or f"worker {p.pid} ended unexpectedly"
                    continue
                bufs[p.pid] += chunk
                for msg in _frames(bufs[p.pid]):
                    if msg[0] == "tick":
                        done += msg[1]
                        if progress:
                            progress(min(done, total), total)
                        continue
                    if msg[0] == "error":
                        error = error or msg[2]
                    nxt = queue.pop(0) if queue and error is None else None
                    pickle.dump(nxt, p.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                    p.stdin.flush()
                    if nxt is None:
                        sel.unregister(key.fileobj)
                        busy -= 1
    finally:
        sel.close()
        for p in procs:
            if p.stdin is not None and not p.stdin.closed:
                try:
                    p.stdin.close()
                except OSError:
                    pass
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            if p.stdout is not None:
                p.stdout.close()
    if error is not None:
        raise WorkerError(error)


if __name__ == "__main__":
    raise SystemExit(main())
