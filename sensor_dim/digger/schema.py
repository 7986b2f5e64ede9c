"""The structure of a JSON value: normalized field paths and their JSON types. No values."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator

from dsensor.v1 import metadata_pb2

from sensor_core.jsonpaths import ROOT, child_path, index_path, normalize_path

MAX_ARRAY_ITEMS = 10  # arrays are cut to their first elements, as detection does
MAX_FIELDS = 2000


def json_type(value: object) -> int:
    if value is None:
        return metadata_pb2.JSON_TYPE_NULL
    if isinstance(value, bool):
        return metadata_pb2.JSON_TYPE_BOOLEAN
    if isinstance(value, int | float):
        return metadata_pb2.JSON_TYPE_NUMBER
    if isinstance(value, str):
        return metadata_pb2.JSON_TYPE_STRING
    if isinstance(value, list):
        return metadata_pb2.JSON_TYPE_ARRAY
    return metadata_pb2.JSON_TYPE_OBJECT


def leaf_types(doc: object, root: str = ROOT) -> list[tuple[str, int]]:
    """(normalized path, JSON type) of every leaf and container below `root`, depth first
    (pre-order), at most MAX_FIELDS; arrays are cut to their first MAX_ARRAY_ITEMS elements."""
    out: list[tuple[str, int]] = []
    _walk_types(doc, normalize_path(root), out)
    return out


@functools.lru_cache(maxsize=16384)
def _member(parent: str, key: str) -> str:
    """`child_path` for a normalized parent (cached: the same keys come again and again)."""
    return child_path(parent, key)


# the exact classes a JSON parser builds (subclasses go through json_type)
_TYPE_OF: dict[type, int] = {
    str: metadata_pb2.JSON_TYPE_STRING,
    int: metadata_pb2.JSON_TYPE_NUMBER,
    float: metadata_pb2.JSON_TYPE_NUMBER,
    bool: metadata_pb2.JSON_TYPE_BOOLEAN,
    type(None): metadata_pb2.JSON_TYPE_NULL,
    dict: metadata_pb2.JSON_TYPE_OBJECT,
    list: metadata_pb2.JSON_TYPE_ARRAY,
}
_CONTAINERS = (metadata_pb2.JSON_TYPE_OBJECT, metadata_pb2.JSON_TYPE_ARRAY)


@functools.lru_cache(maxsize=4096)
def _members(parent: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The member paths of an object's keys under a normalized parent (objects of one shape
    come again and again: one cached answer for all their keys)."""
    return tuple(_member(parent, k) for k in keys)


def _walk_types(value: object, path: str, out: list[tuple[str, int]]) -> None:
    # the paths are built normalized (`[*]`), as normalize_path(child/index path) would give
    if isinstance(value, dict):
        keys = tuple(value)
        if all(type(k) is str for k in keys):
            paths: Iterable[str] = _members(path, keys)
        else:
            paths = [_member(path, k) if type(k) is str else child_path(path, k) for k in keys]
        children: Iterable[object] = value.values()
    elif isinstance(value, list):
        children = value[:MAX_ARRAY_ITEMS]
        paths = itertools.repeat(path + "[*]", len(children))
    else:
        return
    for child_at, child in zip(paths, children, strict=True):
        if len(out) >= MAX_FIELDS:
            return
        kind = _TYPE_OF.get(type(child)) or json_type(child)
        out.append((child_at, kind))
        if kind in _CONTAINERS:
            _walk_types(child, child_at, out)


def leaf_values(doc: object, root: str = ROOT) -> Iterator[tuple[str, object]]:
    """(normalized path, value) of every scalar below `root` (for masked shapes only)."""
    stack: list[tuple[str, object]] = [(root, doc)]
    emitted = 0
    while stack and emitted < MAX_FIELDS:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((child_path(path, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(
                (index_path(path, i), value[i])
                for i in reversed(range(min(len(value), MAX_ARRAY_ITEMS)))
            )
        else:
            yield normalize_path(path), value
            emitted += 1
