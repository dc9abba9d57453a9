"""Deterministic synthetic corpus of news transcripts, for benchmarks and tests.

``generate(root, n, seed)`` writes ``n`` documents into channel folders
(``en_CNN/…``): most in the tagged transcript format (metadata tags, then the
body inside ``<doc>\\n…\\n</doc>``, no final newline), a share as WebVTT. Bodies
carry the artifacts of real caption tracks (lines cut at 32 columns: truncated
words, double spaces, lost punctuation; all-caps live captions; unpunctuated
speech recognition). Near-duplicate quotes are planted in two or three
documents each and recorded in ``manifest.json`` as body offsets: offsets into
the text between ``<doc>\\n`` and ``\\n</doc>``; ``DocRecord.body_start`` turns
them into file offsets.

Every document draws from its own ``random.Random(f"{seed}:{i}")``, so output is
byte-identical for a seed whatever the number of worker processes.

CLI: ``python -m bench.generate OUT N [--seed S] [--vtt-share F]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

from bench import vocab
from bench.common import DATA

MIN_WORDS, MAX_WORDS = 500, 20_000
COLS = 32  # caption line width of the real input
_SLOT = re.compile(r"\{(\w+)\}")
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_FIRST_DAY = date(2023, 10, 7)
_PUNCT = re.compile(r"[^\w\s'%$]")


def _parse(templates: Sequence[str]) -> list[tuple[str, ...]]:
    """Template -> alternating literal, slot, literal, slot… (literals at even indices)."""
    return [tuple(_SLOT.split(t)) for t in templates]


_SENTENCES = _parse(vocab.TEMPLATES)
_TITLES = _parse(vocab.TITLE_TEMPLATES)
_QUOTES = _parse(vocab.QUOTE_TEMPLATES)
_SWAP_POOL = ["now", "here", "still", "all", "just", "also"]


# -- records -----------------------------------------------------------------------
@dataclass(slots=True)
class DocRecord:
    key: str  # video id, or the path relative to the root when there is none
    rel_path: str
    channel: str  # folder name, e.g. "en_CNN"
    format: str  # "tagged" | "vtt"
    style: str  # "cut32" | "upper" | "asr"
    title: str
    date: str  # ISO date, "" when the file has no metadata
    words: int  # whitespace-separated words in the body (vtt: in the cue text)
    body_start: int  # char offset of the body in the file (-1 for vtt)
    body_chars: int


@dataclass(slots=True)
class Plant:
    """One quote said in two or three documents, each time slightly different."""

    id: int
    text: str  # the quote as first composed
    occurrences: list[tuple[str, int, int]]  # (doc key, body start, body end)
    variants: list[str]  # the text at each occurrence


@dataclass(slots=True)
class Manifest:
    root: Path
    seed: int
    n: int
    vtt_share: float
    docs: list[DocRecord] = field(default_factory=list)
    plants: list[Plant] = field(default_factory=list)

    def save(self) -> Path:
        data = {
            "version": 1,
            "generator": "bench.generate",
            "seed": self.seed,
            "n": self.n,
            "vtt_share": self.vtt_share,
            "offsets": "body: str indices into the text between '<doc>\\n' and '\\n</doc>'",
            "docs": [asdict(d) for d in self.docs],
            "plants": [
                {"id": p.id, "text": p.text, "occurrences": [list(o) for o in p.occurrences],
                 "variants": p.variants}
                for p in self.plants
            ],
        }
        path = self.root / "manifest.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @classmethod
    def load(cls, root: Path) -> Manifest:
        data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        docs = [DocRecord(**d) for d in data["docs"]]
        plants = [
            Plant(p["id"], p["text"], [(k, s, e) for k, s, e in p["occurrences"]], p["variants"])
            for p in data["plants"]
        ]
        return cls(root, data["seed"], data["n"], data["vtt_share"], docs, plants)

    def doc(self, key: str) -> DocRecord:
        for d in self.docs:
            if d.key == key:
                return d
        raise KeyError(key)

    def body(self, key: str) -> str:
        return read_body(self.root / self.doc(key).rel_path)

    @property
    def words(self) -> int:
        return sum(d.words for d in self.docs)


def read_body(path: Path) -> str:
    """The body of a tagged file: the text between ``<doc>\\n`` and ``\\n</doc>``."""
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    start = text.index("<doc>\n") + len("<doc>\n")
    return text[start : text.rindex("\n</doc>")]


# -- text ----------------------------------------------------------------------------
def _fill(rng: Random, parts: tuple[str, ...]) -> str:
    out = []
    choice = rng.choice
    for j, part in enumerate(parts):
        if not j % 2:
            out.append(part)
            continue
        name = part.removesuffix("_title")
        if name == "name":
            word = f"{choice(vocab.FIRST)} {choice(vocab.LAST)}"
        elif name == "code":
            word = f"{rng.randint(11, 9_999):,}"
        else:
            word = choice(vocab.SLOTS[name])
        out.append(word[:1].upper() + word[1:] if name != part else word)
    s = "".join(out)
    return s[:1].upper() + s[1:]


def _speech(rng: Random, words: int, speakers: bool = False) -> list[str]:
    """Clean spoken sentences, split into words (at least ``words`` of them).

    ``speakers``: some sentences open with ``&gt;&gt;`` (a new speaker), as in
    live captions.
    """
    out: list[str] = []
    rand = rng.random
    while len(out) < words:
        if speakers and rand() < 0.12:
            out.append("&gt;&gt;")
        out.extend(_fill(rng, rng.choice(_SENTENCES)).split())
    return out


def _lines(rng: Random, words: list[str], style: str) -> list[str]:
    """Caption lines as the input has them (see the module docstring)."""
    rand = rng.random
    if style == "asr":
        words = [w for w in (_PUNCT.sub("", w).lower() for w in words) if w]
        if rand() < 0.5:
            words.insert(0, "[music]")
    elif style == "upper":
        words = [w.upper() for w in words]
    long_share = 0.35 if style == "cut32" else 0.1
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        width = COLS if rand() > long_share else COLS + 1 + int(rand() * 12)
        line = words[i]
        i += 1
        while i < n and len(line) + 1 + len(words[i]) <= width:
            line += " " + words[i]
            i += 1
        if style != "asr" and len(line) > COLS:
            line = line[:COLS]  # the cut: a truncated word, or a trailing space
        if style == "upper" and not line.endswith(" "):
            line += " "  # live captions: every line ends with a space
        out.append(line)
    return out


def _quote(rng: Random) -> str:
    """A 25–50-word quote from first-person sentences."""
    words: list[str] = []
    while len(words) < 25:
        words.extend(_fill(rng, rng.choice(_QUOTES)).split())
    return " ".join(words[: rng.randint(25, 50)])


def _variant(rng: Random, text: str, ops: int) -> str:
    """A retelling of ``text``: a word swapped, a word dropped, a different cut."""
    words = text.split(" ")
    for _ in range(ops):
        op = rng.choice(("swap", "drop", "cut", "end"))
        k = rng.randrange(1, len(words) - 1)
        if op == "swap":
            able = [j for j in range(1, len(words) - 1) if words[j].lower() in vocab.SWAPS]
            k = rng.choice(able) if able else k
            w = words[k]
            new = rng.choice(vocab.SWAPS.get(w.lower(), _SWAP_POOL))
            words[k] = new.capitalize() if w[:1].isupper() else new
            continue
        w = words[k]
        if op == "drop":
            del words[k]
        elif op == "cut" and len(w) > 3:
            words[k] = w[: rng.randint(1, len(w) - 2)]  # truncated; the next word lost
            if k + 1 < len(words) - 1:
                del words[k + 1]
        elif op == "end" and len(words[-1]) > 3:
            words[-1] = words[-1][: rng.randint(1, len(words[-1]) - 2)]
        else:  # a cut that fell on a space: double space, a word lost
            words[k] = ""
    out = " ".join(words).strip()
    return re.sub(r"   +", "  ", out)


# -- one document ---------------------------------------------------------------------
@dataclass(slots=True)
class _Meta:
    i: int
    channel: str
    format: str
    style: str
    words: int
    tagged_meta: bool  # False: the file starts with "\n<doc>" (no metadata lines)


def _meta(seed: int, i: int, vtt_share: float) -> _Meta:
    rng = Random(f"{seed}:{i}:meta")
    weights = [c[1] for c in vocab.CHANNELS]
    channel, _, cut, upper = rng.choices(vocab.CHANNELS, weights)[0]
    r = rng.random()
    style = "cut32" if r < cut else "upper" if r < cut + upper else "asr"
    fmt = "vtt" if rng.random() < vtt_share else "tagged"
    words = 480 + int(rng.lognormvariate(math.log(1520) - 0.5, 1.0))
    words = max(540, min(words, 19_500))
    return _Meta(i, channel, fmt, style, words, rng.random() > 0.005)


def _video_id(rng: Random) -> str:
    return "".join(rng.choice(_ID_CHARS) for _ in range(11))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]


def _tagged(meta: _Meta, seed: int, quotes: list[str]) -> tuple[str, DocRecord, list[tuple[int, int]]]:
    """File text, its record, and the body span of each quote (in order)."""
    rng = Random(f"{seed}:{meta.i}")
    title = _fill(rng, rng.choice(_TITLES))
    vid = _video_id(rng)
    day = _FIRST_DAY + timedelta(days=rng.randrange(366))
    cuts = sorted(rng.random() for _ in quotes)
    budgets = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for j, share in enumerate(budgets):
        speech = _speech(rng, max(1, round(meta.words * share)), meta.style == "upper")
        piece = " ".join(_lines(rng, speech, meta.style))
        if pieces:
            piece = " " + piece
        pieces.append(piece)
        pos += len(piece)
        if j < len(quotes):
            spans.append((pos + 1, pos + 1 + len(quotes[j])))
            pieces.append(" " + quotes[j])
            pos += 1 + len(quotes[j])
    body = "".join(pieces)
    thumb = re.sub(r" +", " ", re.sub(r'[\\/:*?"<>|]', "", title))
    head = (
        f"<video_id>{vid}</video_id>\n<video_title>{title}</video_title>\n"
        f"<thumbnail_path>data/{meta.channel}\\{thumb}.jpg</thumbnail_path>\n"
        f"<publish_date>{day:%Y%m%d}</publish_date>\n\n"
        if meta.tagged_meta
        else "\n"
    )
    rel = f"{meta.channel}/{_slug(title)}-{meta.i:05d}.txt"
    rec = DocRecord(
        key=vid if meta.tagged_meta else rel, rel_path=rel, channel=meta.channel,
        format="tagged", style=meta.style, title=title if meta.tagged_meta else "",
        date=day.isoformat() if meta.tagged_meta else "", words=len(body.split()),
        body_start=len(head) + len("<doc>\n"), body_chars=len(body),
    )
    return f"{head}<doc>\n{body}\n</doc>", rec, spans


def _stamp(t: float) -> str:
    ms = round(t * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _vtt(meta: _Meta, seed: int) -> tuple[str, DocRecord]:
    rng = Random(f"{seed}:{meta.i}")
    title = _fill(rng, rng.choice(_TITLES))
    style = "upper" if meta.style == "upper" else "cut32"
    lines = _lines(rng, _speech(rng, meta.words, style == "upper"), style)
    out = ["WEBVTT\nKind: captions\nLanguage: en\n"]
    t = 1.0 + rng.random() * 2
    i = 0
    while i < len(lines):
        cue = lines[i : i + (2 if rng.random() < 0.3 else 1)]
        i += len(cue)
        dur = 0.4 + 0.33 * sum(len(x.split()) for x in cue)
        out.append(f"{_stamp(t)} --> {_stamp(t + dur)} line:0%\n" + "\n".join(cue) + "\n")
        t += dur + (rng.uniform(4, 9) if rng.random() < 0.01 else rng.uniform(0.0, 0.2))
    rel = f"{meta.channel}/{_slug(title)}-{meta.i:05d}.vtt"
    rec = DocRecord(
        key=rel, rel_path=rel, channel=meta.channel, format="vtt", style=style, title=title,
        date="", words=sum(len(x.split()) for x in lines), body_start=-1, body_chars=0,
    )
    return "\n".join(out), rec


def _write_batch(
    root: str, seed: int, metas: list[_Meta], quotes: dict[int, list[tuple[int, str]]]
) -> list[tuple[DocRecord, list[tuple[int, int, int, str]]]]:
    """Write some documents; return records and (plant id, start, end, text) per document."""
    out = []
    for channel in {m.channel for m in metas}:
        (Path(root) / channel).mkdir(parents=True, exist_ok=True)
    for meta in metas:
        planted = quotes.get(meta.i, [])
        if meta.format == "vtt":
            text, rec = _vtt(meta, seed)
            spans: list[tuple[int, int]] = []
        else:
            text, rec, spans = _tagged(meta, seed, [q for _, q in planted])
        with open(Path(root) / rec.rel_path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        out.append((rec, [(p, s, e, q) for (p, q), (s, e) in zip(planted, spans, strict=True)]))
    return out


# -- the corpus -------------------------------------------------------------------------
def _plan(seed: int, metas: list[_Meta]) -> tuple[list[Plant], dict[int, list[tuple[int, str]]]]:
    """Choose the quotes, their variants and host documents (cut32, tagged)."""
    rng = Random(f"{seed}:plants")
    hosts = [m for m in metas if m.format == "tagged" and m.style == "cut32"]
    plants: list[Plant] = []
    per_doc: dict[int, list[tuple[int, str]]] = {}
    if len(hosts) < 2:
        return plants, per_doc
    for pid in range(max(1, len(metas) // 20)):
        k = min(len(hosts), 3 if rng.random() < 0.3 else 2)
        chosen = [rng.choice(hosts)]
        for tries in range(40):  # prefer other channels
            if len(chosen) == k:
                break
            m = rng.choice(hosts)
            if m not in chosen and (m.channel not in {c.channel for c in chosen} or tries > 30):
                chosen.append(m)
        if len(chosen) < 2:
            continue
        text = _quote(rng)
        variants: list[str] = []
        for j in range(len(chosen)):
            v = _variant(rng, text, rng.randint(0 if j == 0 else 1, 2))
            while v in variants:
                v = _variant(rng, v, 1)
            variants.append(v)
        plants.append(Plant(pid, text, [], []))  # filled in document order
        for m, v in zip(chosen, variants, strict=True):
            per_doc.setdefault(m.i, []).append((pid, v))
    return plants, per_doc


def generate(
    root: Path, n: int, seed: int = 7, vtt_share: float = 0.1, workers: int | None = None
) -> Manifest:
    """Write ``n`` documents and ``manifest.json`` under ``root``."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    metas = [_meta(seed, i, vtt_share) for i in range(n)]
    plants, per_doc = _plan(seed, metas)
    workers = workers or (min(os.cpu_count() or 1, 8) if n >= 400 else 1)
    size = max(1, math.ceil(n / (workers * 4)))
    batches = [metas[a : a + size] for a in range(0, n, size)]
    args = [(str(root), seed, b, {m.i: per_doc[m.i] for m in b if m.i in per_doc}) for b in batches]
    if workers == 1:
        results = [_write_batch(*a) for a in args]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write_batch, *zip(*args, strict=True)))
    manifest = Manifest(root, seed, n, vtt_share)
    by_id = {p.id: p for p in plants}
    keys: set[str] = set()
    for batch in results:
        for rec, spans in batch:
            if rec.key in keys:  # eleven random characters: never in practice
                raise RuntimeError(f"duplicate key {rec.key}")
            keys.add(rec.key)
            manifest.docs.append(rec)
            for pid, s, e, text in spans:
                by_id[pid].occurrences.append((rec.key, s, e))
                by_id[pid].variants.append(text)
    manifest.plants = plants
    manifest.save()
    return manifest


def ensure_corpus(n: int, seed: int = 7, vtt_share: float = 0.1) -> Path:
    """The generated corpus under ``bench/.data/gen-{n}-{seed}/``, made when missing."""
    dest = DATA / f"gen-{n}-{seed}"
    if (dest / "manifest.json").exists():
        return dest
    tmp = DATA / f".tmp-gen-{n}-{seed}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    generate(tmp, n, seed, vtt_share)
    if dest.exists() and not (dest / "manifest.json").exists():
        shutil.rmtree(dest)  # a partial copy left by an interrupted run
    try:
        tmp.rename(dest)
    except OSError:  # another process finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def big_document(path: Path, words: int = 100_000, seed: int = 7) -> Path:
    """One tagged transcript of about ``words`` words (cut-at-32 style)."""
    meta = _Meta(0, "en_CNN", "tagged", "cut32", words, True)
    text, _, _ = _tagged(meta, seed, [])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def ensure_big_document(words: int = 100_000, seed: int = 7) -> Path:
    """``bench/.data/big-{words}-{seed}/en_CNN/big.txt``, made when missing."""
    path = DATA / f"big-{words}-{seed}" / "en_CNN" / "big.txt"
    if not path.exists():
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        big_document(tmp, words, seed)
        tmp.replace(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vtt-share", type=float, default=0.1)
    args = parser.parse_args(argv)
    t = time.perf_counter()
    m = generate(args.out, args.n, args.seed, args.vtt_share)
    occ = sum(len(p.occurrences) for p in m.plants)
    print(
        f"{len(m.docs):,} documents, {m.words:,} words, {len(m.plants)} plants "
        f"({occ} occurrences) in {time.perf_counter() - t:.1f} s -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
