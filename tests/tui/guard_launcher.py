"""``python tests/tui/guard_launcher.py PATH --store DIR PIDFILE``: gloss with a busy index worker.

For the terminal-guard tests: once the app has started its background work it
starts a real index worker process (``python -m annotations.similar.worker``)
that never finishes on its own (it holds the write end of its own input pipe,
like a worker in the middle of a long shard), and writes its pid to PIDFILE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.app import GlossApp  # noqa: E402


class AppWithWorker(GlossApp):
    pid_file: Path

    def start_background(self) -> None:
        super().start_background()
        r, w = os.pipe()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        worker = subprocess.Popen([sys.executable, "-m", "annotations.similar.worker"],
                                  stdin=r, pass_fds=(w,), env=env)
        os.close(r)
        os.close(w)
        self.pid_file.write_text(str(worker.pid))


def main() -> int:
    path, store, pid_file = sys.argv[1], sys.argv[2], sys.argv[3]
    app = AppWithWorker(Path(path), store_dir=Path(store))
    app.pid_file = Path(pid_file)
    return int(app.run() or 0)


if __name__ == "__main__":
    sys.exit(main())
