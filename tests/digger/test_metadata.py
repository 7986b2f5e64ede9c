"""Field schemas of a flow: every field counted once per message that has it, its JSON types and
findings merged, however the messages' shapes repeat or vary."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from dsensor.v1 import metadata_pb2

from detection_tool.findings import Finding, make_finding
from sensor_dim.digger.metadata import MAX_PENDING_SIGNATURES, MessageAnalysis, MetadataBuilder

STRING, NUMBER = metadata_pb2.JSON_TYPE_STRING, metadata_pb2.JSON_TYPE_NUMBER
ARRAY, OBJECT = metadata_pb2.JSON_TYPE_ARRAY, metadata_pb2.JSON_TYPE_OBJECT
EMAIL = [make_finding("email", 0.9, ("key:email",))]
SOURCE = metadata_pb2.Asset(kind=metadata_pb2.ASSET_KIND_WORKLOAD, namespace="a", name="src")
DESTINATION = metadata_pb2.Asset(kind=metadata_pb2.ASSET_KIND_WORKLOAD, namespace="a", name="dst")
ENDPOINT = ("POST", "users:8080", "/users", 8080)


def _message(rng: random.Random, variant: int) -> MessageAnalysis:
    """A body of one of a few common shapes, or (variant >= 3) of a shape of its own."""
    types: list[tuple[str, int]] = [("$.email", STRING), ("$.items", ARRAY)]
    # array elements repeat their normalized path within one message
    types += [("$.items[*]", OBJECT), ("$.items[*].sku", STRING)] * (variant % 3)
    if variant >= 3:
        types.append((f"$.extra_{variant}", rng.choice([STRING, NUMBER])))
    findings: dict[str, list[Finding]] = {"$.email": EMAIL}
    if variant % 2:
        # a finding on a path the message's types do not name (a header), and on an element
        findings["header.x-user-email"] = EMAIL
        if variant % 3:
            findings["$.items[0].sku"] = EMAIL
            findings["$.items[1].sku"] = EMAIL
    return MessageAnalysis("application/json", types, findings)


def test_each_field_is_counted_once_per_message_that_has_it() -> None:
    rng = random.Random(5)
    builder = MetadataBuilder()
    seen: Counter[str] = Counter()
    json_types: defaultdict[str, set[int]] = defaultdict(set)
    # repeated shapes, then more distinct shapes than are held back, then the common ones again
    variants = [rng.randrange(3) for _ in range(200)]
    variants += list(range(3, 3 + 3 * MAX_PENDING_SIGNATURES))
    variants += [rng.randrange(3 + 3 * MAX_PENDING_SIGNATURES) for _ in range(300)]
    for variant in variants:
        analysis = _message(rng, variant)
        builder.observe(SOURCE, DESTINATION, ENDPOINT, 200, 1, analysis, None)
        paths = {path for path, _ in analysis.json_types}
        paths |= {path.replace("[0]", "[*]").replace("[1]", "[*]") for path in analysis.findings}
        seen.update(paths)
        for path, kind in analysis.json_types:
            json_types[path].add(kind)
    (flow,) = builder.drain()
    fields = {f.path: f for f in flow.request.fields}
    assert {path: f.seen for path, f in fields.items()} == dict(seen)
    assert {path: set(fields[path].json_types) for path in json_types} == dict(json_types)
    assert seen["$.email"] == len(variants) == flow.analysed
    typed = {path for path, f in fields.items() if any(d.type_id == "email" for d in f.data_types)}
    assert typed == {"$.email", "header.x-user-email", "$.items[*].sku"}


def test_a_new_window_starts_empty() -> None:
    builder = MetadataBuilder()
    for variant in (0, 1, 1, 2):
        analysis = _message(random.Random(1), variant)
        builder.observe(SOURCE, DESTINATION, ENDPOINT, 200, 1, analysis, None)
    builder.drain()
    builder.observe(SOURCE, DESTINATION, ENDPOINT, 200, 2, _message(random.Random(1), 0), None)
    (flow,) = builder.drain()
    assert {f.path: f.seen for f in flow.request.fields} == {"$.email": 1, "$.items": 1}
