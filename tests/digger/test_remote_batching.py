"""Remote detection in batches: the fields of many pairs travel in one Detect request to a real
detection-tool server, and the metadata equals what the in-process detector builds pair by pair."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from dsensor.v1 import metadata_pb2, pair_pb2

from detection_tool.detector import Detector
from detection_tool.server import RunningServer, serve
from detection_tool.settings import DetectionToolSettings
from sensor_core.demo import bundled_capture
from sensor_dim.digger.assets import StaticResolver
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from sensor_dim.digger.remote_detection import DetectionUnavailableError, PatientDetector
from sensor_dim.interceptor.pipeline import read_pairs


@pytest.fixture
def detection_server() -> Iterator[RunningServer]:
    settings = DetectionToolSettings.model_validate({"grpc": {"host": "127.0.0.1", "port": 0}})
    running = serve(settings, with_http=False)
    try:
        yield running
    finally:
        running.stop(grace=1.0)


def _pairs() -> list[pair_pb2.HttpPair]:
    rng = random.Random(4)
    pairs = list(read_pairs(bundled_capture()).pairs)
    for i in range(20):
        pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000 + i)
        pair.source.ip, pair.destination.ip, pair.destination.port = "10.0.0.1", "10.0.0.2", 80
        pair.request.method = "POST"
        pair.request.target = f"/customers/{rng.randrange(10**6)}?email=jane{i}@example.org"
        req = pair.request.message
        req.headers.add(name="Host", value="crm:80")
        req.headers.add(name="Cookie", value=f"session=s{rng.randrange(10**9)}abcdef")
        req.content_type = "application/json"
        doc = {"email": f"c{i}@example.org", "iban": "DE89370400440532013000", "n": i}
        req.body = json.dumps(doc).encode()
        if i % 3 == 0:
            req.body = b'{"broken": '  # counted as a body error on both paths
        pairs.append(pair)
    return pairs


def _flows(builder: MetadataBuilder) -> list[bytes]:
    flows = builder.drain()
    for flow in flows:
        flow.first_seen_unix_nanos = flow.last_seen_unix_nanos = 0
    return sorted(f.SerializeToString(deterministic=True) for f in flows)


def test_one_request_for_many_pairs_and_the_same_metadata(
    detection_server: RunningServer,
) -> None:
    pairs = _pairs()
    remote = PatientDetector(f"127.0.0.1:{detection_server.port}", timeout=10, patience=2)
    try:
        batched = MetadataBuilder()
        processor = PairProcessor(remote, StaticResolver([]), batched)
        assert processor.process_batch(pairs) == [""] * len(pairs)
    finally:
        remote.close()
    assert remote.counters["calls"] == 1  # every body and field of every pair at once
    # per message side at most two documents: its body, and its header/cookie/query/path fields
    assert len(pairs) < remote.counters["documents"] <= 4 * len(pairs)

    local = MetadataBuilder()
    one_by_one = PairProcessor(Detector(), StaticResolver([]), local)
    for pair in pairs:
        one_by_one.process(pair)
    assert _flows(batched) == _flows(local)
    assert processor.counters == one_by_one.counters
    assert processor.counters["body_error_invalid_json"] == 7


def test_service_away_applies_nothing_of_the_batch() -> None:
    remote = PatientDetector("127.0.0.1:1", timeout=0.5, patience=0.3)
    builder = MetadataBuilder()
    processor = PairProcessor(remote, StaticResolver([]), builder)
    try:
        with pytest.raises(DetectionUnavailableError):
            processor.process_batch(_pairs())
    finally:
        remote.close()
    assert len(builder) == 0  # nothing half-applied: the consumer delivers the batch again
    assert processor.counters["analysed"] == 0
    assert remote.counters["unavailable"] >= 1


def test_json_types_come_from_the_body_not_from_detection(
    detection_server: RunningServer,
) -> None:
    remote = PatientDetector(f"127.0.0.1:{detection_server.port}", timeout=10, patience=2)
    builder = MetadataBuilder()
    try:
        PairProcessor(remote, StaticResolver([]), builder).process_batch(_pairs()[-2:])
    finally:
        remote.close()
    [flow] = builder.drain()
    fields = {f.path: f for f in flow.request.fields}
    assert list(fields["$.n"].json_types) == [metadata_pb2.JSON_TYPE_NUMBER]
    assert "email" in {t.type_id for t in fields["$.email"].data_types}


def _keyed_pairs() -> list[pair_pb2.HttpPair]:
    rng = random.Random(6)
    pairs = []
    for i in range(12):
        pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000 + i)
        pair.source.ip, pair.destination.ip, pair.destination.port = "10.0.0.1", "10.0.0.3", 80
        pair.request.method = "GET"
        pair.request.target = f"/accounts/{rng.randrange(10**6)}?email=a{i}@example.org"
        req = pair.request.message
        req.headers.add(name="Host", value="billing:80")
        # a vendor token the detector types as a credential, unless suppressed by path
        token = "sk_" + "live_" + "".join(rng.choice("abcdefghJKLMNP0123456789") for _ in range(24))
        req.headers.add(name="X-Api-Key", value=token)
        req.headers.add(name="X-Contact", value=f"owner{i}@example.org")
        pair.response.status = 200
        resp = pair.response.message
        resp.content_type = "application/json"
        resp.body = json.dumps({"email": f"r{i}@example.org", "key": token}).encode()
        pairs.append(pair)
    return pairs


def _types_by_path(flows: list[metadata_pb2.FlowMetadata]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for flow in flows:
        for side in (flow.request, flow.response):
            for field in side.fields:
                out.setdefault(field.path, set()).update(t.type_id for t in field.data_types)
    return out


def test_a_header_suppression_on_the_service_holds_for_digger_pairs() -> None:
    suppressed = {"detector": {"suppressions": [{"paths": ["header.x-api-key"]}]}}
    settings = DetectionToolSettings.model_validate(
        {"grpc": {"host": "127.0.0.1", "port": 0}, **suppressed}
    )
    running = serve(settings, with_http=False)
    remote = PatientDetector(f"127.0.0.1:{running.port}", timeout=10, patience=2)
    try:
        through_service = MetadataBuilder()
        PairProcessor(remote, StaticResolver([]), through_service).process_batch(_keyed_pairs())
    finally:
        remote.close()
        running.stop(grace=1.0)
    in_process = MetadataBuilder()
    local = PairProcessor(Detector(settings.detector), StaticResolver([]), in_process)
    for pair in _keyed_pairs():
        local.process(pair)
    unsuppressed = MetadataBuilder()
    plain = PairProcessor(Detector(), StaticResolver([]), unsuppressed)
    plain.process_batch(_keyed_pairs())

    remote_flows, local_flows = through_service.drain(), in_process.drain()
    types = _types_by_path(remote_flows)
    assert not types.get("header.x-api-key")  # the service's suppression reached the header
    assert "email" in types["header.x-contact"]  # other headers are still typed
    assert "email" in types["query.email"]
    assert "stripe_key" in types["$.key"]  # the suppression is on that path only
    assert "stripe_key" in _types_by_path(unsuppressed.drain())["header.x-api-key"]
    for flows in (remote_flows, local_flows):
        for flow in flows:
            flow.first_seen_unix_nanos = flow.last_seen_unix_nanos = 0
    assert sorted(f.SerializeToString(deterministic=True) for f in remote_flows) == sorted(
        f.SerializeToString(deterministic=True) for f in local_flows
    )
