"""Safe file IO in folders a whole team can write: the ONE place for it.

Every name in a group-writable folder may be a trap planted by a colleague (a
symlink to the writer's own files, a FIFO that blocks a reader for ever), and
every colleague has their own umask. So, for everything gloss writes or reads
in its store and caches:

* **Shared mode** (:class:`Sharing`): when the folder a tree lives in is
  group-shared (group-writable or setgid, like a team's corpus folder), every
  folder gloss creates is setgid + ``g+rwx`` and every file gets ``g+rw``, set
  with ``fchmod``/``chmod`` after creation whatever the writer's umask (git's
  ``core.sharedRepository=group``). Otherwise the user's umask rules.
* **Atomic writes** (:func:`atomic_write`, :func:`atomic_output`): a random,
  ``O_EXCL`` temporary file (``tempfile.mkstemp``) in the target folder, fsync,
  ``os.replace`` (which replaces a planted link, never follows it), folder fsync.
  No fixed temporary names anywhere.
* **Safe opens** (:func:`open_regular`, :func:`read_bytes`, :func:`append`):
  ``O_NOFOLLOW | O_NONBLOCK`` and an ``fstat`` check that the file is a regular
  file; anything else raises :class:`UnsafeFile` naming the path (callers treat
  it like a corrupt file: never followed, never waited on).
* **Locks** (:class:`FolderLock`): ``flock`` on a folder gloss owns rather than
  on a lock file, so there is no lock file to delete or to plant: deleting
  files while writers run cannot break mutual exclusion. (A lock *file* checked
  after acquiring still leaves a window: a holder already past its check keeps
  writing while a second writer locks the recreated file.)
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

GROUP_RW = stat.S_IRGRP | stat.S_IWGRP
DIR_SHARED = stat.S_ISGID | stat.S_IRWXG
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
LOCK_POLL = 0.002  # seconds between attempts while another process holds a lock


class UnsafeFile(OSError):
    """A path that is not what gloss expects there (link, FIFO, device, folder…).

    ``path`` names it, ``reason`` says what it is; it is never followed or waited on.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EINVAL, reason, str(path))
        self.path = Path(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def kind(mode: int) -> str:
    """What a file of this mode is, in words ("a FIFO (named pipe)"…)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _not_regular(path: Path, mode: int) -> UnsafeFile:
    return UnsafeFile(path, f"is {kind(mode)}, not a regular file: not followed, left untouched")


# -- the caller's umask ---------------------------------------------------------------------------
_UMASK: int | None = None


def umask() -> int:
    """This process's umask (read without changing it where /proc allows)."""
    global _UMASK
    if _UMASK is None:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Umask:"):
                        _UMASK = int(line.split()[1], 8)
                        break
        except (OSError, ValueError):
            pass
        if _UMASK is None:
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
    return _UMASK


# -- shared mode ----------------------------------------------------------------------------------
def is_group_shared(mode: int) -> bool:
    """A folder mode that says "this folder belongs to a team": setgid, or group-writable
    without the sticky bit (``/tmp`` is everyone's, not a team's)."""
    if mode & stat.S_ISGID:
        return True
    return bool(mode & stat.S_IWGRP) and not mode & stat.S_ISVTX


class Sharing:
    """How files and folders created under one tree get their modes.

    ``shared``: group-shared tree (modes set explicitly, see module docstring);
    ``gid``: the group files should carry (the tree's group) when shared.
    """

    __slots__ = ("shared", "gid")

    def __init__(self, shared: bool = False, gid: int | None = None) -> None:
        self.shared = shared
        self.gid = gid

    def __repr__(self) -> str:
        return f"Sharing(shared={self.shared}, gid={self.gid})"

    @classmethod
    def for_tree(cls, folder: Path, levels: int = 1) -> Sharing:
        """Policy for a tree rooted at ``folder``: shared when ``folder`` or one of the
        ``levels`` folders above it (those that exist) is group-shared. A store is
        ``levels=1`` (itself or its corpus folder); a cache inside a store, 2."""
        folder = Path(folder)
        for candidate in [folder, *list(folder.parents)[:levels]]:
            try:
                st = os.stat(candidate)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and is_group_shared(st.st_mode):
                return cls(True, st.st_gid)
        return cls(False, None)

    # modes -------------------------------------------------------------------------------
    def file_mode(self, current: int = 0) -> int:
        """Permission bits a file should have (``current``: its bits now)."""
        base = current & 0o7777 if current else 0o666 & ~umask()
        return base | GROUP_RW if self.shared else base

    def dir_mode(self, current: int = 0) -> int:
        base = current & 0o7777 if current else 0o777 & ~umask()
        return base | DIR_SHARED if self.shared else base

    def fix_fd(self, fd: int, *, is_dir: bool = False) -> None:
        """Give an open file (or folder) the tree's mode and group; best effort
        (only the owner or root can change them)."""
        if not self.shared:
            return
        try:
            st = os.fstat(fd)
            if self.gid is not None and st.st_gid != self.gid:
                try:
                    os.fchown(fd, -1, self.gid)
                except OSError:
                    pass
            want = self.dir_mode(st.st_mode) if is_dir else self.file_mode(st.st_mode)
            if want != st.st_mode & 0o7777:
                os.fchmod(fd, want)
        except OSError:
            pass

    def fix_path(self, path: Path, *, is_dir: bool = False) -> None:
        """As :meth:`fix_fd` for a path, never following a link."""
        try:
            fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        except OSError:
            return
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode) == is_dir and (is_dir or stat.S_ISREG(st.st_mode)):
                self.fix_fd(fd, is_dir=is_dir)
        finally:
            os.close(fd)


PRIVATE = Sharing(False, None)


def make_dirs(folder: Path, sharing: Sharing = PRIVATE) -> None:
    """Create ``folder`` (and missing parents) with the tree's folder mode.

    An existing non-folder (or a link) at the name raises :class:`UnsafeFile`.
    """
    folder = Path(folder)
    missing: list[Path] = []
    p = folder
    while True:
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            missing.append(p)
            if p.parent == p:
                break
            p = p.parent
            continue
        if not stat.S_ISDIR(st.st_mode):
            if p == folder or not stat.S_ISLNK(st.st_mode):
                raise _not_regular_dir(p, st.st_mode)
        break
    for q in reversed(missing):
        _make_dir(q, sharing)


def _make_dir(folder: Path, sharing: Sharing) -> None:
    """Create one folder so that it appears with its final mode (a colleague's process
    never sees it half made): a random folder beside it, moded, then renamed."""
    tmp = tempfile.mkdtemp(prefix=f".{folder.name[:40]}.", dir=folder.parent)
    try:
        os.chmod(tmp, sharing.dir_mode())
        sharing.fix_path(Path(tmp), is_dir=True)
        os.rename(tmp, folder)
        return
    except OSError:
        try:
            os.rmdir(tmp)
        except OSError:
            pass
    st = os.lstat(folder)  # made by another process meanwhile (or a trap)
    if not stat.S_ISDIR(st.st_mode):
        raise _not_regular_dir(folder, st.st_mode)


def _not_regular_dir(path: Path, mode: int) -> UnsafeFile:
    return UnsafeFile(path, f"is {kind(mode)}, not a folder: not followed, left untouched")


# -- safe opens -----------------------------------------------------------------------------------
def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o666) -> int:
    """``os.open`` that never follows a link and never blocks on a FIFO; the fd is
    checked to be a regular file (:class:`UnsafeFile` otherwise). Raises
    FileNotFoundError/PermissionError as ``os.open`` does."""
    try:
        fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR, errno.ENOTDIR):
            try:
                st = os.lstat(path)
            except OSError:
                raise exc from None
            raise _not_regular(Path(path), st.st_mode) from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(Path(path), st.st_mode)
        if _NONBLOCK:
            fl = fcntl.fcntl(fd, fcntl.F_GETFL)
            fcntl.fcntl(fd, fcntl.F_SETFL, fl & ~_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file; None when it does not exist."""
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


@contextmanager
def open_read(path: Path) -> Iterator[IO[bytes]]:
    """A binary reader on a regular file (FileNotFoundError when missing)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        yield fh


def append(path: Path, blob: bytes, sharing: Sharing = PRIVATE) -> int:
    """Append ``blob`` to a regular file (created with the tree's mode); returns its size.

    The caller holds the lock of ``path``. A file this user may not append to
    (another user's file of an older gloss, or a umask-077 writer) is rewritten
    whole with the tree's mode when its folder allows it.
    """
    try:
        fd = open_regular(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    except PermissionError:
        old = read_bytes(path) or b""
        atomic_write(path, old + blob, sharing=sharing)
        return len(old) + len(blob)
    try:
        sharing.fix_fd(fd)
        view = memoryview(blob)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


# -- atomic writes --------------------------------------------------------------------------------
def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_output(
    path: Path, *, sharing: Sharing | None = None, fsync: bool = True, text: bool = False,
    mode: int | None = None,
) -> Iterator[Any]:
    """Write a new ``path`` through a file object; it replaces ``path`` only when the
    block ends without error (a random ``O_EXCL`` temporary name in the same
    folder, removed on error). ``sharing`` None: the policy of ``path``'s folder;
    ``mode``: exact permission bits instead (e.g. 0o600 for a private settings file)."""
    path = Path(path)
    folder = path.parent
    if sharing is None:
        sharing = Sharing.for_tree(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=folder)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        else:
            os.fchmod(fd, sharing.file_mode())
            sharing.fix_fd(fd)
        if text:
            fh: Any = os.fdopen(fd, "w", encoding="utf-8", newline="")
        else:
            fh = os.fdopen(fd, "wb")
        with fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if fsync:
        fsync_dir(folder)


def atomic_write(
    path: Path, data: bytes, *, sharing: Sharing | None = None, fsync: bool = True
) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, sharing=sharing, fsync=fsync) as fh:
        fh.write(data)


# -- locks ----------------------------------------------------------------------------------------
class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


class FolderLock:
    """Exclusive inter-process lock: ``flock`` on a folder's own descriptor.

    A folder that holds files cannot be removed, so (unlike a lock file) the
    lock cannot be deleted or replaced by a colleague while writers run. Each
    ``acquire`` opens its own descriptor, so two threads of one process exclude
    each other too. Not re-entrant.
    """

    def __init__(self, folder: Path, timeout: float = 30.0) -> None:
        self.folder = Path(folder)
        self.timeout = timeout
        self._fd: int | None = None

    def _open(self) -> int:
        try:
            fd = os.open(self.folder, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENXIO):
                try:
                    st = os.lstat(self.folder)
                except OSError:
                    raise exc from None
                raise _not_regular_dir(self.folder, st.st_mode) from None
            raise
        st = os.fstat(fd)
        if not stat.S_ISDIR(st.st_mode):
            os.close(fd)
            raise _not_regular_dir(self.folder, st.st_mode)
        return fd

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock; False when ``timeout`` 0 and it is held, LockTimeout when
        another process holds it longer than ``timeout`` seconds."""
        wait = self.timeout if timeout is None else timeout
        fd = self._open()
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if wait <= 0:
                    os.close(fd)
                    return False
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(errno.EAGAIN, "lock held by another process",
                                      str(self.folder)) from None
                time.sleep(LOCK_POLL)
            except BaseException:
                os.close(fd)
                raise
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops the flock

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
