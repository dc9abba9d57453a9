"""Annotation store: one TinyDB file per document, locked writes, atomic replace, index.

``open_store(corpus_root, store_dir=None) -> (AnnotationStore, note | None)``.
"""

from annotations.store.errors import AnnotationNotFound, InvalidAnnotation, StoreError
from annotations.store.location import STORE_DIR_NAME, fallback_dir, open_store, store_location
from annotations.store.store import AnnotationStore, MergeResult

__all__ = [
    "STORE_DIR_NAME",
    "AnnotationNotFound",
    "AnnotationStore",
    "InvalidAnnotation",
    "MergeResult",
    "StoreError",
    "fallback_dir",
    "open_store",
    "store_location",
]
