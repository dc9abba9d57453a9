"""``gloss store check`` / ``gloss store fix``: can every team member use the store?

:func:`check` walks the store folder (never following links) and lists every
entry a member of the store's group could not read or write: files without
``g+rw`` or of another group, folders without setgid and ``g+rwx``, and
anything that is not a regular file or folder (a link or FIFO planted at a name
gloss uses). :func:`fix` repairs the modes and group of the entries the caller
owns (root: all of them) and removes links/FIFOs/sockets from the store.

A store whose corpus folder is not group-shared is private by design: it is
reported as such, with the command that shares it (README, "Team setup").
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from annotations import access, safeio

WANT_FILE = stat.S_IRGRP | stat.S_IWGRP
WANT_DIR = stat.S_ISGID | stat.S_IRWXG


@dataclass(slots=True)
class Entry:
    """One store entry a team member could not use, and why."""

    path: Path
    owner: str
    group: str
    mode: int
    why: str
    uid: int = -1

    def line(self, root: Path) -> str:
        rel = self.path.relative_to(root) if self.path != root else Path(".")
        return (f"{rel}  owner {self.owner}, group {self.group}, mode "
                f"{stat.S_IMODE(self.mode):04o}: {self.why}")


@dataclass(slots=True)
class Report:
    root: Path
    exists: bool = True
    shared: bool = False
    owner: str = ""
    group: str = ""
    mode: int = 0
    corpus: Path | None = None
    corpus_mode: int = 0
    corpus_group: str = ""
    files: int = 0
    folders: int = 0
    problems: list[Entry] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)  # filled by fix()
    left: list[str] = field(default_factory=list)  # fix() could not change these

    @property
    def ok(self) -> bool:
        return self.exists and not self.problems

    def lines(self) -> list[str]:
        """The report for a terminal (plain text; paths made visible by the caller)."""
        if not self.exists:
            return [f"Store: {self.root} (does not exist yet: created by the first annotation)"]
        kind = f"shared with group {self.group}" if self.shared else "private"
        out = [f"Store: {self.root} ({kind})",
               f"  owner {self.owner}, group {self.group}, mode {stat.S_IMODE(self.mode):04o}; "
               f"{self.files} files, {self.folders} folders"]
        if self.corpus is not None:
            cm = stat.S_IMODE(self.corpus_mode)
            shared = "group-shared" if safeio.is_group_shared(self.corpus_mode) else "not shared"
            out.append(f"Corpus folder: {self.corpus} (group {self.corpus_group}, mode {cm:04o}, "
                       f"{shared})")
        if not self.shared:
            out.append("  Only its owner writes it. To share it with a team (README, Team "
                       "setup): chgrp -R TEAM CORPUS; chmod 2775 CORPUS; gloss store fix CORPUS")
        for line in self.fixed:
            out.append(f"fixed: {line}")
        for line in self.left:
            out.append(f"not fixed: {line}")
        if self.problems:
            n = len(self.problems)
            out.append(f"{n} entr{'y' if n == 1 else 'ies'} a team member cannot use:")
            out += [f"  {e.line(self.root)}" for e in self.problems]
        elif self.shared:
            out.append(f"OK: every file and folder can be read and written by group {self.group}.")
        return out


def _problem(path: Path, st: os.stat_result, gid: int | None, is_root: bool) -> str | None:
    mode = st.st_mode
    if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return f"{safeio.kind(mode)} where gloss expects a file: never followed (fix removes it)"
    if gid is not None and st.st_gid != gid:
        return f"group is not {access.group_name(gid)}"
    if stat.S_ISDIR(mode):
        missing = WANT_DIR & ~mode
        if missing & stat.S_IRWXG:
            return "group cannot create files in it (needs g+rwx)"
        if missing & stat.S_ISGID:
            return "not setgid: new files would get their creator's group"
        return None
    if not mode & stat.S_IRGRP:
        return "group cannot read it"
    if not mode & stat.S_IWGRP:
        return "group cannot write it"
    return None


def check(root: Path) -> Report:
    """What stops a member of the store's group from using the store at ``root``."""
    root = Path(root)
    report = Report(root=root)
    corpus = root.parent
    try:
        cst = os.stat(corpus)
        report.corpus, report.corpus_mode = corpus, cst.st_mode
        report.corpus_group = access.group_name(cst.st_gid)
    except OSError:
        pass
    try:
        st = os.lstat(root)
    except FileNotFoundError:
        report.exists = False
        return report
    report.owner, report.group = access.owner_name(st.st_uid), access.group_name(st.st_gid)
    report.mode = st.st_mode
    sharing = safeio.Sharing.for_tree(root)
    report.shared = sharing.shared
    gid = sharing.gid if sharing.shared else None
    if sharing.shared and gid is not None:
        report.group = access.group_name(gid)
    for path, pst in _walk(root):
        if stat.S_ISDIR(pst.st_mode):
            report.folders += 1
        else:
            report.files += 1
        if not sharing.shared and not (stat.S_ISLNK(pst.st_mode)
                                       or not (stat.S_ISREG(pst.st_mode)
                                               or stat.S_ISDIR(pst.st_mode))):
            continue  # a private store: modes are its owner's business
        why = _problem(path, pst, gid, path == root)
        if why is not None:
            report.problems.append(Entry(path, access.owner_name(pst.st_uid),
                                         access.group_name(pst.st_gid), pst.st_mode, why,
                                         pst.st_uid))
    return report


def _walk(root: Path) -> list[tuple[Path, os.stat_result]]:
    """Every entry under ``root`` (itself included), links not followed."""
    out: list[tuple[Path, os.stat_result]] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.lstat(folder)
        except OSError:
            continue
        out.append((folder, st))
        if not stat.S_ISDIR(st.st_mode):
            continue
        try:
            with os.scandir(folder) as it:
                names = sorted(e.name for e in it)
        except OSError:
            continue
        for name in names:
            path = folder / name
            try:
                est = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISDIR(est.st_mode):
                stack.append(path)
            else:
                out.append((path, est))
    return out


def fix(root: Path) -> Report:
    """Repair what :func:`check` finds, for entries the caller owns (root: all).

    Files get ``g+rw`` and the store's group, folders setgid + ``g+rwx``; links,
    FIFOs and sockets in the store are removed (gloss never makes them). Returns
    the check made afterwards, with ``fixed`` and ``left`` filled in.
    """
    root = Path(root)
    before = check(root)
    me = os.geteuid()
    fixed: list[str] = []
    left: list[str] = []
    if before.exists:
        sharing = safeio.Sharing.for_tree(root)
        for e in before.problems:
            rel = e.line(root).split("  ")[0]
            mode = e.mode
            if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                try:
                    os.unlink(e.path)
                    fixed.append(f"{rel}: removed ({safeio.kind(mode)})")
                except OSError as exc:
                    left.append(f"{rel}: cannot remove: {exc.strerror or exc}")
                continue
            if me != 0 and e.uid != me:
                left.append(f"{rel}: owned by {e.owner}: ask {e.owner} to run gloss store fix")
                continue
            if sharing.shared:
                sharing.fix_path(e.path, is_dir=stat.S_ISDIR(mode))
                try:
                    now = os.lstat(e.path)
                except OSError:
                    continue
                if _problem(e.path, now, sharing.gid, e.path == root) is None:
                    fixed.append(f"{rel}: mode {stat.S_IMODE(now.st_mode):04o}, group "
                                 f"{access.group_name(now.st_gid)}")
                else:
                    left.append(f"{rel}: could not change its mode or group")
    after = check(root)
    after.fixed, after.left = fixed, left
    return after
