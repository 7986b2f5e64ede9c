"""Negative knowledge: value shapes that look numeric-sensitive but are not (first cut).

UUIDs, hex digests, timestamps, epoch numbers, dates, version strings and prices pass no
stand-alone recognizer; key context (``dob``, ``user_id``) can still name them.
"""

from __future__ import annotations

import re

_HEX = r"[0-9a-fA-F]"
_NEGATIVE = re.compile(
    "|".join(
        (
            rf"\{{?{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}\}}?",  # UUID
            rf"(?:(?:md5|sha1|sha256|sha512):)?(?:{_HEX}{{32}}|{_HEX}{{40}}|{_HEX}{{64}}|{_HEX}{{128}})",
            # ISO 8601 dates and timestamps
            r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
            r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?",  # other dates
            r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?",  # clock times
            r"1\d{9}(?:\.\d+)?|1\d{12}|1\d{15}|1\d{18}",  # epoch s, ms, us, ns (2001-2286)
            # versions
            r"v?\d{1,4}\.\d{1,3}(?:\.\d{1,3})?(?:[-+][0-9A-Za-z.-]+)?|v\d+(?:\.\d+){3,}",
            # prices: currency sign or code, or two decimals
            r"[$€£¥]\s?\d[\d,. ]*|\d[\d,. ]*\s?(?:[$€£¥]|USD|EUR|GBP|CHF|JPY)|\d+[.,]\d{2}",
        )
    )
)


def is_negative_value(text: str) -> bool:
    """True when the whole (stripped) value has a known non-sensitive shape."""
    return _NEGATIVE.fullmatch(text) is not None
