"""Field paths of CONTRACTS.md in one place: `$.a.b`, `$.items[0].sku`, `$.items[*].sku`.

Keys that are not plain identifiers are quoted: `$['first name']`.
"""

from __future__ import annotations

import re

ROOT = "$"
_INDEX = re.compile(r"\[\d+\]")


def child_path(parent: str, key: str) -> str:
    if key.isidentifier():
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"


def index_path(parent: str, index: int) -> str:
    return f"{parent}[{index}]"


def normalize_path(path: str) -> str:
    """`$.items[3].sku` -> `$.items[*].sku`: one entry for every array element."""
    return _INDEX.sub("[*]", path)
