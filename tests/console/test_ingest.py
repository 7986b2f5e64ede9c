"""The console end to end over real gRPC and HTTP on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest
from dsensor.v1 import metadata_pb2, stats_pb2, stats_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from sensor_console.server import ConsoleServer
from tests.console.builders import auth, batch, console_settings, data_asset, flow, get, get_json


def test_pushed_batch_reads_back_through_the_api(console: ConsoleServer, stub: Any) -> None:
    resp = stub.PushBatch(batch([flow()], assets=[data_asset()]), metadata=auth(), timeout=5)
    assert resp.accepted_flows == 1
    assert resp.accepted_assets == 1
    assert not resp.duplicate

    (row,) = get_json(console, "/api/v1/flows")["flows"]
    assert row["source"]["name"] == "checkout"
    assert row["destination"]["name"] == "users"
    assert row["path_template"] == "/users/{id}"
    assert row["request"][0]["path"] == "$.customer.email"
    assert row["request"][0]["json_types"] == ["string"]
    assert row["request"][0]["data_types"][0]["type_id"] == "email"
    assert row["response"][0]["data_types"][0]["sensitivity"] == "high"
    assert row["max_sensitivity"] == "high"

    types = {t["type_id"]: t for t in get_json(console, "/api/v1/datatypes")["datatypes"]}
    assert types["email"] == {
        "type_id": "email",
        "category": "personal",
        "max_sensitivity": "medium",
        "endpoints": 1,
        "data_assets": 1,
    }
    (sensor,) = get_json(console, "/api/v1/sensors")["sensors"]
    assert sensor["sensor_id"] == "sensor-a"
    assert sensor["last_batch_unix_nanos"] > 0


def test_same_batch_twice_is_stored_once(console: ConsoleServer, stub: Any) -> None:
    req = batch([flow(observed=4)])
    assert not stub.PushBatch(req, metadata=auth(), timeout=5).duplicate
    second = stub.PushBatch(req, metadata=auth(), timeout=5)
    assert second.duplicate
    assert second.batch_id == req.batch_id
    (row,) = get_json(console, "/api/v1/flows")["flows"]
    assert row["observed"] == 4


@pytest.mark.parametrize(
    "metadata",
    [
        (),
        (("authorization", "Bearer not-a-token"),),
        (("authorization", "Basic token-a-5f1e"),),
        (("authorization", "Bearer token-a-5f1"),),
    ],
)
def test_missing_or_unknown_token_is_unauthenticated(
    console: ConsoleServer, stub: Any, metadata: tuple[tuple[str, str], ...]
) -> None:
    with pytest.raises(grpc.RpcError) as err:
        stub.PushBatch(batch(), metadata=metadata, timeout=5)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError) as err:
        stub.Heartbeat(stats_pb2.HeartbeatRequest(sensor_id="sensor-a"), metadata=metadata)
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert get_json(console, "/api/v1/flows")["flows"] == []


def test_token_of_another_sensor_is_permission_denied(console: ConsoleServer, stub: Any) -> None:
    with pytest.raises(grpc.RpcError) as err:
        stub.PushBatch(batch(sensor_id="sensor-b"), metadata=auth("sensor-a"), timeout=5)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert get_json(console, "/api/v1/flows")["flows"] == []


def test_empty_batch_id_and_overlong_path_are_invalid(console: ConsoleServer, stub: Any) -> None:
    with pytest.raises(grpc.RpcError) as err:
        stub.PushBatch(batch(batch_id=""), metadata=auth(), timeout=5)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as err:
        stub.PushBatch(batch([flow(request_path="$." + "a" * 5000)]), metadata=auth(), timeout=5)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details() == "flows[0].request.fields[0].path: longer than 4096"
    assert get_json(console, "/api/v1/flows")["flows"] == []


def test_oversize_batches_are_refused(tmp_path: Path) -> None:
    settings = console_settings(tmp_path, maxbatchflows=3, maxmessagebytes=64 * 1024)
    with ConsoleServer(settings) as console:
        channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
        stub = stats_pb2_grpc.StatsServiceStub(channel)  # type: ignore[no-untyped-call]
        with pytest.raises(grpc.RpcError) as err:
            stub.PushBatch(batch([flow(f"/p{i}") for i in range(4)]), metadata=auth(), timeout=5)
        assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        big = batch([flow("/" + "x" * 1000, request_path=f"$.f{i}") for i in range(3)])
        big.flows[0].request.fields.extend(
            flow(request_path=f"$.y{i}" + "y" * 4000).request.fields[0] for i in range(20)
        )
        assert big.ByteSize() > 64 * 1024
        with pytest.raises(grpc.RpcError) as err:
            stub.PushBatch(big, metadata=auth(), timeout=5)
        assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        ok = stub.PushBatch(batch([flow(f"/p{i}") for i in range(3)]), metadata=auth(), timeout=5)
        assert ok.accepted_flows == 3
        channel.close()
        assert len(get_json(console, "/api/v1/flows")["flows"]) == 3


def test_heartbeat_is_recorded(console: ConsoleServer, stub: Any) -> None:
    node = stats_pb2.NodeHealth(node="node-1", counters={"packets": 42}, interfaces=["eth0"])
    resp = stub.Heartbeat(
        stats_pb2.HeartbeatRequest(
            sensor_id="sensor-b",
            cluster_name="prod",
            sensor_kind=stats_pb2.SENSOR_KIND_DIM,
            version="9.9.9",
            counters={"pairs": 7},
            nodes=[node],
        ),
        metadata=auth("sensor-b"),
        timeout=5,
    )
    assert resp.server_unix_nanos > 0
    (sensor,) = get_json(console, "/api/v1/sensors")["sensors"]
    assert sensor["sensor_id"] == "sensor-b"
    assert sensor["cluster"] == "prod"
    assert sensor["kind"] == "dim"
    assert sensor["version"] == "9.9.9"
    assert sensor["counters"] == {"pairs": 7}
    assert sensor["nodes"][0]["counters"] == {"packets": 42}
    assert sensor["nodes"][0]["interfaces"] == ["eth0"]
    assert sensor["health"]["status"] == "healthy"


def test_sensor_health_shows_coverage_drops_and_uninspected_flows(
    console: ConsoleServer, stub: Any
) -> None:
    uninspected = [
        metadata_pb2.UninspectedFlows(
            source_ip="10.0.0.1",
            destination_ip="10.0.0.2",
            destination_port=443,
            reason=reason,
            connections=n,
            bytes=n * 100,
        )
        for reason, n in (
            (metadata_pb2.UNINSPECTED_REASON_TLS, 5),
            (metadata_pb2.UNINSPECTED_REASON_HTTP2, 2),
            (metadata_pb2.UNINSPECTED_REASON_GRPC, 1),
            (metadata_pb2.UNINSPECTED_REASON_TLS, 3),
        )
    ]
    nodes = [
        stats_pb2.NodeHealth(node="n1", counters={"queue_drops": 4}, uninspected=uninspected),
        stats_pb2.NodeHealth(node="n2", counters={"capture_drops": 1}),
    ]
    stub.Heartbeat(
        stats_pb2.HeartbeatRequest(
            sensor_id="sensor-a", cluster_name="prod", counters={"kafka_drops": 2}, nodes=nodes
        ),
        metadata=auth(),
        timeout=5,
    )
    (sensor,) = get_json(console, "/api/v1/sensors")["sensors"]
    health = sensor["health"]
    assert health["nodes_covered"] == 2
    assert health["drops"] == 7
    assert health["uninspected"] == {
        "tls": {"connections": 8, "bytes": 800},
        "http2": {"connections": 2, "bytes": 200},
        "grpc": {"connections": 1, "bytes": 100},
    }
    page = get(console, "/sensors")[2].decode()
    assert "grpc: 1, http2: 2, tls: 8" in page


def test_grpc_health_probes_and_metrics(console: ConsoleServer, stub: Any) -> None:
    channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "dsensor.v1.StatsService"):
        answer = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    channel.close()

    assert get(console, "/healthz")[0] == 200
    assert get(console, "/readyz")[0] == 200
    assert get(console, "/nope")[0] == 404
    stub.PushBatch(batch(), metadata=auth(), timeout=5)
    with pytest.raises(grpc.RpcError):
        stub.PushBatch(batch(), timeout=5)
    status, _, body = get(console, "/metrics")
    assert status == 200
    text = body.decode()
    assert 'dsensor_console_batches_total{outcome="stored"} 1.0' in text
    assert 'dsensor_console_batches_total{outcome="unauthenticated"} 1.0' in text
    assert "dsensor_console_flows_total 1.0" in text
