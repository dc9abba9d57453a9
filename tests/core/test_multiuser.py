"""A team on one server: real Unix users (gloss_alice, gloss_bob in group gloss_team)
sharing one store. Run as root (CI does); skipped with the reason otherwise.

Users' processes are started with ``subprocess`` ``user=``/``group=``/
``extra_groups=``/``umask=``, running a small worker script (written into a
folder every user can read) with an interpreter every user can execute.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEAM = "gloss_team"
USERS = ("gloss_alice", "gloss_bob")
GUARD = 300  # seconds: a stuck process fails the test instead of hanging the suite

WORKER = r'''
import sys, json
from pathlib import Path
cmd, corpus = sys.argv[1], Path(sys.argv[2])
if cmd == "insert":
    from annotations.annotation import Annotation
    from annotations.store import open_store
    import annotations.store.index as index_mod
    who, spread, n, compact = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    if compact:
        index_mod.COMPACT_BYTES = compact
    store, note = open_store(corpus, fsync=False)
    for i in range(n):
        q = f"{who} {i}"
        a = store.add(Annotation(doc_key=f"doc-{i % spread}", raw_start=i, raw_end=i + len(q),
                                 quote=q, author=who))
        print(a.id, flush=True)
elif cmd == "ids":
    from annotations.store import open_store
    store, note = open_store(corpus)
    print(json.dumps({"ids": [a.id for a in store.iter_all()], "counts": store.counts(),
                      "skipped": store.skipped, "note": note}))
elif cmd == "similar":
    from annotations.corpus import Corpus
    from annotations.similar.index import PassageIndex
    c = Corpus(corpus)
    rows = list(c.scan())
    PassageIndex.open(c, workers=1)
    from annotations.search.build import open_index, sync
    index = open_index(corpus / ".gloss")
    sync(c.root, c.infos, index)
    index.close()
    print(json.dumps({i.rel_path: i.error for i in rows}))
elif cmd == "cli":
    from tui.cli import main
    sys.exit(main(sys.argv[2:]))
'''


@dataclass
class Team:
    base: Path
    python: str
    pythonpath: str
    gid: int
    uids: dict[str, int]

    def run(self, user: str, *args: str, umask: int = 0o022) -> subprocess.Popen[str]:
        import pwd

        pw = pwd.getpwnam(user)
        home = self.base / f"home-{user}"
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": self.pythonpath, "HOME": str(home),
               "USER": user, "LOGNAME": user, "XDG_DATA_HOME": str(home / "data"),
               "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        return subprocess.Popen(
            [self.python, "-P", str(self.base / "worker.py"), *args], env=env,
            user=pw.pw_uid, group=pw.pw_gid, extra_groups=[self.gid], umask=umask,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(self.base))

    def call(self, user: str, *args: str, umask: int = 0o022) -> tuple[int, str, str]:
        p = self.run(user, *args, umask=umask)
        out, err = p.communicate(timeout=GUARD)
        return p.returncode, out, err

    def corpus(self, name: str, mode: int = 0o2775, owner: str | None = None) -> Path:
        path = self.base / name
        path.mkdir()
        (path / "a.txt").write_text("The levee held through the night, officials said. " * 8)
        (path / "b.txt").write_text("Crews worked to clear the road before the storm. " * 8)
        for p in (path, path / "a.txt", path / "b.txt"):
            os.chown(p, self.uids[owner] if owner else 0, self.gid)
        path.chmod(mode)
        for f in ("a.txt", "b.txt"):
            (path / f).chmod(0o664)
        return path


def _interpreter(candidates: list[str], pythonpath: str, uid: int, gid: int) -> str | None:
    for py in candidates:
        if not os.path.exists(py):
            continue
        try:
            r = subprocess.run([py, "-P", "-c", "import sys, annotations.store, rapidfuzz, tinydb; "
                                "print(sys.version_info[:2])"], env={"PYTHONPATH": pythonpath},
                               user=uid, group=gid, capture_output=True, text=True, timeout=60,
                               cwd="/")
        except (OSError, subprocess.SubprocessError):
            continue
        if r.returncode == 0 and r.stdout.strip() == str(tuple(sys.version_info[:2])):
            return py
    return None


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("multi-user tests need root (to create Unix users)")
    if not (shutil.which("useradd") and shutil.which("groupadd")):
        pytest.skip("multi-user tests need useradd and groupadd")
    import grp
    import pwd
    import site

    try:
        grp.getgrnam(TEAM)
    except KeyError:
        subprocess.run(["groupadd", TEAM], check=True)
    gid = grp.getgrnam(TEAM).gr_gid
    for user in USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "-M", "-G", TEAM, "-s", "/bin/sh", user], check=True)
    uids = {u: pwd.getpwnam(u).pw_uid for u in USERS}
    base = Path(tempfile.mkdtemp(prefix="gloss-team-", dir="/tmp"))
    base.chmod(0o755)
    (base / "worker.py").write_text(WORKER)
    for user in USERS:
        home = base / f"home-{user}"
        home.mkdir()
        os.chown(home, uids[user], -1)
        home.chmod(0o700)
    pythonpath = os.pathsep.join([str(ROOT), *site.getsitepackages()])
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [sys.executable, os.path.realpath(sys.executable), f"/usr/bin/python{ver}",
                  f"/usr/local/bin/python{ver}"]
    py = _interpreter(candidates, pythonpath, uids[USERS[0]], gid)
    if py is None:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"no Python {ver} with gloss's dependencies that the test users can run "
                    f"(the repository and its packages must be readable by other users)")
    yield Team(base, py, pythonpath, gid, uids)
    shutil.rmtree(base, ignore_errors=True)


def _insert_all(team: Team, corpus: Path, jobs: list[tuple[str, int]], spread: int,
                each: int = 50, compact: int = 0) -> list[str]:
    procs = [team.run(user, "insert", str(corpus), f"{user}-{i}", str(spread), str(each),
                      str(compact), umask=mask) for i, (user, mask) in enumerate(jobs)]
    acked: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=GUARD)
        assert p.returncode == 0, err
        assert "Traceback" not in err and "privately" not in err, err
        acked += out.split()
    return acked


def _seen_by(team: Team, corpus: Path, user: str) -> set[str]:
    import json

    code, out, err = team.call(user, "ids", str(corpus))
    assert code == 0, err
    data = json.loads(out)
    assert data["skipped"] == [] and data["note"] is None, data
    return set(data["ids"])


def _assert_team_can_write(team: Team, store: Path) -> None:
    paths = [store, *store.rglob("*")]
    assert len(paths) >= 4
    for p in paths:
        st = p.lstat()
        assert st.st_gid == team.gid, f"{p}: group {st.st_gid}"
        if stat.S_ISDIR(st.st_mode):
            assert st.st_mode & 0o2070 == 0o2070, f"{p}: {stat.S_IMODE(st.st_mode):o}"
        else:
            assert stat.S_ISREG(st.st_mode), p
            assert st.st_mode & 0o060 == 0o060, f"{p}: {stat.S_IMODE(st.st_mode):o}"


@pytest.mark.parametrize("spread", [1, 7], ids=["one-document", "across-documents"])
def test_two_users_umask_022_share_one_store(team: Team, spread: int) -> None:
    corpus = team.corpus(f"c022-{spread}")
    jobs = [(u, 0o022) for u in USERS for _ in range(4)]
    acked = _insert_all(team, corpus, jobs, spread)
    assert len(acked) == 400 == len(set(acked))
    for user in USERS:
        assert _seen_by(team, corpus, user) == set(acked)
    _assert_team_can_write(team, corpus / ".gloss")


def test_mixed_umasks_077_022_002(team: Team) -> None:
    corpus = team.corpus("cmixed")
    jobs = [("gloss_alice", 0o077), ("gloss_bob", 0o022), ("gloss_alice", 0o002),
            ("gloss_bob", 0o077)]
    acked = _insert_all(team, corpus, jobs, 3)
    assert len(acked) == 200
    for user in USERS:
        assert _seen_by(team, corpus, user) == set(acked)
    _assert_team_can_write(team, corpus / ".gloss")


def test_index_compaction_by_one_user_leaves_the_store_writable(team: Team) -> None:
    corpus = team.corpus("ccompact")
    first = _insert_all(team, corpus, [("gloss_alice", 0o077)], 2, each=20, compact=1)
    (corpus / ".gloss" / "index.log").chmod(0o600)  # as an older gloss left it
    then = _insert_all(team, corpus, [("gloss_bob", 0o022), ("gloss_alice", 0o022)], 2,
                       each=20)
    assert len(set(first + then)) == 60
    for user in USERS:
        assert _seen_by(team, corpus, user) == set(first + then)
    _assert_team_can_write(team, corpus / ".gloss")


def test_store_another_user_cannot_write_is_named_and_untouched(team: Team) -> None:
    corpus = team.corpus("cprivate", mode=0o755, owner="gloss_alice")
    acked = _insert_all(team, corpus, [("gloss_alice", 0o022)], 1, each=3)
    store = corpus / ".gloss"
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    code, out, err = team.call("gloss_bob", "cli", "annotate", str(corpus), "--doc", "a.txt",
                               "--quote", "levee")
    assert code != 0 and out == ""
    line = " ".join(err.split())
    assert "owned by gloss_alice" in line and "mode 0755" in line, err
    assert "ask gloss_alice to run gloss store fix" in line, err
    assert {p: p.read_bytes() for p in store.rglob("*") if p.is_file()} == before
    assert not (team.base / "home-gloss_bob" / "data" / "gloss").exists()  # no private store
    code, out, err = team.call("gloss_bob", "ids", str(corpus))
    assert code == 0 and len(acked) == 3


def test_link_to_another_users_private_file_leaks_nowhere(team: Team) -> None:
    corpus = team.corpus("cleak")
    secret_dir = team.base / "home-gloss_alice" / "private"
    secret_dir.mkdir()
    secret = secret_dir / "notes.txt"
    secret.write_text("payrollsecretqz the source's home address is on file. " * 10)
    own = corpus / "alice-draft.txt"
    own.write_text("draftsecretqz not for the team yet, the draft says. " * 10)
    for p in (secret_dir, secret, own):
        os.chown(p, team.uids["gloss_alice"], -1)
    secret_dir.chmod(0o700)
    secret.chmod(0o600)
    own.chmod(0o600)
    (corpus / "leak.txt").symlink_to(secret)
    code, out, err = team.call("gloss_alice", "similar", str(corpus))
    assert code == 0, err
    import json

    rows = json.loads(out)
    assert rows["leak.txt"] == "link outside the corpus" and rows["a.txt"] is None
    store_files = [p for p in (corpus / ".gloss").rglob("*") if p.is_file()]
    assert any(p.name.startswith("shard-") for p in store_files)
    assert any(p.name.startswith("search.sqlite") for p in store_files)
    for p in store_files:
        blob = p.read_bytes()
        assert b"payrollsecretqz" not in blob and b"draftsecretqz" not in blob, p
    assert any(b"levee" in p.read_bytes() for p in store_files)  # the index did index
