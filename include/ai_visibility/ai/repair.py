"""Repair a provider's response whose text is not valid Unicode, rather than refuse an answer that
was paid for: byte sequences that are not UTF-8 and lone surrogates (valid JSON, such as "\\udcff",
but half of a character, which no database stores) become U+FFFD, and the repair is described so
the question run can say so."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_body(body: bytes) -> tuple[str, int]:
    """The body as text, each sequence of bytes that is not UTF-8 replaced with U+FFFD, and how many were."""
    text = body.decode("utf-8", errors="replace")
    return text, text.count(REPLACEMENT) - body.count(REPLACEMENT.encode())


def repair_strings(value: Any, path: str = "") -> tuple[Any, list[tuple[str, int]]]:
    """`value` (parsed JSON) with every lone surrogate replaced, and the fields repaired with their counts."""
    if isinstance(value, str):
        repaired, count = _SURROGATE.subn(REPLACEMENT, value)
        return repaired, [(path or "body", count)] if count else []
    if isinstance(value, Mapping):
        # A key is repaired too (unlikely to be broken, but a broken one could not be stored either).
        items = [(str(k), _SURROGATE.sub(REPLACEMENT, k) if isinstance(k, str) else k, v) for k, v in value.items()]
        out: Any = {}
    elif isinstance(value, list):
        items = [(str(i), i, v) for i, v in enumerate(value)]
        out = [None] * len(value)
    else:
        return value, []
    fields: list[tuple[str, int]] = []
    for name, key, item in items:
        out[key], found = repair_strings(item, f"{path}.{name}" if path else name)
        fields += found
    return out, fields


def describe(undecodable: int, fields: list[tuple[str, int]]) -> str | None:
    """What the repair changed, for the question run; None when nothing was repaired."""
    parts = [f"{undecodable} byte sequence(s) that were not UTF-8 in the response body"] if undecodable else []
    parts += [f"{count} lone surrogate(s) in {field}" for field, count in fields]
    return "replaced with U+FFFD: " + "; ".join(parts) if parts else None
