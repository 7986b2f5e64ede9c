"""Canary: names and paths carried by metadata never reach logs, metrics or error messages."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import structlog
from dsensor.v1 import metadata_pb2, stats_pb2, stats_pb2_grpc

from sensor_console.server import ConsoleServer
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings
from sensor_core.stats_client import StatsClient
from tests.console.builders import (
    auth,
    batch,
    client_settings,
    console_settings,
    data_asset,
    flow,
    get,
)

CANARY = "kanarie9ZQ"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging(LoggingSettings(level="debug", format="json"), stream=buffer)
    yield buffer
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)


def canary_flow(i: int) -> metadata_pb2.FlowMetadata:
    f = flow(
        path_template=f"/{CANARY}/{i}",
        request_path=f"$.{CANARY}.email",
        source=f"{CANARY}-src",
        destination=f"{CANARY}-dst",
    )
    f.endpoint.host = f"{CANARY}.example"
    f.request.fields[0].data_types[0].reasons.append(f"{CANARY}-reason")
    return f


def test_full_push_logs_counts_not_metadata(captured_logs: io.StringIO, tmp_path: Path) -> None:
    with ConsoleServer(console_settings(tmp_path)) as console:
        good = client_settings(console.grpc_port, tmp_path / "a", batchsize=2)
        with StatsClient(good, stats_pb2.SENSOR_KIND_DIM, tmp_path) as client:
            for i in range(3):
                client.add_flow(canary_flow(i))
            asset = data_asset(f"{CANARY}.public.users")
            asset.instance = f"{CANARY}-db"
            client.add_asset(asset)
            client.flush()
            assert client.counters["sent_batches"] == 2
            # the same batch again, a refused one and an invalid one
            replay = batch([canary_flow(9)])
            client.spool.put(replay.SerializeToString())
            client.spool.put(replay.SerializeToString())
            client.flush()
            assert client.counters["duplicate_batches"] == 1
            huge = canary_flow(10)
            huge.request.fields[0].path = f"$.{CANARY}" + "x" * 5000
            client.add_flow(huge)
            client.flush()
            assert client.counters["rejected_batches"] == 1

        wrong = client_settings(console.grpc_port, tmp_path / "b", sensorid="sensor-b")
        with StatsClient(wrong, stats_pb2.SENSOR_KIND_DIM, tmp_path) as client:
            client.add_flow(canary_flow(11))
            client.flush()
            assert client.counters["auth_failures"] == 1

        channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
        stub = stats_pb2_grpc.StatsServiceStub(channel)  # type: ignore[no-untyped-call]
        long_name = canary_flow(12)
        long_name.source.name = CANARY * 200
        with pytest.raises(grpc.RpcError) as err:
            stub.PushBatch(batch([long_name]), metadata=auth(), timeout=5)
        channel.close()
        assert CANARY not in (err.value.details() or "")

        _, _, metrics = get(console, "/metrics")
        assert CANARY not in metrics.decode()
        _, _, page = get(console, "/")
        assert CANARY in page.decode()  # the data itself is stored and shown, as it should be

    logs = captured_logs.getvalue()
    assert '"event": "batch_received"' in logs
    assert '"event": "stats_auth_refused"' in logs
    assert '"event": "stats_batch_rejected"' in logs
    assert CANARY not in logs
