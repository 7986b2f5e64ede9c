"""The sensors' stats client against a real console: delivery, spool, resend, refusals."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from dsensor.v1 import stats_pb2
from pydantic import SecretStr

from sensor_console.server import ConsoleServer
from sensor_core.spool import Spool
from sensor_core.stats_client import StatsClient
from tests.console.builders import client_settings, console_settings, flow, get_json
from tests.harness.connect_proxy import ConnectProxy
from tests.harness.ports import free_port
from tests.harness.prereq import require_binary

DIM = stats_pb2.SENSOR_KIND_DIM


def spooled_ids(spool: Spool) -> list[str]:
    ids = []
    for entry in spool.entries():
        ids.append(stats_pb2.PushBatchRequest.FromString(entry.path.read_bytes()).batch_id)
    return ids


def stored_ids(console: ConsoleServer) -> list[str]:
    assert console.store is not None
    with sqlite3.connect(console.store.path) as conn:
        rows = conn.execute("SELECT batch_id FROM batches ORDER BY batch_id").fetchall()
    conn.close()
    return [r[0] for r in rows]


def flush_until_drained(client: StatsClient, deadline: float = 15.0) -> None:
    """The channel may sit in reconnect backoff for a moment after the console comes up."""
    end = time.monotonic() + deadline
    while True:
        client.flush()
        if not client.spool.entries() or time.monotonic() > end:
            return
        time.sleep(0.2)


def test_batches_sent_when_batchsize_reached(console: ConsoleServer, tmp_path: Path) -> None:
    settings = client_settings(console.grpc_port, tmp_path, batchsize=2)
    with StatsClient(settings, DIM, tmp_path) as client:
        client.add_flow(flow("/a"))
        assert client.counters["sent_batches"] == 0
        client.add_flow(flow("/b"))
        assert client.counters["sent_batches"] == 1
        assert len(get_json(console, "/api/v1/flows")["flows"]) == 2
        client.add_flow(flow("/c"))
    # close() flushed the rest
    assert client.counters["sent_batches"] == 2
    assert len(get_json(console, "/api/v1/flows")["flows"]) == 3


def test_console_down_spools_then_resends_with_same_batch_ids(tmp_path: Path) -> None:
    port = free_port()
    settings = client_settings(port, tmp_path, batchsize=2)
    client = StatsClient(settings, DIM, tmp_path)
    for i in range(5):
        client.add_flow(flow(f"/p{i}", observed=1))
    client.flush()
    assert client.counters["spooled_batches"] == 3
    assert client.counters["sent_batches"] == 0
    waiting = spooled_ids(client.spool)
    assert len(waiting) == 3

    with ConsoleServer(console_settings(tmp_path, port=port)) as console:
        flush_until_drained(client)
        assert client.spool.entries() == []
        assert client.counters["resent_batches"] == 3
        assert stored_ids(console) == sorted(waiting)
        flows = get_json(console, "/api/v1/flows")["flows"]
        assert sorted(f["path_template"] for f in flows) == [f"/p{i}" for i in range(5)]
        assert all(f["observed"] == 1 for f in flows)

        # an acknowledgement lost in transit: the same spooled batch comes back again
        replay = stats_pb2.PushBatchRequest(
            batch_id=waiting[0], sensor_id="sensor-a", cluster_name="test-cluster"
        )
        replay.flows.append(flow("/p0", observed=1))
        client.spool.put(replay.SerializeToString())
        client.flush()
        assert client.counters["duplicate_batches"] == 1
        assert client.spool.entries() == []
        flows = get_json(console, "/api/v1/flows")["flows"]
        assert all(f["observed"] == 1 for f in flows)
        client.close()


def test_spool_cap_drops_oldest_and_counts(tmp_path: Path) -> None:
    one = len(
        stats_pb2.PushBatchRequest(
            batch_id="x" * 36, sensor_id="sensor-a", cluster_name="test-cluster", flows=[flow()]
        ).SerializeToString()
    )
    settings = client_settings(free_port(), tmp_path, batchsize=1, spoolmaxbytes=one * 2 + 60)
    client = StatsClient(settings, DIM, tmp_path)
    for i in range(4):
        client.add_flow(flow(f"/p{i}"))
    assert client.counters["spooled_batches"] == 4
    assert client.counters["dropped_batches"] == 2
    assert client.spool.total_bytes() <= settings.spoolmaxbytes
    kept = [
        stats_pb2.PushBatchRequest.FromString(e.path.read_bytes()).flows[0].endpoint.path_template
        for e in client.spool.entries()
    ]
    assert kept == ["/p2", "/p3"]
    client.close()


def test_refused_token_keeps_batches_until_the_token_is_fixed(
    console: ConsoleServer, tmp_path: Path
) -> None:
    wrong = client_settings(console.grpc_port, tmp_path, token=SecretStr("stale-token"))
    with StatsClient(wrong, DIM, tmp_path) as client:
        client.add_flow(flow())
        client.flush()
        assert client.counters["auth_failures"] == 1
        assert client.counters["spooled_batches"] == 1
        assert not client.heartbeat({"pairs": 1})
    assert get_json(console, "/api/v1/flows")["flows"] == []

    fixed = client_settings(console.grpc_port, tmp_path)
    with StatsClient(fixed, DIM, tmp_path) as client:
        client.flush()
        assert client.counters["resent_batches"] == 1
        assert client.spool.entries() == []
    assert len(get_json(console, "/api/v1/flows")["flows"]) == 1


def test_batch_too_big_for_the_console_is_split(tmp_path: Path) -> None:
    with ConsoleServer(console_settings(tmp_path, maxbatchflows=2)) as console:
        settings = client_settings(console.grpc_port, tmp_path, batchsize=5)
        with StatsClient(settings, DIM, tmp_path) as client:
            for i in range(5):
                client.add_flow(flow(f"/p{i}"))
            assert client.counters["split_batches"] >= 2
            assert client.counters["dropped_batches"] == 0
            assert client.spool.entries() == []
        assert len(get_json(console, "/api/v1/flows")["flows"]) == 5


def test_invalid_batch_is_dropped_not_retried(console: ConsoleServer, tmp_path: Path) -> None:
    with StatsClient(client_settings(console.grpc_port, tmp_path), DIM, tmp_path) as client:
        client.add_flow(flow(request_path="$." + "a" * 5000))
        client.flush()
        assert client.counters["rejected_batches"] == 1
        assert client.counters["dropped_batches"] == 1
        assert client.spool.entries() == []
        client.flush()
        assert client.counters["rejected_batches"] == 1


def test_one_invalid_flow_does_not_cost_its_batch_mates(
    console: ConsoleServer, tmp_path: Path
) -> None:
    settings = client_settings(console.grpc_port, tmp_path, batchsize=8)
    with StatsClient(settings, DIM, tmp_path) as client:
        for i in range(7):
            client.add_flow(flow(f"/good/{i}"))
        client.add_flow(flow("/bad", request_path="$." + "a" * 5000))
        assert client.counters["rejected_batches"] == 1
        assert client.counters["dropped_batches"] == 1
        assert client.counters["split_batches"] == 3  # 8 -> 4 + 4 -> 2 + 2 -> 1 + 1
    paths = {f["path_template"] for f in get_json(console, "/api/v1/flows")["flows"]}
    assert paths == {f"/good/{i}" for i in range(7)}


def test_unreadable_spool_entry_is_dropped_and_counted(
    console: ConsoleServer, tmp_path: Path
) -> None:
    with StatsClient(client_settings(console.grpc_port, tmp_path), DIM, tmp_path) as client:
        client.spool.put(b"\xff\xff not a protobuf")
        client.add_flow(flow())
        client.flush()
        assert client.counters["dropped_batches"] == 1
        assert client.counters["sent_batches"] == 1
        assert client.spool.entries() == []


def test_heartbeat_reports_sensor_and_client_counters(
    console: ConsoleServer, tmp_path: Path
) -> None:
    node = stats_pb2.NodeHealth(node="node-7", counters={"packets": 5})
    with StatsClient(client_settings(console.grpc_port, tmp_path), DIM, tmp_path) as client:
        assert client.heartbeat({"pairs": 12, "weird": -3}, [node])
    (sensor,) = get_json(console, "/api/v1/sensors")["sensors"]
    assert sensor["sensor_id"] == "sensor-a"
    assert sensor["kind"] == "dim"
    assert sensor["counters"]["pairs"] == 12
    assert sensor["counters"]["weird"] == 0
    assert sensor["counters"]["statsclient_sent_batches"] == 0
    assert sensor["nodes"][0]["node"] == "node-7"


def test_heartbeat_false_when_console_down(tmp_path: Path) -> None:
    with StatsClient(client_settings(free_port(), tmp_path), DIM, tmp_path) as client:
        assert not client.heartbeat({})
        assert client.counters["heartbeat_failures"] == 1


def test_default_spool_lives_under_the_data_directory(tmp_path: Path) -> None:
    settings = client_settings(free_port(), tmp_path, spooldir=None)
    with StatsClient(settings, DIM, tmp_path / "data") as client:
        client.add_flow(flow())
    assert len(list((tmp_path / "data" / "spool" / "stats").glob("*.batch"))) == 1


def test_token_with_control_characters_is_refused_without_echo(tmp_path: Path) -> None:
    settings = client_settings(free_port(), tmp_path, token=SecretStr("abc\ndef"))
    with pytest.raises(ValueError, match="printable ASCII") as err:
        StatsClient(settings, DIM, tmp_path)
    assert "abc" not in str(err.value)


def _make_cert(tmp_path: Path) -> tuple[Path, Path]:
    openssl = require_binary("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_tls_push(tmp_path: Path) -> None:
    cert, key = _make_cert(tmp_path)
    settings = console_settings(tmp_path, tls={"certfile": str(cert), "keyfile": str(key)})
    with ConsoleServer(settings) as console:
        plain = client_settings(console.grpc_port, tmp_path / "plain", timeout=1.0)
        with StatsClient(plain, DIM, tmp_path) as client:
            client.add_flow(flow("/plain"))
            client.flush()
            assert client.counters["sent_batches"] == 0
            assert client.counters["spooled_batches"] == 1
        secure = client_settings(
            console.grpc_port,
            tmp_path / "tls",
            address=f"localhost:{console.grpc_port}",
            tls=True,
            cafile=cert,
        )
        with StatsClient(secure, DIM, tmp_path) as client:
            client.add_flow(flow("/tls"))
            client.flush()
            assert client.counters["sent_batches"] == 1
        flows = get_json(console, "/api/v1/flows")["flows"]
        assert [f["path_template"] for f in flows] == ["/tls"]


def test_background_flusher_sends_on_the_interval(console: ConsoleServer, tmp_path: Path) -> None:
    settings = client_settings(console.grpc_port, tmp_path, flushinterval="100ms")
    with StatsClient(settings, DIM, tmp_path) as client:
        client.start_flusher()
        client.add_flow(flow())
        deadline = time.monotonic() + 5
        while client.counters["sent_batches"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.counters["sent_batches"] == 1
    assert len(get_json(console, "/api/v1/flows")["flows"]) == 1


def test_the_proxy_in_the_environment_carries_batches_except_to_no_proxy_hosts(
    console: ConsoleServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`https_proxy` or `HTTPS_PROXY` (the chart's `httpsProxy` sets both) tunnels the console
    connection through the proxy with CONNECT; a console that `no_proxy` or `NO_PROXY` names is
    reached directly. gRPC itself reads only the lower-case names. Each spelling gets a proxy
    of its own, so a tunnel gRPC kept from an earlier channel cannot stand in for a new one."""
    for name in ("grpc_proxy", "http_proxy", "https_proxy", "no_grpc_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    console_address = f"127.0.0.1:{console.grpc_port}"

    def push(path: str) -> None:
        spool = tmp_path / path.strip("/")
        settings = client_settings(console.grpc_port, spool, timeout=10.0)
        with StatsClient(settings, DIM, spool) as client:
            client.add_flow(flow(path))
            client.flush()
            assert client.counters["sent_batches"] == 1, dict(client.counters)

    with ConnectProxy() as lower, ConnectProxy() as upper:
        monkeypatch.setenv("https_proxy", lower.url)
        push("/lower-case-proxy")
        assert lower.targets == [console_address]
        monkeypatch.delenv("https_proxy")
        monkeypatch.setenv("HTTPS_PROXY", upper.url.removeprefix("http://"))  # host:port
        push("/upper-case-proxy")
        assert upper.targets == [console_address]
        monkeypatch.setenv("NO_PROXY", "example.test, 127.0.0.0/8")
        push("/upper-case-no-proxy")
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        push("/lower-case-no-proxy")
        assert (lower.targets, upper.targets) == ([console_address], [console_address])
    paths = {f["path_template"] for f in get_json(console, "/api/v1/flows")["flows"]}
    assert {
        "/lower-case-proxy", "/upper-case-proxy", "/upper-case-no-proxy", "/lower-case-no-proxy"
    } <= paths  # fmt: skip
