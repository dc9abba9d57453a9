"""What repair knows about a document besides its raw text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotations.model import Document

# A pause of this many seconds between two cues is a paragraph point (and may be speech
# that was never captioned; it is not flagged as a gap: music and b-roll pause too).
PAUSE_SECONDS = 2.5
CAPTION_WIDTH = 32  # live caption lines are cut at 32 columns


@dataclass(slots=True)
class RepairContext:
    title: str = ""
    format: str = "unknown"  # tagged | plain | vtt | srt | unknown
    # Certain caption line joins: (raw offset of the separator, columns of the line).
    joins: Sequence[tuple[int, int]] = ()
    # Raw offsets of separators before cues that follow a long pause.
    pauses: Sequence[int] = ()
    # Word counts over the corpus (spelling kept), from :func:`corpus_lexicon`.
    corpus: Mapping[str, int] | None = None
    # Force a style ("cut", "upper", "asr", "prose"); None: detect from the text.
    style: str | None = None
    # Column at which caption lines were cut; None: detect (plain text) or 32 (captions).
    width: int | None = None
    # Names learned from the corpus's mixed-case documents (``case.learn_names``):
    # lower-case word or pair -> spelling, for sentence case of all-caps captions.
    names: Mapping[str, str] | None = None
    # Sentence case for all-caps captions; None: on when the text is all caps.
    case: bool | None = None
    paragraphs: bool = True
    # Flag a caption line that reached the cut width even when it ends in a whole word
    # (the rest of the line may be lost; right about 5 times in 6 on cut captions).
    width_gaps: bool = True
    extra: dict[str, object] = field(default_factory=dict)


def context_for(doc: Document, corpus_words: Mapping[str, int] | None = None,
                names: Mapping[str, str] | None = None) -> RepairContext:
    """The repair context of a loaded document."""
    pauses: list[int] = []
    raw = doc.raw
    cues = doc.cues
    for prev, cue in zip(cues, cues[1:], strict=False):
        if cue.start - prev.end >= PAUSE_SECONDS:
            s = cue.raw_start - 1
            if 0 <= s < len(raw) and raw[s] == " ":
                pauses.append(s)
    return RepairContext(
        title=doc.title,
        format=doc.info.format,
        joins=list(doc.joins),
        pauses=pauses,
        corpus=corpus_words,
        names=names,
    )


def corpus_lexicon(texts: Iterable[str]) -> dict[str, int]:
    """Word counts over the texts of a corpus (cheap: one regex pass per text)."""
    from annotations.repair.lexicon import count_words

    return dict(count_words(texts))
