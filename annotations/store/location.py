"""Where a corpus's annotation store lives, and opening it.

Order: ``--store DIR``, then ``$GLOSS_STORE``, then ``<corpus>/.gloss``.

A ``.gloss`` that exists is always the store, even when this user cannot write
it: the note then names its owner, mode and the fix, and the store refuses
writes (a team is never split into private stores silently). Only when there is
no ``.gloss`` and the corpus folder cannot be written does the store go to the
user data folder (``platformdirs``), one sub-folder per corpus (slug + hash of
its path), and the note says so.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from annotations import access, safeio
from annotations.store.errors import StoreError
from annotations.store.files import is_read_only
from annotations.store.store import AnnotationStore

STORE_DIR_NAME = ".gloss"


def fallback_dir(corpus_root: Path) -> Path:
    """Per-corpus store folder in the user data folder."""
    resolved = str(corpus_root.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", corpus_root.resolve().name).strip("-")[:40] or "corpus"
    import platformdirs  # only on the fallback path: keeps start-up light

    return platformdirs.user_data_path("gloss", appauthor=False) / "stores" / f"{slug}-{digest}"


def _usable(folder: Path) -> bool:
    """Create ``folder`` if needed; True when it can be written."""
    try:
        safeio.make_dirs(folder, safeio.Sharing.for_tree(folder))
    except OSError:
        return False
    return not is_read_only(folder)


def store_location(corpus_root: Path, store_dir: Path | None = None) -> tuple[Path, str | None]:
    """(store folder, note or None). Does not create the default folder's contents."""
    explicit = store_dir if store_dir is not None else os.environ.get("GLOSS_STORE") or None
    if explicit is not None:
        folder = Path(explicit).expanduser()
        if not folder.exists():
            try:
                safeio.make_dirs(folder, safeio.Sharing.for_tree(folder))
            except OSError as exc:
                raise StoreError(folder, f"cannot create store folder: {exc.strerror}") from exc
        if not folder.is_dir():
            raise StoreError(folder, "store path is not a folder")
        if is_read_only(folder):
            return (
                folder,
                f"Annotation store {folder} is read-only: annotations can be read, not changed.",
            )
        return folder, None
    root = corpus_root if corpus_root.is_dir() else corpus_root.parent
    default = root / STORE_DIR_NAME
    if default.is_symlink() or (os.path.lexists(default) and not default.is_dir()):
        raise StoreError(default, "is not a folder (a link or a file): not followed; "
                         "remove it, or pass --store DIR")
    if default.is_dir():
        why = access.who_can_fix(default)
        return default, (f"Annotations are read-only: {why}" if why else None)
    if access.who_can_fix(root) is None and _usable(default):
        return default, None
    fallback = fallback_dir(root)
    if not _usable(fallback):
        raise StoreError(fallback, "cannot create the fallback store folder")
    return fallback, (f"Annotations are stored privately in {fallback}: corpus folder {root} "
                      "is not writable (colleagues will not see them).")


def open_store(
    corpus_root: Path, store_dir: Path | None = None, *, fsync: bool = True
) -> tuple[AnnotationStore, str | None]:
    """Open (creating if needed) the store for ``corpus_root``; returns (store, note)."""
    folder, note = store_location(Path(corpus_root), store_dir)
    store = AnnotationStore(folder, fsync=fsync)
    if note and store.status is None:
        store.status = note
    return store, store.status or note
