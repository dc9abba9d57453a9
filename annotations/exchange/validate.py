"""Hand-written checks for imported records: each failure names the field by its JSON path.

No jsonschema at run time: these checks mirror the schema files in ``schemas/``
and add what a schema cannot say (quote length matches the offsets…).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from annotations.annotation import COLORS, Annotation


class ExchangeError(ValueError):
    """A one-line reason an export or import cannot go on (nothing was written)."""


def show(value: Any, width: int = 40) -> str:
    """A short printable rendering of a value for an error message."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover - json.loads gives only the above


@dataclass(slots=True)
class Loc:
    """Where an annotation sits in the input, and where each of its fields came from."""

    base: str  # e.g. "annotations[12]"
    fields: dict[str, str] = field(default_factory=dict)  # field -> path relative to base

    def at(self, name: str) -> str:
        return f"{self.base}.{self.fields.get(name, name)}"


def fail(path: str, message: str) -> ExchangeError:
    return ExchangeError(f"{path}: {message}")


def want_str(d: dict[str, Any], key: str, path: str, *, default: str | None = None,
             nonempty: bool = False) -> str:
    if key not in d or d[key] is None and default is not None:
        if default is None:
            raise fail(path, "missing")
        return default
    v = d[key]
    if not isinstance(v, str):
        raise fail(path, f"expected a string, found {type_name(v)}")
    if nonempty and not v.strip():
        raise fail(path, "must not be empty")
    return v


def want_int(d: dict[str, Any], key: str, path: str) -> int:
    if key not in d:
        raise fail(path, "missing")
    v = d[key]
    if isinstance(v, float) and v.is_integer() and not isinstance(v, bool):
        v = int(v)
    if not isinstance(v, int) or isinstance(v, bool):
        raise fail(path, f"expected a whole number, found {type_name(v)} {show(v)}")
    if v < 0:
        raise fail(path, f"must be 0 or more, found {v}")
    return v


def want_time(d: dict[str, Any], key: str, path: str) -> float | None:
    v = d.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise fail(path, f"expected seconds (a number) or null, found {show(v)}")
    if v < 0:
        raise fail(path, f"must be 0 or more, found {v}")
    return float(v)


def want_tags(d: dict[str, Any], key: str, path: str) -> list[str]:
    v = d.get(key)
    if v is None:
        return []
    if not isinstance(v, list):
        raise fail(path, f"expected an array of strings, found {type_name(v)}")
    for i, t in enumerate(v):
        if not isinstance(t, str) or not t.strip():
            raise fail(f"{path}[{i}]", f"expected a non-empty string, found {show(t)}")
    return list(v)


def timestamp(value: Any, path: str) -> str:
    """An ISO 8601 timestamp, normalised to gloss's UTC form (``…T…:…:….ffffffZ``)."""
    if not isinstance(value, str):
        raise fail(path, f"expected an ISO 8601 timestamp, found {type_name(value)}")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise fail(path, f"not an ISO 8601 timestamp: {show(value)}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build(rec: dict[str, Any], loc: Loc) -> Annotation:
    """An Annotation from a flat gloss record, checking every field (``loc`` names them)."""
    ident = want_str(rec, "id", loc.at("id"), nonempty=True)
    key = want_str(rec, "doc_key", loc.at("doc_key"), nonempty=True)
    start = want_int(rec, "raw_start", loc.at("raw_start"))
    end = want_int(rec, "raw_end", loc.at("raw_end"))
    if end < start:
        raise fail(loc.at("raw_end"), f"{end} is before raw_start {start}")
    quote = want_str(rec, "quote", loc.at("quote"))
    if len(quote) != end - start:
        raise fail(loc.at("raw_end"), f"{end} does not match the quote: raw_start {start} + "
                   f"{len(quote)} chars of quote = {start + len(quote)}")
    color = want_str(rec, "color", loc.at("color"), default="yellow")
    if color not in COLORS:
        raise fail(loc.at("color"), f"{show(color)} is not one of {', '.join(COLORS)}")
    verdict = want_str(rec, "verdict", loc.at("verdict"), default="unverified", nonempty=True)
    created = timestamp(rec.get("created"), loc.at("created"))
    updated = timestamp(rec.get("updated", created), loc.at("updated"))
    t0 = want_time(rec, "time_start", loc.at("time_start"))
    t1 = want_time(rec, "time_end", loc.at("time_end"))
    if (t0 is None) != (t1 is None):
        raise fail(loc.at("time_end" if t1 is None else "time_start"),
                   "cue times come in pairs: both or neither")
    if t0 is not None and t1 is not None and t1 < t0:
        raise fail(loc.at("time_end"), f"{t1} is before time_start {t0}")
    return Annotation(
        doc_key=key,
        raw_start=start,
        raw_end=end,
        quote=quote,
        prefix=want_str(rec, "prefix", loc.at("prefix"), default=""),
        suffix=want_str(rec, "suffix", loc.at("suffix"), default=""),
        doc_hash=want_str(rec, "doc_hash", loc.at("doc_hash"), default=""),
        id=ident,
        color=color,
        tags=want_tags(rec, "tags", loc.at("tags")),
        note=want_str(rec, "note", loc.at("note"), default=""),
        verdict=verdict,
        author=want_str(rec, "author", loc.at("author"), default=""),
        created=created,
        updated=updated,
        time_start=t0,
        time_end=t1,
    )
