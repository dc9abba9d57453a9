"""Sentence case keeps names: accuracy on the all-caps files of ../shared/corpus.

The names below were listed by hand from those files (the spelling a reader expects).
Each occurrence in the repaired text (found case-insensitively, whole words) counts;
it is right when spelt exactly. Names are learned from the corpus's mixed-case
documents (``learn_names``) as the app and ``gloss cite`` do. Baseline: the same
repair without learned names (hand lists and the title only).
"""

from __future__ import annotations

import re

from annotations.corpus import Corpus
from annotations.repair import context_for, repair
from annotations.repair.case import is_mixed_case, learn_names
from bench.common import SHARED, Row

CORPUS = SHARED / "corpus"
NAMES = [
    "Clarissa Ward", "Cape Town", "David McKenzie", "Jeremy Diamond", "Eleni Giokos",
    "Jomana Karadsheh", "Ayat Khaddoura", "Christiane Amanpour", "Vladimir Putin",
    "Tim Scott", "Ronna McDaniel", "Mike McCaul", "Brian Fallon", "Sarah Matthews",
    "John Kirby", "Antony Blinken", "Tony Blinken", "Benjamin Netanyahu", "Bibi Netanyahu",
    "Donald Trump", "Joe Biden", "Kim Jong Un", "Knesset", "Oxfam", "White House", "Gaza",
    "Hamas", "Hezbollah", "Rafah", "Cairo", "Beirut", "Lebanon", "Egypt", "Jordan", "Syria",
    "Israel", "Tlaib", "Hillary", "Florida", "London", "Washington",
]


def accuracy(texts: list[str]) -> tuple[int, int, list[str]]:
    """(right, occurrences, wrong spellings seen) of NAMES in ``texts``."""
    right = total = 0
    wrong: list[str] = []
    for name in NAMES:
        pat = re.compile(r"(?<![A-Za-z])" + re.escape(name).replace(r"\ ", r"\s+")
                         + r"(?![a-z])", re.IGNORECASE)
        for text in texts:
            for m in pat.finditer(text):
                total += 1
                got = " ".join(m.group().split())
                if got == name:
                    right += 1
                else:
                    wrong.append(got)
    return right, total, wrong


def measure() -> tuple[tuple[int, int, list[str]], tuple[int, int, list[str]]]:
    corpus = Corpus(CORPUS)
    list(corpus.scan())
    docs = [corpus.load(i.key) for i in corpus.infos if i.ok and i.format != "plain"]
    learned = learn_names(d.raw for d in docs)
    caps = [d for d in docs if not is_mixed_case(d.raw)]
    after = [repair(d.raw, context_for(d, names=learned)).text for d in caps]
    before = [repair(d.raw, context_for(d)).text for d in caps]
    return accuracy(after), accuracy(before)


def run() -> list[Row]:
    if not CORPUS.is_dir():
        return [Row("names: ../shared/corpus absent (skipped)", 0, "", "skipped", True)]
    (r, n, wrong), (r0, n0, _w0) = measure()
    value = 100 * r / max(1, n)
    return [Row("sentence case: hand-listed names spelt right in all-caps captions", value, "%",
                ">= 90 %", value >= 90, "without learned names (%)", 100 * r0 / max(1, n0),
                note=f"{r}/{n}; wrong e.g. {', '.join(sorted(set(wrong))[:6])}")]


if __name__ == "__main__":
    for row in run():
        print(row)
