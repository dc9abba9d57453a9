"""Video times as text: the one formatter (reports, sidebar, status line, citations).

(Created by the ``cite`` branch; helper ``cli`` merges the older formatters into it.)
"""

from __future__ import annotations

import math


def clock(seconds: float | None, *, long: bool = False) -> str:
    """``252.4`` → ``'4:12'`` (``'1:04:12'`` past an hour; ``long``: ``'00:04:12'``);
    ``None`` or a bad value → ``''``."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return ""
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if long:
        return f"{h:02d}:{m:02d}:{sec:02d}"
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def span(start: float | None, end: float | None, *, long: bool = False) -> str:
    """``'4:12–4:19'``; one time when both round to the same second; ``''`` when unknown."""
    a, b = clock(start, long=long), clock(end, long=long)
    if not a:
        return ""
    return a if not b or a == b else f"{a}–{b}"
