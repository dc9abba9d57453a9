"""Filtering annotations with the one filter (annotations/filters.py), 100,000 annotations.

A corpus-wide filter (an annotation board, `gloss annotations QUERY`, export) runs the
query over every annotation. Baseline, measured in the same run: the sidebar's former
matching loop (lower-casing and splitting the query and joining each annotation's fields
on every call), which the shared filter replaced.
"""

from __future__ import annotations

import random
import time

from annotations.annotation import Annotation
from annotations.filters import AnnotationFilter
from bench.common import Row, quick
from bench.vocab import CITIES, COUNTRIES, FIRST, ROLES

QUERIES = ("levee", "tag:claim", "tag:claim verdict:false", "author:maria -tag:done",
           "minister tag:gaza*", "since:2026-06-01")
VERDICTS = ("unverified", "true", "mostly true", "misleading", "needs context", "false")
TAGS = ("claim", "done", "gaza", "gaza-strip", "un", "economy", "health", "quote")


def _annotations(n: int) -> list[Annotation]:
    rnd = random.Random(11)
    out = []
    for i in range(n):
        quote = f"{rnd.choice(ROLES)} said {rnd.choice(CITIES)} and {rnd.choice(COUNTRIES)}"
        if i % 50 == 0:
            quote += " before the levee broke"
        day = f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T10:00:00.000000Z"
        out.append(Annotation(f"doc{i // 20:05d}", 0, len(quote), quote, id=str(i),
                              tags=rnd.sample(TAGS, rnd.randint(0, 3)),
                              verdict=rnd.choice(VERDICTS), author=rnd.choice(FIRST).lower(),
                              note="check the figure" if i % 7 == 0 else "",
                              created=day, updated=day))
    return out


def _old_matches(text: str, ann: Annotation) -> bool:
    """The sidebar's matching before the shared filter (substring semantics)."""
    for word in text.lower().split():
        field, _, value = word.partition(":")
        if value and field == "tag":
            if not any(value in t.lower() for t in ann.tags):
                return False
        elif value and field == "verdict":
            if value not in ann.verdict.lower().replace(" ", "-") and value not in ann.verdict:
                return False
        elif value and field == "author":
            if value not in ann.author.lower():
                return False
        else:
            hay = " ".join([ann.quote, ann.note, ann.verdict, ann.author, *ann.tags]).lower()
            if word not in hay:
                return False
    return True


def run() -> list[Row]:
    n = 20_000 if quick() else 100_000
    anns = _annotations(n)
    ours, old, kept = [], [], []
    for q in QUERIES:
        t = time.perf_counter()
        flt = AnnotationFilter.parse(q)
        kept.append(sum(1 for a in anns if flt.matches(a)))
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        sum(1 for a in anns if _old_matches(q, a))
        old.append(time.perf_counter() - t)
    worst, base = max(ours) * 1000, max(old) * 1000
    return [
        Row(f"filter {n:,} annotations, slowest of {len(QUERIES)} queries", worst, "ms",
            "<= 250 ms", worst <= 250, "former sidebar matching (slowest)", base,
            f"kept {'/'.join(f'{k:,}' for k in kept)}; queries: {'; '.join(QUERIES)}"),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
