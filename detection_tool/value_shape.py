"""The shape of a value as the model sees it: length, shares of digits, letters, spaces and
symbols, entropy, placeholder words, title case. Numbers only: nothing of the value is kept."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

_SHAPE_CHARS = 64
_NO_DIGITS = str.maketrans("", "", "0123456789")
_DIGIT_BYTES = b"0123456789"
_LETTER_BYTES = string.ascii_letters.encode()
# c * log2(c) per character count of a shape sample (a count of 1 adds nothing)
_C_LOG_C = tuple(0.0 if c < 2 else c * math.log2(c) for c in range(_SHAPE_CHARS + 1))
# words that fill a field without being data (compared lower-cased, brackets stripped)
PLACEHOLDER_WORDS = frozenset(
    [
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "unknown",
        "redacted",
        "hidden",
        "masked",
        "removed",
        "pending",
        "tbd",
        "tba",
        "todo",
        "test",
        "testing",
        "sample",
        "example",
        "placeholder",
        "dummy",
        "withheld",
        "anonymous",
        "anonymized",
        "empty",
        "blank",
        "default",
        "changeme",
        "undefined",
        "various",
        "other",
        "see_notes",
        "same_as_above",
        "not_provided",
        "not_set",
        "not_available",
        "not_applicable",
        "no_data",
        "xxx",
    ]
)
_PLACEHOLDER_STRIP = " []<>(){}?!.'\"*-_#"


def is_placeholder(text: str) -> bool:
    """'N/A', '[REDACTED]', '***', 'not provided', '' and their like."""
    core = text.strip(_PLACEHOLDER_STRIP).lower().replace(" ", "_")
    if not core:
        return True  # only masks and punctuation
    if len(core) > 20:
        return False
    return core in PLACEHOLDER_WORDS or (len(set(core)) == 1 and core[0] in "x*0")


@dataclass(frozen=True, slots=True)
class ValueShape:
    """Shape numbers of one value, computed once for all of its candidate findings."""

    log_length: float
    digits: float
    letters: float
    spaces: float
    symbols: float
    entropy: float
    placeholder: float
    title_case: float

    @classmethod
    def of(cls, text: str) -> ValueShape:
        return cls(*shape_features(text))


def shape_features(text: str) -> tuple[float, float, float, float, float, float, float, float]:
    """ValueShape's numbers in field order (the scorer takes them without the object)."""
    sample = text[:_SHAPE_CHARS]
    n = len(sample) or 1
    if sample.isascii():  # bytes.translate deletes through a 256-entry table: cheaper
        raw = sample.encode("ascii")
        digits = len(raw) - len(raw.translate(None, _DIGIT_BYTES))
        letters = len(raw) - len(raw.translate(None, _LETTER_BYTES))
    else:
        digits = n - len(sample.translate(_NO_DIGITS)) if sample else 0
        letters = sum(map(str.isalpha, sample))
    spaces = sample.count(" ")
    # character counts in first-seen order: the same float sum every time
    counts = map(sample.count, dict.fromkeys(sample))
    entropy = math.log2(n) - sum(map(_C_LOG_C.__getitem__, counts)) / n
    return (
        math.log1p(len(text)) / 6.0,
        digits / n,
        letters / n,
        spaces / n,
        (n - digits - letters - spaces) / n,
        entropy / 6.0,
        float(is_placeholder(text)),
        float(text[:1].isupper() and not text[1:2].isupper()),
    )
