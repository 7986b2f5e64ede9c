"""The gRPC helper: a real server on a free port answering the standard health check."""

from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.harness.grpc_server import serve_grpc

pytestmark = pytest.mark.integration

SERVING = health_pb2.HealthCheckResponse.SERVING


def _check(target: str, service: str = "") -> int:
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
        return int(reply.status)


def test_health_reports_serving_and_follows_changes() -> None:
    with serve_grpc(services=["dsensor.v1.StatsService"]) as running:
        assert running.port > 0
        assert _check(running.target) == SERVING
        assert _check(running.target, "dsensor.v1.StatsService") == SERVING
        running.set_serving("dsensor.v1.StatsService", False)
        assert _check(running.target, "dsensor.v1.StatsService") != SERVING
        target = running.target
    with pytest.raises(grpc.RpcError) as err:
        _check(target)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
