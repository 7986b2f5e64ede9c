"""Walks a parsed JSON document to its leaves with JSONPath-like paths (bounded depth)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from detection_tool.errors import DetectionInputError
from detection_tool.keys import GENERIC_MEMBERS, sibling_parent
from sensor_core.jsonpaths import ROOT, child_path, index_path

_MAX_CONTEXT_KEY = 64


@dataclass(frozen=True, slots=True)
class Leaf:
    path: str  # "$.customer.email", "$.items[0].sku" or "$.items[*].sku"
    key: str | None  # the member name holding the value (the array's name for elements)
    parent: str | None  # the member name of the enclosing object
    value: object


def walk_leaves(
    doc: object,
    *,
    max_depth: int,
    max_elements: int,
    wildcard_arrays: bool,
    root_name: str | None = None,
) -> Iterator[Leaf]:
    """Every scalar in `doc`. Arrays are cut to `max_elements`; map keys that look like values
    (emails, long numbers, anything not identifier-like) appear in paths as `*`. `root_name`
    names the document itself (`users` for a `/users/{id}` response) as its members' parent."""
    yield from _walk(doc, ROOT, root_name, None, 0, max_depth, max_elements, wildcard_arrays)


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
        context_parent = key
        if any(member in node for member in GENERIC_MEMBERS):
            context_parent = sibling_parent(node) or key
        for name, child in node.items():
            # a key that may be a value stays out of the path (`*`) but still gives context
            # (`contraseña`, `teléfono`); context reasons name table phrases, never the key
            child_key = name if isinstance(name, str) and len(name) <= _MAX_CONTEXT_KEY else None
            yield from _walk(
                child,
                child_path(path, name),
                child_key,
                context_parent,
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
