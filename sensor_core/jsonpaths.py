"""Field paths of CONTRACTS.md in one place: `$.a.b`, `$.items[0].sku`, `$.items[*].sku`.

A map key that looks like a value (an e-mail, a long number, anything not identifier-like) never
enters a path: it is written `*` (`{"jane@x.org": {...}}` -> `$.*`), so paths stay structure.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ROOT = "$"
_INDEX = re.compile(r"\[\d+\]")
# a letter or `_` first, then letters (any script: `prénom`, `straße`), digits, `_`, `-`, space
_SAFE_KEY = re.compile(r"[^\W\d][\w -]{0,63}")
# inside a key, what only values have: five digits in a row, a UUID, a long hex string
_VALUE_LIKE = re.compile(r"\d{5}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}")


def is_safe_key(key: str) -> bool:
    """True when a map key can appear in a path (it does not look like a value)."""
    if _SAFE_KEY.fullmatch(key) is None and not _word_with_marks(key):
        return False
    return _VALUE_LIKE.search(key) is None


@lru_cache(maxsize=4096)
def _word_with_marks(key: str) -> bool:
    """A name in a script whose vowels are combining marks (Thai, Devanagari, Bengali...):
    `\\w` does not take the marks, the name without them is identifier-like."""
    bare = "".join(c for c in key if not unicodedata.category(c).startswith("M"))
    return bare != key and _SAFE_KEY.fullmatch(bare) is not None


def child_path(parent: str, key: object) -> str:
    if isinstance(key, str) and is_safe_key(key):
        return f"{parent}.{key}"
    return f"{parent}.*"


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def normalize_path(path: str) -> str:
    """`$.items[3].sku` -> `$.items[*].sku`: one entry for every array element."""
    return _INDEX.sub("[*]", path)
