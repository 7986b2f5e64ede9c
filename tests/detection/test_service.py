"""The gRPC service over a real loopback server: Detect, DetectRecords, errors, health."""

from __future__ import annotations

import urllib.request

import grpc
import pytest
from dsensor.v1 import detection_pb2, detection_pb2_grpc, metadata_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from detection_tool import DetectionInputError
from detection_tool.client import RemoteDetector
from detection_tool.convert import fields_from_proto, findings_from_proto
from detection_tool.server import RunningServer
from tests.harness.ports import free_port

pytestmark = pytest.mark.integration


def test_detect_batch_with_a_bad_document(running_server: RunningServer) -> None:
    docs = [
        b'{"customer": {"email": "ana@example.com"}}',
        b"{not json",
        b"[" * 5000 + b"]" * 5000,
        b'{"card": {"number": "4111 1111 1111 1111"}}',
    ]
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        results = remote.detect_json_batch(docs)
    assert len(results) == 4
    first, bad, deep, card = results
    assert isinstance(first, dict)
    assert [f.type_id for f in first["$.customer.email"]] == ["email"]
    assert isinstance(bad, DetectionInputError)
    assert bad.code == "invalid_json"
    assert isinstance(deep, DetectionInputError)
    assert deep.code == "too_deep"
    assert isinstance(card, dict)
    (finding,) = card["$.card.number"]
    assert finding.type_id == "credit_card_number"
    assert finding.sensitivity == "high"
    assert finding.category == "payment"
    assert "validator:luhn" in finding.reasons


def test_raw_stub_sees_enums_and_ids(running_server: RunningServer) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{running_server.port}") as channel:
        stub = detection_pb2_grpc.DetectionServiceStub(channel)  # type: ignore[no-untyped-call]
        response = stub.Detect(
            detection_pb2.DetectRequest(
                documents=[detection_pb2.Document(id="doc-7", json=b'{"password": "x1"}')]
            ),
            timeout=5,
        )
    (result,) = response.results
    assert result.id == "doc-7"
    assert result.error == ""
    (field,) = result.fields
    assert field.path == "$.password"
    (data_type,) = field.data_types
    assert data_type.type_id == "password"
    assert data_type.sensitivity == metadata_pb2.SENSITIVITY_HIGH
    assert data_type.category == metadata_pb2.CATEGORY_CREDENTIALS


def test_compact_answers_carry_each_finding_once_with_the_same_results(
    running_server: RunningServer,
) -> None:
    docs = [
        detection_pb2.Document(
            id=str(i),
            json=f'{{"email": "u{i}@example.com", "card": "4111 1111 1111 1111"}}'.encode(),
        )
        for i in range(20)
    ]
    with grpc.insecure_channel(f"127.0.0.1:{running_server.port}") as channel:
        stub = detection_pb2_grpc.DetectionServiceStub(channel)  # type: ignore[no-untyped-call]
        plain = stub.Detect(detection_pb2.DetectRequest(documents=docs), timeout=5)
        compact = stub.Detect(detection_pb2.DetectRequest(documents=docs, compact=True), timeout=5)
    assert not plain.findings  # a client that did not ask gets copies, as before
    assert {d.type_id for d in compact.findings} == {"email", "credit_card_number"}
    distinct = {
        d.SerializeToString() for r in plain.results for f in r.fields for d in f.data_types
    }
    assert len(compact.findings) == len(distinct) < 40  # 40 typed fields, each finding once
    assert all(not f.data_types for r in compact.results for f in r.fields)
    table = findings_from_proto(compact.findings)
    for p, c in zip(plain.results, compact.results, strict=True):
        assert fields_from_proto(c.fields, table) == fields_from_proto(p.fields)
    assert compact.ByteSize() < plain.ByteSize() / 2


def test_a_finding_reference_outside_the_table_is_an_error() -> None:
    field = detection_pb2.FieldResult(path="$.email", finding_refs=[3])
    with pytest.raises(ValueError, match="outside"):
        fields_from_proto([field], [])


def test_detect_records(running_server: RunningServer) -> None:
    records = [f'{{"rows": [{{"mail": "u{i}@example.com"}}]}}'.encode() for i in range(6)]
    with grpc.insecure_channel(f"127.0.0.1:{running_server.port}") as channel:
        stub = detection_pb2_grpc.DetectionServiceStub(channel)  # type: ignore[no-untyped-call]
        response = stub.DetectRecords(
            detection_pb2.DetectRecordsRequest(id="t1", records=[*records, b"{bad"]), timeout=5
        )
    assert response.id == "t1"
    assert (response.records, response.invalid_records) == (6, 1)
    assert [f.path for f in response.fields] == ["$.rows[*].mail"]
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        assert list(remote.detect_records(records)) == ["$.rows[*].mail"]


def test_health_is_serving_and_http_probes_answer(running_server: RunningServer) -> None:
    with grpc.insecure_channel(f"127.0.0.1:{running_server.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for service in ("", "dsensor.v1.DetectionService"):
            reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
    base = f"http://127.0.0.1:{running_server.http_port}"
    with urllib.request.urlopen(f"{base}/readyz", timeout=5) as reply:
        assert reply.status == 200
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        remote.detect_json_batch([b"{}", b"{"])
    with urllib.request.urlopen(f"{base}/metrics", timeout=5) as reply:
        text = reply.read().decode()
    assert 'dsensor_detection_documents_total{result="invalid_json"} 1.0' in text


def test_client_retries_are_bounded_when_unavailable() -> None:
    remote = RemoteDetector(f"127.0.0.1:{free_port()}", timeout=1, attempts=2, backoff=0.01)
    with remote, pytest.raises(grpc.RpcError) as info:
        remote.detect_json_batch([b"{}"])
    assert info.value.code() == grpc.StatusCode.UNAVAILABLE


def test_stop_reports_not_serving(running_server: RunningServer) -> None:
    running_server.stop(grace=0.5)
    with grpc.insecure_channel(f"127.0.0.1:{running_server.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        with pytest.raises(grpc.RpcError):
            stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
