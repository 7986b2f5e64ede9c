"""Bounded JSON parsing: size and depth checked before the parser runs, errors without input."""

from __future__ import annotations

import json
import re

from detection_tool.errors import DetectionInputError

# a JSON string (skipped) or a bracket (counted)
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def _reject_constant(name: str) -> object:
    raise ValueError("non-standard constant")


def check_depth(text: str, max_depth: int) -> None:
    """Raise `too_deep` when arrays/objects nest deeper than `max_depth` (no recursion)."""
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        ch = match.group()
        if ch == "[" or ch == "{":
            depth += 1
            if depth > max_depth:
                raise DetectionInputError("too_deep", f"document nests deeper than {max_depth}")
        elif ch == "]" or ch == "}":
            depth -= 1


def parse_json(data: bytes | str, max_bytes: int, max_depth: int) -> object:
    """The parsed document, or DetectionInputError with a code and a value-free message."""
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise DetectionInputError("too_large", f"document exceeds {max_bytes} bytes")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DetectionInputError(
                "invalid_utf8", f"document is not UTF-8 (byte offset {exc.start})"
            ) from None
    else:
        text = data
        if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
            raise DetectionInputError("too_large", f"document exceeds {max_bytes} bytes")
    check_depth(text, max_depth)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DetectionInputError(
            "invalid_json", f"invalid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    except (ValueError, RecursionError):
        raise DetectionInputError("invalid_json", "invalid JSON") from None
