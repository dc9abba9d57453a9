"""Export: JSON / W3C against their schemas, CSV and Markdown content, filters, streaming."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from annotations.anchor import doc_hash, selector
from annotations.annotation import Annotation
from annotations.corpus import Corpus
from annotations.exchange import export, schema, select
from annotations.exchange.tabular import md_escape, safe_cell
from annotations.store import AnnotationStore

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
PLAIN = "000_4f58a92286b26983.txt"
TAGGED = "_BjBr7Kf8rA"  # 003_a59515f9ec2905fc.txt: CNN, 2023-11-03
SRT = "riverton-transit-strike.srt"


# -- helpers shared by the exchange tests ----------------------------------------------------
def copy_samples(root: Path) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    for p in SAMPLES.iterdir():
        if p.is_file() and not p.name.startswith("."):
            shutil.copyfile(p, root / p.name)
    corpus = Corpus(root)
    list(corpus.scan())
    return corpus


def make_store(path: Path) -> AnnotationStore:
    return AnnotationStore(path, fsync=False)


def ann_on(corpus: Corpus, key: str, start: int, end: int, **kw: Any) -> Annotation:
    raw = corpus.load(key).raw
    quote, prefix, suffix = selector(raw, start, end)
    kw.setdefault("author", "tester")
    return Annotation(doc_key=key, raw_start=start, raw_end=end, quote=quote, prefix=prefix,
                      suffix=suffix, doc_hash=doc_hash(raw), **kw)


def dump(anns: list[Annotation], fmt: str, corpus: Any = None) -> str:
    out = io.StringIO()
    n = export(anns, fmt, out, corpus)
    assert n == len(anns)
    return out.getvalue()


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name),
                                           format_checker=jsonschema.FormatChecker())


GLOSS_SCHEMA = "gloss.annotations-2"
W3C_SCHEMA = "w3c-annotation-collection"


@pytest.fixture()
def corpus(tmp_path: Path) -> Corpus:
    return copy_samples(tmp_path / "corpus")


@pytest.fixture()
def anns(corpus: Corpus) -> list[Annotation]:
    return [
        ann_on(corpus, PLAIN, 10, 35, tags=["claim", "=HYPERLINK()"], note="Check *this*\n# no",
               verdict="misleading", color="red"),
        ann_on(corpus, PLAIN, 200, 225, note="", verdict="true", time_start=2.5, time_end=4.0),
        ann_on(corpus, TAGGED, 0, 40, tags=["missiles"], note="<script>alert(1)</script>",
               author="@mallory"),
        ann_on(corpus, SRT, 5, 40, note="-1 or +1?", verdict="false", tags=["transit"]),
        Annotation(doc_key="gone.txt", raw_start=3, raw_end=8, quote="hello", note="orphan",
                   author="tester"),
    ]


# -- JSON ------------------------------------------------------------------------------------
def test_json_export_matches_schema_and_fields(corpus: Corpus, anns: list[Annotation]) -> None:
    doc = json.loads(dump(anns, "json", corpus))
    validator(GLOSS_SCHEMA).validate(doc)
    assert doc["schema"] == "gloss.annotations/2" and doc["count"] == 5
    recs = {r["id"]: r for r in doc["annotations"]}
    first = recs[anns[0].id]
    assert first["quote"] == anns[0].quote and first["raw_start"] == 10
    assert first["path"] == PLAIN and first["orphan"] is False
    assert first["quote_edited"] is not None
    assert first["tags"] == ["claim", "=HYPERLINK()"] and first["color"] == "red"
    tagged = recs[anns[2].id]
    assert (tagged["title"], tagged["channel"], tagged["date"]) == (
        corpus.get(TAGGED).title, "CNN", "2023-11-03")
    assert tagged["path"] == "003_a59515f9ec2905fc.txt"
    srt = recs[anns[3].id]  # no stored times: those of the cues, marked derived
    assert srt["time_derived"] is (srt["time_start"] is not None)
    assert (recs[anns[1].id]["time_start"], recs[anns[1].id]["time_end"]) == (2.5, 4.0)
    gone = recs[anns[4].id]
    assert gone["orphan"] is True and gone["path"] == "" and gone["quote_edited"] is None
    for a in anns:
        rec = recs[a.id]
        for k in ("doc_key", "raw_start", "raw_end", "quote", "prefix", "suffix", "note",
                  "verdict", "author", "created", "updated", "doc_hash"):
            assert rec[k] == getattr(a, k)


def test_json_export_one_annotation_per_line(corpus: Corpus, anns: list[Annotation]) -> None:
    lines = dump(anns, "json", corpus).splitlines()
    assert sum(1 for line in lines if line.lstrip().startswith('{"id": ')) == len(anns)


def test_empty_exports_are_valid() -> None:
    validator(GLOSS_SCHEMA).validate(json.loads(dump([], "json")))
    w = json.loads(dump([], "w3c"))
    validator(W3C_SCHEMA).validate(w)
    assert w["total"] == 0 and w["first"]["items"] == []
    assert dump([], "csv").splitlines()[0].startswith("id,doc_key,")
    assert "0 annotations in 0 documents" in dump([], "markdown")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export([], "xml", io.StringIO())


def test_export_without_corpus(anns: list[Annotation]) -> None:
    rec = json.loads(dump(anns, "json"))["annotations"][0]
    assert rec["title"] == "" and rec["quote_edited"] is None and rec["orphan"] is False


# -- W3C -------------------------------------------------------------------------------------
def test_w3c_export_matches_schema_and_model(corpus: Corpus, anns: list[Annotation]) -> None:
    doc = json.loads(dump(anns, "w3c", corpus))
    validator(W3C_SCHEMA).validate(doc)
    assert doc["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 5
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and len(items) == 5
    a = items[0]
    assert a["id"] == f"urn:uuid:{anns[0].id}" and a["type"] == "Annotation"
    assert a["creator"] == {"type": "Person", "name": "tester"}
    assert a["created"] == anns[0].created and a["modified"] == anns[0].updated
    sel = {s["type"]: s for s in a["target"]["selector"]}
    assert sel["TextQuoteSelector"] == {"type": "TextQuoteSelector", "exact": anns[0].quote,
                                        "prefix": anns[0].prefix, "suffix": anns[0].suffix}
    assert (sel["TextPositionSelector"]["start"], sel["TextPositionSelector"]["end"]) == (10, 35)
    assert a["target"]["source"] == f"urn:gloss:doc:{PLAIN}"
    purposes = [(b["purpose"], b["value"]) for b in a["body"] if "gloss:role" not in b]
    assert purposes == [("commenting", "Check *this*\n# no"), ("tagging", "claim"),
                        ("tagging", "=HYPERLINK()"), ("assessing", "misleading")]
    assert a["gloss:color"] == "red"
    assert items[1]["target"]["gloss:timeStart"] == 2.5
    assert items[3]["target"]["gloss:timeDerived"] is True  # from the cues, not stored


def test_w3c_ids_and_sources_are_iris() -> None:
    odd = Annotation(doc_key="news/a b#1.txt", raw_start=0, raw_end=1, quote="x", id="my id/1",
                     author="")
    doc = json.loads(dump([odd], "w3c"))
    validator(W3C_SCHEMA).validate(doc)
    item = doc["first"]["items"][0]
    assert item["id"] == "urn:gloss:annotation:my%20id%2F1"
    assert item["target"]["source"] == "urn:gloss:doc:news/a%20b%231.txt"
    assert "creator" not in item


# -- CSV -------------------------------------------------------------------------------------
def test_csv_rows_and_formula_injection(corpus: Corpus, anns: list[Annotation]) -> None:
    text = dump(anns, "csv", corpus)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(anns)
    first = rows[0]
    assert first["id"] == anns[0].id and first["raw_start"] == "10" and first["raw_end"] == "35"
    assert first["tags"] == "claim; =HYPERLINK()" and first["note"] == "Check *this*\n# no"
    assert first["quote"] == anns[0].quote
    assert rows[2]["author"] == "'@mallory" and rows[3]["note"] == "'-1 or +1?"
    assert rows[3]["time_start"] == "1" and rows[3]["time_end"] == "3.84"  # from the cues
    assert rows[1]["time_start"] == "2.5" and rows[1]["time_end"] == "4"
    assert rows[4]["orphan"] == "yes"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x"])
def test_safe_cell_quotes_formulas(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain =1") == "plain =1" and safe_cell(12) == 12


# -- Markdown --------------------------------------------------------------------------------
def test_markdown_report(corpus: Corpus, anns: list[Annotation]) -> None:
    md = dump(anns, "markdown", corpus)
    assert md.startswith("# gloss annotations\n")
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert len(heads) == 4  # one section per document, in input order
    assert heads[1] == "## US intel: Hezbollah could be getting Russian missile system"
    assert "*CNN · 2023-11-03 · key `_BjBr7Kf8rA`*" in md
    assert "- **Verdict:** misleading" in md
    assert "- **Note:** Check \\*this\\*\n  \\# no" in md  # escaped; continues the list item
    assert "\\<script\\>alert(1)\\</script\\>" in md and "<script>" not in md
    assert "- **Tags:** claim, =HYPERLINK()" in md
    assert f"- **Where:** `{PLAIN}` raw 10–35" in md
    assert f"`{SRT}` raw 5–40, 0:01–0:03" in md
    assert "orphan" in md and "5 annotations in 4 documents." in md
    blockquotes = [line for line in md.splitlines() if line.startswith(">")]
    assert len(blockquotes) >= len(anns)


def test_markdown_sorts_within_a_document_and_marks_a_return(corpus: Corpus) -> None:
    a = ann_on(corpus, PLAIN, 200, 210)
    b = ann_on(corpus, PLAIN, 10, 20)
    c = ann_on(corpus, TAGGED, 0, 5)
    d = ann_on(corpus, PLAIN, 300, 305)
    md = dump([a, b, c, d], "markdown", corpus)
    assert md.index("raw 10–20") < md.index("raw 200–210")
    assert md.count("(continued)") == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
    ("[link](http://x) ![img](y)", "\\[link\\](http://x) \\!\\[img\\](y)"),
    ("# heading\n> quote\n- item\n+ item\n1. one\n2) two", "\\# heading\n\\> quote\n\\- item\n"
     "\\+ item\n1\\. one\n2\\) two"),
    ("<b>x</b> &amp; a|b ~~s~~", "\\<b\\>x\\</b\\> \\&amp; a\\|b \\~\\~s\\~\\~"),
    ("a\x1b[31mred\u202eevil\r\nnext", "a\u241b\\[31mred\u00bfevil\nnext"),
    ("back\\slash", "back\\\\slash"),
])
def test_md_escape(text: str, expected: str) -> None:
    assert md_escape(text) == expected


# -- filters ---------------------------------------------------------------------------------
def test_select_filters(tmp_path: Path, corpus: Corpus, anns: list[Annotation]) -> None:
    store = make_store(tmp_path / "store")
    anns[1].created = anns[1].updated = "2024-01-02T10:00:00.000000Z"
    anns[0].created = anns[0].updated = "2024-03-01T00:00:00.000000Z"
    for a in anns:
        store.add(a)

    def ids(**kw: Any) -> set[str]:
        return {a.id for a in select(store, **kw)}

    assert ids() == {a.id for a in anns}
    assert ids(doc=PLAIN) == {anns[0].id, anns[1].id}
    assert ids(tag="CLAIM") == {anns[0].id}
    assert ids(verdict="Misleading") == {anns[0].id}
    assert ids(author="@Mallory") == {anns[2].id}
    assert ids(doc=PLAIN, since="2024-02-01") == {anns[0].id}
    assert ids(doc=PLAIN, since="2024-01-02T10:00:00+00:00") == {anns[0].id, anns[1].id}
    assert ids(doc=PLAIN, since="2024-01-02T11:00:00+02:00") == {anns[0].id, anns[1].id}
    assert ids(tag="claim", verdict="true") == set()
    with pytest.raises(ValueError, match="not a date"):
        list(select(store, since="last week"))


# -- streaming and caching -------------------------------------------------------------------
class CountingCorpus:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.loads: list[str] = []

    def get(self, key: str) -> Any:
        return self.corpus.get(key)

    def load(self, key: Any) -> Any:
        doc = self.corpus.load(key)
        self.loads.append(doc.key)
        return doc


class Recorder(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, s: str) -> int:
        self.sizes.append(len(s))
        return super().write(s)


@pytest.mark.parametrize("fmt", ["json", "w3c", "csv", "markdown"])
def test_export_streams_and_loads_each_document_once(corpus: Corpus, fmt: str) -> None:
    anns = [ann_on(corpus, key, i * 7, i * 7 + 5) for key in (PLAIN, TAGGED, SRT)
            for i in range(40)]
    counting = CountingCorpus(corpus)
    out = Recorder()
    assert export(iter(anns), fmt, out, counting) == len(anns)
    assert sorted(counting.loads) == sorted([PLAIN, TAGGED, SRT])
    assert len(out.sizes) > len(anns)  # item by item, never one big string
    assert max(out.sizes) < 4000


def test_export_places_annotations_on_changed_text(tmp_path: Path, corpus: Corpus) -> None:
    old = ann_on(corpus, PLAIN, 200, 225)
    path = corpus.root / PLAIN
    raw = path.read_text(encoding="utf-8")
    path.chmod(0o644)
    path.write_text("Inserted sentence at the top. " + raw, encoding="utf-8")
    fresh = Corpus(corpus.root)
    list(fresh.scan())
    rec = json.loads(dump([old], "json", fresh))["annotations"][0]
    assert rec["raw_start"] == 200 and rec["quote"] == old.quote  # stored truth is exported
    assert rec["orphan"] is False and rec["quote_edited"] is not None
    md = dump([old], "markdown", fresh)
    assert "raw 230–255" in md  # reports show where the quote is now
    lost = Annotation(doc_key=PLAIN, raw_start=0, raw_end=12, quote="qwzx vbnm qq",
                      doc_hash=old.doc_hash, author="t")
    assert json.loads(dump([lost], "json", fresh))["annotations"][0]["orphan"] is True


def test_core_needs_neither_textual_nor_jsonschema(tmp_path: Path) -> None:
    code = (
        "import io, sys\n"
        "from annotations.exchange import export, import_data\n"
        "from annotations.annotation import Annotation\n"
        "a = Annotation(doc_key='k', raw_start=0, raw_end=2, quote='hi', author='x')\n"
        "out = io.StringIO(); export([a], 'json', out)\n"
        "class S:\n"
        "    def merge(self, anns):\n"
        "        from annotations.store import MergeResult\n"
        "        return MergeResult(added=len(list(anns)))\n"
        "r = import_data(out.getvalue().encode(), S(), None)\n"
        "assert r.added == 1, r\n"
        "bad = [m for m in ('textual', 'jsonschema') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
