"""Who may read or write what, in words a person can act on.

``why_unwritable``/``who_can_fix`` name a folder's owner, group, mode and the fix
(``ask alice to run gloss store fix``); ``team_readable`` says whether a colleague
could read a file themselves (checked before its text is copied into a shared
cache). Companion of :mod:`annotations.safeio`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def why_unwritable(path: Path) -> str | None:
    """None when this user may create and replace files in folder ``path``; else why
    not, naming owner, group, mode and the fix (without the path)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if os.access(path, os.W_OK | os.X_OK) and st.st_mode & 0o222:
        return None
    owner = owner_name(st.st_uid)
    mode = f"{stat.S_IMODE(st.st_mode):04o}"
    fix = "run gloss store fix" if st.st_uid == os.geteuid() else f"ask {owner} to run gloss store fix"
    return (f"read-only for you (owned by {owner}, group {group_name(st.st_gid)}, mode {mode}): "
            f"{fix}")


def who_can_fix(path: Path) -> str | None:
    """:func:`why_unwritable` as a sentence that starts with the path."""
    why = why_unwritable(path)
    return None if why is None else f"{path} is {why}"


def team_readable(path: Path, root: Path, gid: int | None) -> bool:
    """True when a member of group ``gid`` (or anyone) could read ``path`` themselves:
    the file readable by the group or others, and every folder from ``root`` down to
    it searchable. Used before copying a document's text into a shared file."""

    def ok(st: os.stat_result, read: int, other: int) -> bool:
        return bool(st.st_mode & other) or (st.st_gid == gid and bool(st.st_mode & read))

    try:
        st = os.stat(path)
    except OSError:
        return False
    if not ok(st, stat.S_IRGRP, stat.S_IROTH):
        return False
    path, root = Path(path), Path(root)
    folder = path.parent
    while True:
        try:
            dst = os.stat(folder)
        except OSError:
            return False
        if not ok(dst, stat.S_IXGRP, stat.S_IXOTH):
            return False
        if folder == root or folder.parent == folder or not folder.is_relative_to(root):
            return True
        folder = folder.parent
