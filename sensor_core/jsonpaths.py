"""Field paths of CONTRACTS.md in one place: `$.a.b`, `$.items[0].sku`, `$.items[*].sku`.

A map key that looks like a value (an e-mail, a long number, anything not identifier-like) never
enters a path: it is written `*` (`{"jane@x.org": {...}}` -> `$.*`), so paths stay structure.
"""

from __future__ import annotations

import re

ROOT = "$"
_INDEX = re.compile(r"\[\d+\]")
# a letter or `_` first, then letters (any script: `prénom`, `straße`), digits, `_`, `-`, space
_SAFE_KEY = re.compile(r"[^\W\d][\w -]{0,63}")
# inside a key, what only values have: five digits in a row, a UUID, a long hex string
_VALUE_LIKE = re.compile(r"\d{5}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-|(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}")


def is_safe_key(key: str) -> bool:
    """True when a map key can appear in a path (it does not look like a value)."""
    return _SAFE_KEY.fullmatch(key) is not None and _VALUE_LIKE.search(key) is None


def child_path(parent: str, key: object) -> str:
    if isinstance(key, str) and is_safe_key(key):
        return f"{parent}.{key}"
    return f"{parent}.*"


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def normalize_path(path: str) -> str:
    """`$.items[3].sku` -> `$.items[*].sku`: one entry for every array element."""
    return _INDEX.sub("[*]", path)
