"""Field paths of CONTRACTS.md in one place: `$.a.b`, `$.items[0].sku`, `$.items[*].sku`.

A map key that looks like a value (an e-mail, a long number, anything not identifier-like) never
enters a path: it is written `*` (`{"jane@x.org": {...}}` -> `$.*`), so paths stay structure.
"""

from __future__ import annotations

import re

ROOT = "$"
_INDEX = re.compile(r"\[\d+\]")
_SAFE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_ -]{0,63}")
_LONG_DIGITS = re.compile(r"\d{5}")


def is_safe_key(key: str) -> bool:
    """True when a map key can appear in a path (it does not look like a value)."""
    return _SAFE_KEY.fullmatch(key) is not None and _LONG_DIGITS.search(key) is None


def child_path(parent: str, key: object) -> str:
    if isinstance(key, str) and is_safe_key(key):
        return f"{parent}.{key}"
    return f"{parent}.*"


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def normalize_path(path: str) -> str:
    """`$.items[3].sku` -> `$.items[*].sku`: one entry for every array element."""
    return _INDEX.sub("[*]", path)
