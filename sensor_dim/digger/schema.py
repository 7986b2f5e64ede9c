"""The structure of a JSON value: normalized field paths and their JSON types. No values."""

from __future__ import annotations

from collections.abc import Iterator

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


def leaf_types(doc: object, root: str = ROOT) -> Iterator[tuple[str, int]]:
    """(normalized path, JSON type) of every leaf and container below `root`, depth first."""
    stack: list[tuple[str, object]] = [(root, doc)]
    emitted = 0
    while stack and emitted < MAX_FIELDS:
        path, value = stack.pop()
        if path != root:
            yield normalize_path(path), json_type(value)
            emitted += 1
        if isinstance(value, dict):
            for key, child in reversed(list(value.items())):
                stack.append((child_path(path, key), child))
        elif isinstance(value, list):
            for index in reversed(range(min(len(value), MAX_ARRAY_ITEMS))):
                stack.append((index_path(path, index), value[index]))


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
