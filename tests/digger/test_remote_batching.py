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
    assert remote.counters["documents"] > 3 * len(pairs)

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
