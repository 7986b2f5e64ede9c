"""Field structure of a body: normalized paths and JSON types, bounded however large or wide
the document is."""

from __future__ import annotations

from dsensor.v1 import metadata_pb2

from sensor_dim.digger.schema import MAX_ARRAY_ITEMS, MAX_FIELDS, leaf_types

OBJECT, ARRAY = metadata_pb2.JSON_TYPE_OBJECT, metadata_pb2.JSON_TYPE_ARRAY
STRING, NUMBER = metadata_pb2.JSON_TYPE_STRING, metadata_pb2.JSON_TYPE_NUMBER


def test_paths_are_normalized_and_arrays_cut() -> None:
    doc = {"user": {"email": "a@example.org"}, "items": [{"sku": "A"} for _ in range(50)]}
    types = leaf_types(doc)
    assert types[:4] == [
        ("$.user", OBJECT),
        ("$.user.email", STRING),
        ("$.items", ARRAY),
        ("$.items[*]", OBJECT),
    ]
    assert types.count(("$.items[*].sku", STRING)) == MAX_ARRAY_ITEMS


def test_a_huge_document_yields_at_most_max_fields() -> None:
    wide = {f"k{i}": i for i in range(3 * MAX_FIELDS)}
    assert len(leaf_types(wide)) == MAX_FIELDS
    nested = {f"o{i}": {f"k{j}": j for j in range(50)} for i in range(200)}
    types = leaf_types(nested)
    assert len(types) == MAX_FIELDS
    assert types[0] == ("$.o0", OBJECT)
    assert types[1] == ("$.o0.k0", NUMBER)
