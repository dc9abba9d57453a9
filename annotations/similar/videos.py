"""Which documents are one video (the ``.txt`` and ``.vtt`` files of the same video).

Until the corpus merges such twins into one document, similar-passage results
treat two documents as the same video when they share the same file name
without its extension (in the same folder), or, for a captions file with no
video id of its own and no transcript of the same name, the same normalised
title as exactly one transcript;
two documents with different video ids are never one video, whatever their
titles (news titles repeat). :class:`VideoGroups` is the one place that
decides; replace it when the corpus gives one document per video.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_NON_WORD = re.compile(r"[\W_]+")


def _stem(rel_path: str) -> str:
    head, _, name = rel_path.replace("\\", "/").rpartition("/")
    base = name.rsplit(".", 1)[0] if "." in name else name
    return (head + "/" + base).lower()


def _title(title: str) -> str:
    return _NON_WORD.sub(" ", title.lower()).strip()


class VideoGroups:
    """``video_of(key)``: one id per video for the documents of a corpus."""

    def __init__(self, infos: Iterable[Any]) -> None:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        keys = []
        with_id: dict[str, list[str]] = {}
        without_id: dict[str, list[str]] = {}
        for info in infos:
            k = "doc:" + info.key
            keys.append(k)
            union(k, "stem:" + _stem(info.rel_path))
            title = _title(getattr(info, "title", "") or "")
            if title:
                has_id = info.key != info.rel_path
                (with_id if has_id else without_id).setdefault(title, []).append(k)
        stems_with_id = {find(k) for ks in with_id.values() for k in ks}
        for title, loose in without_id.items():
            ids = with_id.get(title, [])
            for k in loose:
                if find(k) in stems_with_id:
                    continue  # its file name already names its transcript
                if len(ids) == 1:  # only when the title names one transcript
                    union(k, ids[0])
                    stems_with_id.add(find(k))
        self._of = {k[4:]: find(k) for k in keys}
        self._keys: dict[str, list[str]] = {}
        for key, video in self._of.items():
            self._keys.setdefault(video, []).append(key)

    def video_of(self, key: str) -> str:
        return self._of.get(key, "doc:" + key)

    def keys_of(self, key: str) -> list[str]:
        """The documents of the video of document ``key`` (itself included)."""
        return self._keys.get(self.video_of(key), [key])

    def same(self, a: str, b: str) -> bool:
        return self.video_of(a) == self.video_of(b)
