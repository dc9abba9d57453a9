"""Tags: one normal form, compared without case, shown as first used.

* :func:`normalise_tag` cleans what a user typed: surrounding space and leading ``#``
  removed (``#gaza`` and ``##gaza`` are ``gaza``), inner whitespace runs become one ``-``
  (``human rights`` is ``human-rights``, so ``tag:human-rights`` needs no quotes),
  control characters dropped. Case is kept. Empty means "no tag".
* :func:`tag_key` is what two tags are compared by: the normal form, casefolded
  (``UN``, ``un`` and ``#Un`` are one tag).
* :func:`merge_tags` turns typed tags into the list to store: normalised, duplicates
  (by key) dropped, and each spelled as the store already spells it (the display case
  of the first use wins, so a store never grows ``UN`` beside ``un``).

Every path that writes tags (the app's tag dialog, ``gloss annotate --tag``, import,
rename) goes through :func:`merge_tags`; filters compare with :func:`tag_key`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e]")


def normalise_tag(text: str) -> str:
    """``text`` as a tag: no leading ``#``, inner spaces as ``-``, no control characters."""
    return "-".join(_CONTROL.sub(" ", text).strip().lstrip("#").split())


@lru_cache(maxsize=16384)
def tag_key(text: str) -> str:
    """The comparison key of a tag: normal form, casefolded (cached: tags repeat)."""
    return normalise_tag(text).casefold()


def merge_tags(typed: Iterable[str], known: Iterable[str] = ()) -> list[str]:
    """Tags to store for ``typed``, spelled as in ``known`` (store-wide tags) when there.

    Order of first appearance is kept; tags equal by :func:`tag_key` appear once.
    """
    spelling: dict[str, str] = {}
    for tag in known:
        spelling.setdefault(tag_key(tag), normalise_tag(tag))
    out: dict[str, str] = {}
    for tag in typed:
        clean = normalise_tag(tag)
        if clean:
            key = clean.casefold()
            out.setdefault(key, spelling.get(key, clean))
    return list(out.values())
