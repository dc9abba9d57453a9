"""One document per video: twin pairing on ../shared/corpus (38 pairs by MANIFEST.tsv).

Truth: the corpus README says every ``<slug>.txt`` has its ``<slug>.vtt``. Figures: pairs
found, pairs wrong (different slugs), and the share of transcript characters that get a
cue time once merged. Baseline: pairing by file stem alone, without the text check.
"""

from __future__ import annotations

import time

from annotations.corpus import Corpus
from annotations.twins import candidates, stem_key
from bench.common import SHARED, Row

CORPUS = SHARED / "corpus"


def run() -> list[Row]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return [Row("twins: ../shared/corpus absent (skipped)", 0, "", "skipped", True)]
    slugs = [line.split("\t")[0] for line in
             (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:] if line]
    corpus = Corpus(CORPUS)
    t = time.perf_counter()
    list(corpus.scan())
    secs = time.perf_counter() - t
    found = wrong = 0
    covered = total = 0
    for info in corpus.infos:
        cap = corpus.twin(info.key)
        if cap is None:
            continue
        found += 1
        if stem_key(info.rel_path)[1] != stem_key(cap.rel_path)[1]:
            wrong += 1
        doc = corpus.load(info.key)
        total += len(doc.raw)
        covered += sum(c.raw_end - c.raw_start for c in doc.cues)
    naive = len(candidates(corpus.infos + [corpus.twin(i.key) for i in corpus.infos
                                           if corpus.twin(i.key) is not None]))
    return [
        Row("twins: transcript + caption pairs found in ../shared/corpus", found, "pairs",
            f"{len(slugs)} (MANIFEST)", found == len(slugs) and wrong == 0,
            "pairs by name alone (no text check)", naive,
            note=f"{wrong} wrong; scan with pairing {secs * 1000:.0f} ms"),
        Row("twins: transcript characters with a cue time after merging",
            100 * covered / max(1, total), "%", ">= 90 %", covered >= 0.9 * total),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
