"""A pair through the digger: assets named, endpoint templated, fields typed, values kept out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from dsensor.v1 import metadata_pb2, pair_pb2

from detection_tool.findings import Finding, make_finding
from sensor_dim.digger.assets import KnownWorkload, StaticResolver
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor


class KeyNameDetector:
    """A stand-in detector that types fields by key name only (the real one has its own tests)."""

    def _types(self, key: str) -> list[Finding]:
        if key in ("email", "authorization"):
            kind = "email" if key == "email" else "bearer_token"
            return [make_finding(kind, 0.9, (f"key:{key}",))]
        return []

    def detect_document(
        self, doc: object, *, context: str | None = None
    ) -> Mapping[str, Sequence[Finding]]:
        assert isinstance(doc, dict)
        return {f"$.{k}": self._types(k) for k in doc if self._types(k)}

    def detect_fields(
        self, fields: Iterable[tuple[str, str, object]], *, context: str | None = None
    ) -> Mapping[str, Sequence[Finding]]:
        return {path: self._types(key) for path, key, _ in fields if self._types(key)}


def _pair(body: dict[str, object], target: str = "/users/42", host: str = "users:8080") -> bytes:
    pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000)
    pair.source.ip, pair.source.port = "10.244.1.10", 40000
    pair.destination.ip, pair.destination.port = "10.244.2.20", 8080
    pair.request.method, pair.request.target, pair.request.version = "POST", target, "HTTP/1.1"
    req = pair.request.message
    req.headers.add(name="Host", value=host)
    req.headers.add(name="Authorization", value="Bearer canary-token-123456")
    req.content_type = "application/json"
    req.body = json.dumps(body).encode()
    pair.response.status = 201
    pair.response.message.content_type = "application/json"
    pair.response.message.body = b'{"id": 42, "items": [{"sku": "A1"}, {"sku": "B2"}]}'
    return pair.SerializeToString()


def test_pairs_merge_into_one_flow_without_values() -> None:
    resolver = StaticResolver(
        [
            KnownWorkload(ip="10.244.1.10", name="frontend", namespace="shop"),
            KnownWorkload(ip="10.244.2.20", name="users", namespace="shop"),
        ]
    )
    builder = MetadataBuilder()
    processor = PairProcessor(KeyNameDetector(), resolver, builder)
    for user_id, email in ((42, "canary.one@example.org"), (43, "canary.two@example.org")):
        raw = _pair({"email": email, "age": 30}, target=f"/users/{user_id}")
        processor.process(pair_pb2.HttpPair.FromString(raw))

    [flow] = builder.drain()
    assert (flow.source.name, flow.destination.name) == ("frontend", "users")
    assert flow.endpoint.path_template == "/users/{id}"
    assert (flow.observed, flow.analysed) == (2, 2)
    request = {f.path: f for f in flow.request.fields}
    assert [t.type_id for t in request["$.email"].data_types] == ["email"]
    assert request["$.email"].seen == 2
    assert list(request["$.age"].json_types) == [metadata_pb2.JSON_TYPE_NUMBER]
    assert [t.type_id for t in request["header.authorization"].data_types] == ["bearer_token"]
    response = {f.path for f in flow.response.fields}
    assert "$.items[*].sku" in response
    serialized = flow.SerializeToString()
    for value in (b"canary.one", b"canary.two", b"canary-token", b"A1", b"B2"):
        assert value not in serialized
    assert len(builder) == 0


def test_unparseable_body_is_counted_and_the_pair_still_observed() -> None:
    builder = MetadataBuilder()
    processor = PairProcessor(KeyNameDetector(), StaticResolver([]), builder)
    pair = pair_pb2.HttpPair.FromString(_pair({}))
    pair.request.message.body = b'{"email": "x", '
    processor.process(pair)
    pair.request.message.body = b"\xff\xfe not utf-8"
    processor.process(pair)
    assert processor.counters["body_error_invalid_json"] == 1
    assert processor.counters["body_error_invalid_utf8"] == 1
    [flow] = builder.drain()
    assert flow.observed == 2
    assert flow.destination.kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS


def test_deep_json_is_refused_not_crashing() -> None:
    builder = MetadataBuilder()
    processor = PairProcessor(KeyNameDetector(), StaticResolver([]), builder)
    pair = pair_pb2.HttpPair.FromString(_pair({}))
    pair.request.message.body = b"[" * 200_000 + b"]" * 200_000
    processor.process(pair)
    assert processor.counters["body_error_too_deep"] == 1


def test_external_destination_is_named_by_host_header() -> None:
    resolver = StaticResolver([])
    asset = resolver.resolve("203.0.113.10", "api.payments.example:443")
    assert asset.kind == metadata_pb2.ASSET_KIND_EXTERNAL
    assert asset.name == "api.payments.example"
    assert asset.external
    odd = resolver.resolve("203.0.113.10", "<script>:80")
    assert odd.kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS


def test_masked_shapes_only_when_enabled_and_never_the_value() -> None:
    from sensor_core.masking import masked_shape

    assert masked_shape("Jane.Doe-42@x.org") == "xxxx.xxx-99@x.xxx"
    assert masked_shape(4111111111111111) == "9" * 16
    assert masked_shape("é") == "x"
    assert masked_shape("€ 12") == "? 99"
    assert len(masked_shape("a" * 100)) == 32
    assert masked_shape(None) == masked_shape(True) == ""

    for enabled in (False, True):
        builder = MetadataBuilder()
        processor = PairProcessor(KeyNameDetector(), StaticResolver([]), builder, None, enabled)
        processor.process(
            pair_pb2.HttpPair.FromString(_pair({"email": "canary.mask@example.org", "age": 30}))
        )
        [flow] = builder.drain()
        shapes = {f.path: f.masked_shape for f in flow.request.fields}
        if enabled:
            assert shapes["$.email"] == "xxxxxx.xxxx@xxxxxxx.xxx"
            assert shapes["$.age"] == "99"
            assert shapes["header.authorization"].startswith("xxxxxx ")
        else:
            assert set(shapes.values()) == {""}
        assert b"canary" not in flow.SerializeToString()


def test_public_callers_are_one_asset_and_their_addresses_stay_in_the_digger() -> None:
    """Clients on the internet that resolve to no name are one sender, `internet`: a thousand
    client addresses make one flow, and no address reaches the metadata; an unnamed address
    inside the cluster (a node, a pod outside the watched namespaces) keeps its IP."""
    resolver = StaticResolver([KnownWorkload(ip="10.244.2.20", name="users", namespace="shop")])
    builder = MetadataBuilder()
    processor = PairProcessor(KeyNameDetector(), resolver, builder)
    clients = [f"198.51.{i // 250}.{i % 250 + 1}" for i in range(1000)]
    for ip in [*clients, "10.244.9.9"]:
        pair = pair_pb2.HttpPair.FromString(_pair({"email": "a@example.org"}))
        pair.source.ip = ip
        processor.process(pair)
    flows = {flow.source.name: flow for flow in builder.drain()}
    assert set(flows) == {"internet", "10.244.9.9"}
    internet = flows["internet"]
    assert internet.source.external
    assert internet.source.kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS
    assert (internet.observed, internet.destination.name) == (1000, "users")
    assert not flows["10.244.9.9"].source.external
    serialized = b"".join(flow.SerializeToString() for flow in flows.values())
    assert not any(ip.encode() in serialized for ip in clients)
