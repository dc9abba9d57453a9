"""Corpus full-text search (Textual-free).

* :mod:`.tokens`   the one tokenizer: folded tokens with exact raw spans
* :mod:`.query`    the query language -> a small tree; ``QueryError`` for bad input
* :mod:`.engine`   the ``SearchIndex`` protocol any engine implements
* :mod:`.sqlite_index`  SQLite FTS5 engine (``<store>/search.sqlite``)
* :mod:`.build`    full and incremental indexing (fingerprints), child-process entry
* :mod:`.locate`   hits inside one document (raw spans; repaired text mapped back)
* :mod:`.kwic`     concordance lines, sorting, counts per channel and month
* :mod:`.service`  ``Searcher``: query -> documents -> hits
"""
