"""Walks a parsed JSON document to its leaves with JSONPath-like paths (bounded depth)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from detection_tool.errors import DetectionInputError
from sensor_core.jsonpaths import ROOT, child_path, index_path, is_safe_key


@dataclass(frozen=True, slots=True)
class Leaf:
    path: str  # "$.customer.email", "$.items[0].sku" or "$.items[*].sku"
    key: str | None  # the member name holding the value (the array's name for elements)
    parent: str | None  # the member name of the enclosing object
    value: object


def walk_leaves(
    doc: object, *, max_depth: int, max_elements: int, wildcard_arrays: bool
) -> Iterator[Leaf]:
    """Every scalar in `doc`. Arrays are cut to `max_elements`; map keys that look like values
    (emails, long numbers, anything not identifier-like) appear in paths as `*`."""
    yield from _walk(doc, ROOT, None, None, 0, max_depth, max_elements, wildcard_arrays)


def _walk(
    node: object,
    path: str,
    key: str | None,
    parent: str | None,
    depth: int,
    max_depth: int,
    max_elements: int,
    wildcard: bool,
) -> Iterator[Leaf]:
    if isinstance(node, dict):
        if depth >= max_depth:
            raise DetectionInputError("too_deep", f"document nests deeper than {max_depth}")
        for name, child in node.items():
            safe = isinstance(name, str) and is_safe_key(name)
            child_key = name if safe else None
            yield from _walk(
                child,
                child_path(path, name),
                child_key,
                key,
                depth + 1,
                max_depth,
                max_elements,
                wildcard,
            )
    elif isinstance(node, list | tuple):
        if depth >= max_depth:
            raise DetectionInputError("too_deep", f"document nests deeper than {max_depth}")
        for index, child in enumerate(node[:max_elements]):
            element_path = f"{path}[*]" if wildcard else index_path(path, index)
            yield from _walk(
                child, element_path, key, parent, depth + 1, max_depth, max_elements, wildcard
            )
    else:
        yield Leaf(path, key, parent, node)
