"""The one function that creates the passage index's files (until the project's shared
atomic-write helper, ``annotations/safeio.py``, replaces it).

A file is written to a fresh temporary name in its folder (``O_EXCL``, never a
fixed name another process or a planted link could hold), made readable and
writable by the group (the cache is shared by a team), flushed and then renamed
over the target: a reader sees the old file or the new one, never a part.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

SHARED_MODE = 0o664  # before the umask... and after it: the group must read the cache


def write_atomic(path: Path, fill: Callable[[BinaryIO], None]) -> None:
    """Create or replace ``path`` with what ``fill(file)`` writes."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, SHARED_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
