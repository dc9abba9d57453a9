"""``python tests/tui/guard_launcher.py PATH STORE PIDFILE [stuck]``: gloss with a busy index worker.

For the terminal-guard tests: once the app has started its background work it
starts a real index worker process (``python -m annotations.similar.worker``)
that never finishes on its own (it holds the write end of its own input pipe,
like a worker in the middle of a long shard), and writes its pid to PIDFILE.
With ``stuck``, a thread worker that never returns runs too (like an in-process
index build of a huge corpus): Python would wait for it at exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.app import GlossApp  # noqa: E402


class AppWithWorker(GlossApp):
    pid_file: Path
    stuck = False

    def on_ready(self) -> None:  # runs besides GlossApp.on_ready (Textual calls each class's)
        r, w = os.pipe()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        worker = subprocess.Popen([sys.executable, "-m", "annotations.similar.worker"],
                                  stdin=r, pass_fds=(w,), env=env)
        os.close(r)
        os.close(w)
        if self.stuck:
            self.run_worker(self.never_done, thread=True, name="stuck")
        self.pid_file.write_text(str(worker.pid))

    def never_done(self) -> None:
        while True:
            time.sleep(0.2)


def main() -> int:
    path, store, pid_file = sys.argv[1], sys.argv[2], sys.argv[3]
    app = AppWithWorker(Path(path), store_dir=Path(store))
    app.pid_file = Path(pid_file)
    app.stuck = sys.argv[4:] == ["stuck"]
    return int(app.run() or 0)


if __name__ == "__main__":
    sys.exit(main())
