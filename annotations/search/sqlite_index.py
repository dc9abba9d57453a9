"""SQLite FTS5 engine: ``<store>/search.sqlite`` (stdlib ``sqlite3``, WAL mode).

Tables::

    meta(k, v)                       schema and tokenizer versions, dead-row count
    docs(id, rel_path, key, fp, title, channel, date, fixed)   one row per document
    ft(body)   FTS5 of the raw text: contentless, ascii tokenizer over pre-folded tokens
    fx(body)   the same for the *repaired* text of documents where its tokens differ
               (a second, slower pass: ``docs.fixed`` = 1 once a document had it)

* **Contentless** (``content=''``): the index keeps token positions, not the text
  (the text is in the corpus; hits are re-located there). This keeps the file under
  the raw text size. SQLite 3.40 cannot delete from a contentless table, so a
  replaced or removed document leaves *dead* FTS rows: its ``docs`` row goes, and
  every query joins ``docs``, so a dead row never matches. ``ids`` are never reused
  (AUTOINCREMENT). When dead rows outnumber live ones, :meth:`needs_rebuild` says
  so and the builder starts the index afresh.
* **WAL**: readers never block the writer nor each other; a writer commits every
  batch, so searches see the part already indexed. Writers queue on SQLite's lock
  (``busy_timeout``); the builder re-reads fingerprints inside its transaction, so
  two processes updating at once never index a document twice.
* The file is created by :func:`create_index_file` through ``annotations.safeio``
  (shared mode like the store, refusing symlinks and other non-files planted in the
  store folder).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotations.search.engine import DocMatch, Facets, IndexDoc
from annotations.search.query import Query, to_fts5
from annotations.search.tokens import unicode_version

INDEX_NAME = "search.sqlite"
SCHEMA = "1"
BUSY_MS = 60_000

_DDL = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rel_path TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL,
    fp TEXT NOT NULL,
    title TEXT NOT NULL,
    channel TEXT NOT NULL,
    date TEXT NOT NULL,
    fixed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS docs_date ON docs(date DESC, title);
CREATE VIRTUAL TABLE IF NOT EXISTS ft USING fts5(
    body, content='', tokenize='ascii', detail=full, columnsize=0
);
CREATE VIRTUAL TABLE IF NOT EXISTS fx USING fts5(
    body, content='', tokenize='ascii', detail=full, columnsize=0
);
"""


class IndexError_(OSError):
    """The index file cannot be used (names the file; one line)."""


def _check_plain(path: Path) -> None:
    """Refuse a symlink, FIFO or other non-regular file at ``path`` (missing is fine)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        raise IndexError_(f"{path}: {kind}; not opened (remove it: gloss rebuilds the index)")


def create_index_file(path: Path) -> None:
    """Create the empty index file through :mod:`annotations.safeio` (never through a
    link or onto a FIFO; the store tree's shared mode and group whatever the umask).
    SQLite gives its -wal/-shm files the mode of the database file."""
    from annotations import safeio

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        _check_plain(p)
    sharing = safeio.Sharing.for_tree(path.parent)
    try:
        fd = safeio.open_regular(path, os.O_WRONLY | os.O_CREAT, sharing.file_mode())
    except safeio.UnsafeFile as exc:
        raise IndexError_(f"{path}: {exc}") from exc
    except OSError as exc:
        raise IndexError_(f"{path}: cannot create the search index: {exc.strerror}") from exc
    try:
        sharing.fix_fd(fd)
    finally:
        os.close(fd)


class SqliteIndex:
    """The FTS5 engine (implements :class:`annotations.search.engine.SearchIndex`).

    One connection per thread (``sqlite3`` connections are not shared across threads).
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._mutex = threading.Lock()
        if not read_only:
            create_index_file(self.path)
        else:
            _check_plain(self.path)
        con = self._con()
        if not read_only:
            self._setup(con)

    # -- connections ----------------------------------------------------------------------
    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            try:
                if self.read_only:
                    con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                          check_same_thread=False, isolation_level=None)
                else:
                    con = sqlite3.connect(self.path, check_same_thread=False,
                                          isolation_level=None)
                con.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            except sqlite3.Error as exc:
                raise IndexError_(f"{self.path}: cannot open the search index: {exc}") from exc
            self._local.con = con
            with self._mutex:
                self._all.append(con)
        return con

    def _setup(self, con: sqlite3.Connection) -> None:
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            with self._write(con):
                for stmt in _DDL.split(";"):
                    if stmt.strip():
                        con.execute(stmt)
                have = dict(con.execute("SELECT k, v FROM meta").fetchall())
                want = {"schema": SCHEMA, "unicode": unicode_version()}
                if have and any(have.get(k) != v for k, v in want.items()):
                    self._reset(con)
                for k, v in want.items():
                    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, v))
                con.execute("INSERT OR IGNORE INTO meta VALUES ('dead', '0')")
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"{self.path}: not a usable search index ({exc}); "
                              "remove it and gloss rebuilds it") from exc

    class _Txn:
        def __init__(self, con: sqlite3.Connection) -> None:
            self.con = con

        def __enter__(self) -> sqlite3.Connection:
            self.con.execute("BEGIN IMMEDIATE")
            return self.con

        def __exit__(self, exc_type: object, *_: object) -> None:
            self.con.execute("ROLLBACK" if exc_type else "COMMIT")

    def _write(self, con: sqlite3.Connection | None = None) -> SqliteIndex._Txn:
        return SqliteIndex._Txn(con or self._con())

    def _reset(self, con: sqlite3.Connection) -> None:
        con.execute("DROP TABLE IF EXISTS ft")
        con.execute("DROP TABLE IF EXISTS fx")
        con.execute("DELETE FROM docs")
        con.execute("DELETE FROM meta")
        for stmt in _DDL.split(";"):
            if stmt.strip():
                con.execute(stmt)

    def close(self) -> None:
        with self._mutex:
            cons, self._all = self._all, []
        for con in cons:
            try:
                con.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    # -- writing --------------------------------------------------------------------------
    def fingerprints(self) -> dict[str, str]:
        return dict(self._con().execute("SELECT rel_path, fp FROM docs").fetchall())

    def put(self, docs: Sequence[IndexDoc], *, only_if_stale: bool = True) -> int:
        """Index ``docs`` in one transaction; returns how many were written. With
        ``only_if_stale`` a document whose fingerprint is already indexed (another
        process got there first) is skipped."""
        if not docs:
            return 0
        written = 0
        with self._write() as con:
            dead = 0
            for d in docs:
                row = con.execute("SELECT id, fp FROM docs WHERE rel_path=?",
                                  (d.rel_path,)).fetchone()
                if row is not None:
                    if only_if_stale and row[1] == d.fingerprint:
                        continue
                    con.execute("DELETE FROM docs WHERE id=?", (row[0],))
                    dead += 1
                cur = con.execute(
                    "INSERT INTO docs(rel_path, key, fp, title, channel, date) "
                    "VALUES (?,?,?,?,?,?)",
                    (d.rel_path, d.key, d.fingerprint, d.title, d.channel, d.date))
                con.execute("INSERT INTO ft(rowid, body) VALUES (?,?)", (cur.lastrowid, d.text))
                written += 1
            if dead:
                self._add_dead(con, dead)
        return written

    def unfixed(self) -> list[tuple[str, str, str]]:
        """(rel_path, key, fingerprint) of documents still waiting for the repaired pass."""
        return self._con().execute(
            "SELECT rel_path, key, fp FROM docs WHERE fixed = 0 ORDER BY date DESC").fetchall()

    def put_fixed(self, items: Sequence[tuple[str, str, str]]) -> int:
        """Index repaired text: ``(rel_path, fingerprint, folded text or '')`` each; a
        document changed meanwhile (other fingerprint) is left for the next pass."""
        n = 0
        with self._write() as con:
            for rel, fp, text in items:
                row = con.execute("SELECT id FROM docs WHERE rel_path=? AND fp=? AND fixed=0",
                                  (rel, fp)).fetchone()
                if row is None:
                    continue
                if text:
                    con.execute("INSERT INTO fx(rowid, body) VALUES (?,?)", (row[0], text))
                con.execute("UPDATE docs SET fixed=1 WHERE id=?", (row[0],))
                n += 1
        return n

    def remove(self, rel_paths: Sequence[str]) -> None:
        if not rel_paths:
            return
        with self._write() as con:
            n = 0
            for rel in rel_paths:
                n += con.execute("DELETE FROM docs WHERE rel_path=?", (rel,)).rowcount
            self._add_dead(con, n)

    @staticmethod
    def _add_dead(con: sqlite3.Connection, n: int) -> None:
        con.execute("UPDATE meta SET v = CAST(CAST(v AS INTEGER) + ? AS TEXT) WHERE k='dead'",
                    (n,))

    def needs_rebuild(self) -> bool:
        """True when dead FTS rows (replaced/removed documents) outnumber live ones."""
        con = self._con()
        row = con.execute("SELECT v FROM meta WHERE k='dead'").fetchone()
        dead = int(row[0]) if row else 0
        live = con.execute("SELECT count(*) FROM docs").fetchone()[0]
        return dead > max(live, 100)

    def reset(self) -> None:
        """Start the index afresh (everything will be re-added)."""
        with self._write() as con:
            self._reset(con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA,))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('unicode', ?)", (unicode_version(),))
            con.execute("INSERT OR REPLACE INTO meta VALUES ('dead', '0')")

    def optimize(self) -> None:
        """Merge the FTS5 segments into one (faster queries after a big build)."""
        with self._write() as con:
            con.execute("INSERT INTO ft(ft) VALUES ('optimize')")
            con.execute("INSERT INTO fx(fx) VALUES ('optimize')")
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file and truncate it (after big writes)."""
        try:
            self._con().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # readers hold it; the next checkpoint will do

    def __len__(self) -> int:
        return int(self._con().execute("SELECT count(*) FROM docs").fetchone()[0])

    # -- reading --------------------------------------------------------------------------
    def _where(self, q: Query) -> tuple[str, list[Any]]:
        expr = to_fts5(q)
        sql = ["d.id IN (SELECT rowid FROM ft WHERE ft MATCH ? "
               "UNION SELECT rowid FROM fx WHERE fx MATCH ?)"]
        args: list[Any] = [expr, expr]
        if q.channels:
            sql.append("(" + " OR ".join("d.channel = ? COLLATE NOCASE" for _ in q.channels) + ")")
            args += q.channels
        for ch in q.not_channels:
            sql.append("d.channel <> ? COLLATE NOCASE")
            args.append(ch)
        for lo, hi in q.dates:
            if lo:
                sql.append("d.date >= ?")
                args.append(lo)
            if hi:
                sql.append(f"substr(d.date, 1, {len(hi)}) <= ?")
                args.append(hi)
            sql.append("d.date <> ''")
        return " AND ".join(sql), args

    def _rows(self, q: Query, annotated: frozenset[str] | None) -> Iterator[tuple[Any, ...]]:
        where, args = self._where(q)
        sql = ("SELECT d.rel_path, d.key, d.title, d.channel, d.date FROM docs d WHERE "
               + where +
               " ORDER BY d.date DESC, d.title, d.rel_path")
        try:
            cur = self._con().execute(sql, args)
        except sqlite3.OperationalError as exc:
            from annotations.search.query import QueryError

            raise QueryError(f"the index cannot run this query: {exc}") from exc
        for row in cur:
            if q.has_annotations is not None and annotated is not None:
                if (row[1] in annotated) != q.has_annotations:
                    continue
            yield row

    def match(self, q: Query, *, limit: int | None = None, offset: int = 0,
              annotated: frozenset[str] | None = None) -> list[DocMatch]:
        out: list[DocMatch] = []
        for i, row in enumerate(self._rows(q, annotated)):
            if i < offset:
                continue
            if limit is not None and len(out) >= limit:
                break
            out.append(DocMatch(*row))
        return out

    def matches_fixed(self, q: Query, rel_path: str) -> bool:
        """True when ``rel_path`` matches ``q`` through its repaired text."""
        row = self._con().execute(
            "SELECT 1 FROM fx WHERE fx MATCH ? AND rowid = "
            "(SELECT id FROM docs WHERE rel_path = ?)", (to_fts5(q), rel_path)).fetchone()
        return row is not None

    def facets(self, q: Query, *, annotated: frozenset[str] | None = None) -> Facets:
        f = Facets()
        for _rel, _key, _title, channel, date in self._rows(q, annotated):
            f.total += 1
            f.channels[channel] = f.channels.get(channel, 0) + 1
            f.months[date[:7]] = f.months.get(date[:7], 0) + 1
        return f

    def vocabulary(self) -> list[str]:
        con = self._con()
        con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.ft_vocab USING fts5vocab(main, ft, 'row')")
        return [t for (t,) in con.execute("SELECT term FROM temp.ft_vocab")]

    def size_bytes(self) -> int:
        total = 0
        for p in (self.path, Path(f"{self.path}-wal")):
            try:
                total += p.stat().st_size
            except OSError:
                pass
        return total
