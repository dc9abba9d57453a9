"""gloss core: Textual-free library.

Data flow, one module folder per step:
    formats/  load a file into a Document (raw text + metadata + cue times)
    corpus.py scan a folder lazily into DocInfo rows
    repair/   display-time repair of the raw text, with a two-way offset map
    anchor.py place annotations on raw text, re-anchor when text changes
    store/    TinyDB store, one file per document, safe with many writers
    similar/  passage index for similar-passage search
    exchange/ export / import of annotations
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
