"""repair(): each kind of edit, the seed transcript, styles, and ``gloss repair``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotations.formats import load
from annotations.model import DocInfo, Document
from annotations.repair import GAP_MARKER, RepairContext, Repaired, context_for, repair
from annotations.repair.lexicon import zipf
from tests.cli.runner import gloss

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sample_docs" / "003_a59515f9ec2905fc.txt"


def cut_captions(lines: list[str], width: int = 32) -> str:
    """Caption lines cut at ``width`` columns and joined with spaces (the seed's defect)."""
    return " ".join(line[:width] for line in lines)


def kinds(r: Repaired, kind: str) -> list[tuple[str, str]]:
    """(raw text around, replacement) of the edits of one kind."""
    return [(r.raw[max(0, e.raw_start - 12):e.raw_end + 6], e.replacement)
            for e in r.edits if e.kind == kind]


def completions(r: Repaired) -> dict[str, str]:
    out = {}
    for e in r.edits:
        if e.kind == "completion":
            start = max(r.raw.rfind(" ", 0, e.raw_start), -1) + 1
            out[r.raw[start:e.raw_start]] = r.raw[start:e.raw_start] + e.replacement
    return out


# -- one kind at a time ----------------------------------------------------------------

def test_control_characters_removed() -> None:
    r = repair("Storm\x00 warning\x1b[2J for the coast\x7f.")
    assert r.text == "Storm warning[2J for the coast."
    assert [e.kind for e in r.edits] == ["control"] * 3
    assert all(e.replacement == "" for e in r.edits)


def test_entities_decoded_and_speaker_marks() -> None:
    raw = "&gt;&gt; WE&#39;RE HERE. &gt;&gt;&gt; NEXT STORY &amp; MORE."
    r = repair(raw, RepairContext(case=False))
    assert r.text.startswith("— WE'RE HERE.")
    assert "\n\n§ NEXT STORY & MORE." in r.text
    reasons = [e.reason for e in r.edits if e.kind == "entity"]
    assert any("new speaker" in x for x in reasons) and any("new story" in x for x in reasons)
    assert any(e.kind == "paragraph" for e in r.edits)


def test_unknown_entity_left_alone() -> None:
    assert repair("fish &chips; and &bogus; sauce").text == "fish &chips; and &bogus; sauce"


def test_whitespace_normalised() -> None:
    r = repair("  The flood  rose.\r\nIt\tfell.   Then it rained. ")
    assert r.text == "The flood rose.\nIt fell. Then it rained."
    assert {e.kind for e in r.edits} == {"whitespace"}


def test_gap_and_sentence_end_at_a_double_space() -> None:
    lines = [
        "Rain fell across the valley and today",  # cut on the space after "and"
        "And the river rose by noon.",
        "Crews worked through the night to",
        "hold back the water from the town.",
    ]
    raw = cut_captions(lines)
    assert "and  And" in raw
    r = repair(raw, RepairContext(style="cut"))
    assert "valley and […]. And the river" in r.text
    gap = next(e for e in r.edits if e.kind == "gap")
    assert raw[gap.raw_start - 1:gap.raw_start + 1] == "  "
    assert "caption join" in gap.reason and "32 columns" in gap.reason
    punct = next(e for e in r.edits if e.kind == "punctuation")
    assert punct.replacement == ". " and raw[punct.raw_start] == " "


def test_completion_from_the_document() -> None:
    lines = [
        "Mayor Alina Kowalczyk spoke today.",
        "She said the dam would hold.",
        "Later that evening Mayor Kowalczyk",  # 34: cut inside the name
        "ordered an evacuation anyway.",
    ]
    raw = cut_captions(lines)
    assert "Mayor Kowalcz ordered" in raw
    r = repair(raw, RepairContext(style="cut"))
    assert completions(r) == {"toda": "today", "Kowalcz": "Kowalczyk"}
    e = next(e for e in r.edits if e.kind == "completion" and e.replacement == "yk")
    assert e.raw_start == e.raw_end == raw.index("Kowalcz ordered") + len("Kowalcz")
    assert e.replacement == "yk"
    assert e.reason == "Kowalcz → Kowalczyk: word from this document (cut at a caption join)"
    assert "Mayor Kowalczyk ordered an evacuation" in r.text


def test_completion_from_the_english_word_list() -> None:
    lines = ["The engineers said the structural", "Officials disagree on the cost."]
    raw = cut_captions(["Officials say there is damage now and", *lines])
    r = repair(raw, RepairContext(style="cut"))
    assert completions(r).get("structura") == "structural"
    assert "English word list" in next(e.reason for e in r.edits if e.kind == "completion")


def test_uncertain_cut_stays_visible_as_cut() -> None:
    raw = cut_captions(["We will bring you more on that s", "Crews say the roads are closed."])
    # "s" reached the width and is no word: marked, not guessed
    r = repair(raw, RepairContext(style="cut"))
    assert "that s[…]. Crews say" in r.text
    assert not completions(r)


def test_repeat_marked_never_deleted() -> None:
    raw = cut_captions(["The water moved quickly into", "into the lower streets."])
    r = repair(raw, RepairContext(style="cut"))
    assert "into into the lower" in r.text
    rep = [e for e in r.edits if e.kind == "repeat"]
    assert len(rep) == 1 and rep[0].replacement == "into" == raw[rep[0].raw_start:rep[0].raw_end]


def test_paragraphs_in_a_long_monologue() -> None:
    sentence = "The committee met again on Tuesday and heard from several witnesses. "
    raw = sentence * 60
    r = repair(raw)
    paras = r.text.split("\n\n")
    assert 5 <= len(paras) <= 20
    assert all(p.rstrip().endswith(".") for p in paras)
    assert all(e.kind == "paragraph" and e.replacement == "\n\n" for e in r.edits
               if e.kind != "whitespace")
    assert "\n\n" not in repair(raw, RepairContext(paragraphs=False)).text


def test_existing_paragraphs_kept() -> None:
    raw = "First paragraph here.\n\nSecond one here. It is short."
    assert repair(raw).text == raw


def test_sentence_case_for_all_caps_captions() -> None:
    raw = ("&gt;&gt; PRESIDENT HARLOW SPOKE TO CNN IN LONDON TODAY.  HE SAID THE U.S. "
           "WILL SEND AID TO GAZA.  &gt;&gt; I'M NOT SURE THAT'S ENOUGH.  ")
    r = repair(raw, RepairContext(title="Harlow promises aid for Gaza"))
    assert r.text == ("— President Harlow spoke to CNN in London today. He said the U.S. "
                      "will send aid to Gaza.\n\n— I'm not sure that's enough.")
    case = [e for e in r.edits if e.kind == "case"]
    assert case and all("inferred" in e.reason for e in case)
    assert all(len(e.replacement) == e.raw_end - e.raw_start for e in case)
    off = repair(raw, RepairContext(title="Harlow promises aid for Gaza", case=False))
    assert "PRESIDENT HARLOW" in off.text and not [e for e in off.edits if e.kind == "case"]


def test_all_caps_double_spaces_are_not_gaps() -> None:
    lines = ["OFFICIALS SAY THE BRIDGE WILL ", "REOPEN NEXT WEEK AFTER REPAIRS ",
             "TO THE DAMAGED SUPPORTS. "] * 5
    raw = " ".join(lines)
    r = repair(raw)
    assert r.style.name == "upper"
    assert not [e for e in r.edits if e.kind in ("gap", "completion", "punctuation")]
    assert "  " not in r.text


def test_asr_captions_get_no_gap_flags() -> None:
    raw = ("so the people here have been waiting  for hours for the trucks to arrive and "
           "nobody knows when they will come we spoke to one family  who left their home "
           "three weeks ago and they told us they have nothing left ") * 4
    r = repair(raw, RepairContext(width=32))
    assert r.style.name == "asr"
    assert not [e for e in r.edits if e.kind in ("gap", "completion", "punctuation")]


def test_mishearings_left_alone() -> None:
    raw = "Just now, a flairs seen across the sky over the harbour. Officials are silent."
    assert repair(raw).text == raw


def test_vtt_joins_are_certain_line_ends() -> None:
    lines = ["The convoy reached the border at", "dawn and waited for the permissi",
             "Aid workers said the delay cost", "them most of the day."]
    raw = " ".join(lines)
    joins, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        joins.append((pos, len(line)))
        pos += 1
    info = DocInfo(key="k", path=Path("x.vtt"), rel_path="x.vtt", title="Convoy at the border",
                   format="vtt")
    doc = Document(info=info, raw=raw, joins=joins)
    r = repair(raw, context_for(doc))
    assert completions(r) == {"permissi": "permission"}
    assert "permission. Aid workers" in r.text
    # the first line reached column 32 on a complete word: the rest may be lost
    gap = next(e for e in r.edits if e.kind == "gap")
    assert raw[:gap.raw_start].endswith("border at") and "column 32" in gap.reason
    assert "the border at […] dawn" in r.text
    # the last line was short: nothing flagged there
    assert not [e for e in r.edits if e.raw_start > raw.index("Aid workers")
                and e.kind in ("gap", "completion")]


# -- the seed transcript ----------------------------------------------------------------

@pytest.fixture(scope="module")
def seed() -> Repaired:
    doc = load(SEED, SEED.parent)
    assert doc.info.ok and doc.raw.startswith("Just moments ago")
    return repair(doc.raw, context_for(doc))


def test_seed_completions(seed: Repaired) -> None:
    got = completions(seed)
    for cut, word in {"Nas": "Nasrallah", "Er": "Erin", "Lieber": "Liebermann",
                      "Lebano": "Lebanon"}.items():
        assert got.get(cut) == word, (cut, got)
    reasons = [e.reason for e in seed.edits if e.kind == "completion"]
    assert "Lebano → Lebanon: word from this document (cut at a caption join)" in reasons
    assert "Nas → Nasrallah: word from this document (cut at a caption join)" in reasons


def _edits_near(r: Repaired, needle: str) -> list[str]:
    i = r.raw.index(needle)
    return [e.kind for e in r.edits if i <= e.raw_start <= i + len(needle)]


def test_seed_gaps_and_sentence_ends(seed: Repaired) -> None:
    assert "gap" in _edits_near(seed, "October  And")
    near = _edits_near(seed, "seeing there  Well")
    assert "gap" in near and "punctuation" in near
    assert "seeing there […]. Well" in seed.text
    assert "on October […]. And it comes" in seed.text
    assert "different groups Erin. Absolutely." in seed.text


def test_seed_no_dictionary_word_changed_away_from_a_join(seed: Repaired) -> None:
    raw = seed.raw
    for e in seed.edits:
        if re.search(r"[A-Za-z]", raw[e.raw_start:e.raw_end]):
            assert e.kind == "repeat" and e.replacement == raw[e.raw_start:e.raw_end], e
        if e.kind in ("completion", "gap"):
            # at a line end of a line cut at 32 columns
            end = e.raw_start  # just after the line (its trailing space included)
            assert end == 32 or raw[end - 33] == " ", e
        if e.kind == "completion":
            start = raw.rfind(" ", 0, e.raw_start) + 1
            word = raw[start:e.raw_start]
            assert zipf(word) < 4.5 or len(word) <= 3, (word, e)


def test_seed_repeat_marked(seed: Repaired) -> None:
    i = seed.raw.index("into into")
    rep = [e for e in seed.edits if e.kind == "repeat" and i <= e.raw_start <= i + 5]
    assert rep and rep[0].replacement == "into"
    assert "into into northern" in seed.text


def test_seed_mishearings_kept(seed: Repaired) -> None:
    assert "a flairs seen" in seed.text and "22 or panzer" in seed.text


# -- gloss repair ----------------------------------------------------------------------

def test_cli_json_shape() -> None:
    r = gloss("repair", SEED, "--json")
    assert r.code == 0
    out = r.out
    data = json.loads(out)
    assert set(data) == {"raw", "text", "edits"}
    raw, text = data["raw"], data["text"]
    assert raw == load(SEED, SEED.parent).raw
    keys = {"kind", "raw_start", "raw_end", "text_start", "text_end", "replacement",
            "confidence", "reason"}
    prev_end = 0
    parts, pos = [], 0
    for e in data["edits"]:
        assert set(e) == keys
        assert prev_end <= e["raw_start"] <= e["raw_end"] <= len(raw)
        assert text[e["text_start"]:e["text_end"]] == e["replacement"]
        parts += [raw[pos:e["raw_start"]], e["replacement"]]
        pos = prev_end = e["raw_end"]
    assert "".join(parts) + raw[pos:] == text
    comp = [e for e in data["edits"] if e["kind"] == "completion"
            and raw[e["raw_start"] - 6:e["raw_start"]] == "Lebano"]
    assert comp and comp[0]["replacement"] == "n"


def test_cli_text() -> None:
    r = gloss("repair", SEED)
    assert r.code == 0
    out = r.out
    assert out.startswith("Just moments ago") and GAP_MARKER in out


def test_cli_errors(tmp_path: Path) -> None:
    r = gloss("repair", tmp_path / "missing.txt")
    assert r.code == 2
    err = r.err
    assert err.startswith("gloss: error:") and err.count("\n") == 1
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03binary")
    r = gloss("repair", bad)
    assert r.code == 2
    err = r.err
    assert err.startswith("gloss: error:") and err.count("\n") == 1


def test_cli_options() -> None:
    plain = gloss("repair", SEED, "--no-paragraphs", "--style", "asr", "--no-case")
    assert plain.code == 0 and "\n\n" not in plain.out.strip()
    assert gloss("repair", SEED, "--style", "loud").code == 2


def _vtt_doc(lines: list[str], title: str = "") -> Document:
    raw = " ".join(lines)
    joins, pos = [], 0
    for line in lines[:-1]:
        pos += len(line)
        joins.append((pos, len(line)))
        pos += 1
    info = DocInfo(key="k", path=Path("x.vtt"), rel_path="x.vtt", title=title, format="vtt")
    return Document(info=info, raw=raw, joins=joins)


def test_all_caps_captions_cut_word_at_column_32() -> None:
    lines = ["CREWS SAY THE OLD BRIDGE HAS BEE", "CLOSED SINCE THE STORM. ",
             "DRIVERS ARE BEING SENT NORTH TO ", "THE BRIDGE THAT WAS BUILT IN 1961. "]
    assert len(lines[0]) == len(lines[2]) == 32
    doc = _vtt_doc(lines)
    r = repair(doc.raw, context_for(doc))
    assert r.style.name == "upper"
    assert completions(r) == {"BEE": "BEEn"}  # the raw cut word, then the inserted letter
    assert r.text.startswith("Crews say the old bridge has been closed since the storm.")
    # trailing spaces at line ends mean nothing here: no gap flags
    assert not [e for e in r.edits if e.kind == "gap"]


def test_width_gaps_can_be_turned_off() -> None:
    doc = _vtt_doc(["The convoy reached the border at", "dawn and waited for the permissi",
                    "Aid workers said."])
    on = repair(doc.raw, context_for(doc))
    assert [e.kind for e in on.edits if e.kind == "gap"] == ["gap"]
    ctx = context_for(doc)
    ctx.width_gaps = False
    assert not [e for e in repair(doc.raw, ctx).edits if e.kind == "gap"]


def test_speech_recognition_monologue_gets_paragraphs() -> None:
    chunk = ("we have been here since the morning and the water is still rising people are "
             "moving what they can to the upper floors so the rescue teams say they need more "
             "boats and more time i spoke to a man who lost everything ")
    raw = chunk * 12
    r = repair(raw)
    assert r.style.name == "asr"
    assert r.text.count("\n\n") >= 2
    assert not [e for e in r.edits if e.kind in ("gap", "completion", "punctuation")]


def test_speech_repeats_away_from_joins_are_not_flagged() -> None:
    raw = "It was very very cold last night. The roads were closed for hours."
    r = repair(raw)
    assert r.text == raw and not r.edits
