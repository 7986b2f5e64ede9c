"""Live capture in network namespaces: a real HTTP JSON server and client on a veth pair.

The service runs on a thread that joined the client's namespace (setns applies to one
thread), so it reads the veth exactly as on a node. The Kafka side is the in-process output
here; the Kafka path itself is tested against the mock cluster in test_kafka_output.py.
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from dsensor.v1 import pair_pb2
from prometheus_client import generate_latest

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.metrics import build_registry
from sensor_dim.interceptor.output import InProcessOutput
from sensor_dim.interceptor.service import InterceptorService
from sensor_dim.interceptor.settings import InterceptorSettings
from tests.harness.netns import NetnsPair

CLONE_NEWNET = 0x40000000
CANARY = "canary-7f3e9a1c-live-value"
SERVER = textwrap.dedent(
    """
    import json, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            out = json.dumps({"received": json.loads(body), "ok": True}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        def log_message(self, *a): pass
    ThreadingHTTPServer((sys.argv[1], 8080), H).serve_forever()
    """
)
CLIENT = textwrap.dedent(
    """
    import http.client, json, sys
    for c in range(int(sys.argv[3])):
        conn = http.client.HTTPConnection(sys.argv[1], 8080, timeout=10)
        for i in range(int(sys.argv[4])):
            body = json.dumps({"email": sys.argv[2], "n": i, "conn": c})
            conn.request("POST", "/api/v1/users", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            assert resp.status == 201, resp.status
            resp.read()
        conn.close()
    """
)


@contextmanager
def joined_netns(name: str) -> Iterator[None]:
    """Run the block with this thread in network namespace `name`."""
    libc = ctypes.CDLL(None, use_errno=True)
    with open("/proc/thread-self/ns/net", "rb") as home, open(f"/run/netns/{name}", "rb") as ns:
        if libc.setns(ns.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns failed")
        try:
            yield
        finally:
            libc.setns(home.fileno(), CLONE_NEWNET)


def wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def start_server(pair: NetnsPair) -> None:
    pair.popen(pair.ns_b, [sys.executable, "-c", SERVER, pair.ip_b])
    probe = f"import socket; socket.create_connection(('{pair.ip_b}', 8080), 1).close()"
    assert wait_for(lambda: pair.run(pair.ns_a, [sys.executable, "-c", probe]).returncode == 0, 20)


def test_live_capture_pairs_json_traffic_on_a_veth(
    netns_pair: NetnsPair, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = netns_pair
    start_server(pair)
    settings = InterceptorSettings.model_validate(
        {
            "node": "node-live",
            "capture": {"interfaces": [pair.if_a], "filter": "tcp port 8080"},
            "http": {"host": "127.0.0.1", "port": 0},
            "kafka": {"heartbeatinterval": "1s"},
        }
    )
    bus: queue.Queue[tuple[bytes, bytes]] = queue.Queue(maxsize=10_000)
    counters = Counters()
    output = InProcessOutput(bus, counters)
    service = InterceptorService(settings, counters=counters, output=output, use_iplist=False)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with joined_netns(pair.ns_a):
                service.run()
        except BaseException as exc:  # handed to the test thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        wait_for(lambda: service.health.ready or failure, 20)
        assert service.health.ready, failure
        connections, per_connection = 3, 20
        done = pair.run(
            pair.ns_a,
            [sys.executable, "-c", CLIENT, pair.ip_b, CANARY, str(connections), "20"],
        )
        assert done.returncode == 0, done.stderr
        total = connections * per_connection
        arrived = wait_for(lambda: counters["pairs_queued"] >= total, 20)
        assert arrived, (counters.nonzero(), service.capture.interfaces)
    finally:
        service.stop()
        thread.join(timeout=30)
    assert not failure, failure
    assert not thread.is_alive()
    pairs = [pair_pb2.HttpPair.FromString(bus.get_nowait()[1]) for _ in range(bus.qsize())]
    assert len(pairs) == total
    first = pairs[0]
    assert (first.request.method, first.request.target, first.response.status) == (
        "POST",
        "/api/v1/users",
        201,
    )
    assert (first.source.ip, first.destination.ip) == (pair.ip_a, pair.ip_b)
    assert json.loads(first.request.message.body)["email"] == CANARY
    assert {json.loads(p.request.message.body)["n"] for p in pairs} == set(range(20))
    assert counters["kernel_drops"] == 0
    assert counters["kernel_packets"] >= counters["packets"] > 0
    assert counters["flows_opened"] == connections
    assert counters["tcp_gaps"] == 0
    assert counters["heartbeats_sent"] >= 1
    # canary: no value in logs, metrics or heartbeats
    metrics = generate_latest(build_registry(counters, service.gauges)).decode()
    assert "dsensor_interceptor_pairs_total" in metrics
    logs = capsys.readouterr()
    outputs = [logs.out, logs.err, metrics, *[b.decode("latin-1") for b in output.heartbeats]]
    for text in outputs:
        assert CANARY not in text


def test_interceptor_command_serves_probes_and_stops_on_sigterm(
    netns_pair: NetnsPair, tmp_path: Path
) -> None:
    pair = netns_pair
    config = tmp_path / "interceptor.yaml"
    config.write_text(
        json.dumps(
            {
                "node": "node-cli",
                "capture": {"interfaces": [pair.if_a]},
                "kafka": {"connection": {"brokers": ["127.0.0.1:9"]}, "deliverytimeout": "1s"},
                "http": {"port": 18954},
                "shutdowntimeout": "2s",
                "logging": {"format": "json"},
            }
        )
    )
    binary = str(Path(sys.executable).with_name("interceptor"))
    proc = pair.popen(
        pair.ns_a,
        [binary, "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    probe = (
        "import urllib.request as u; "
        "print(u.urlopen('http://127.0.0.1:18954/{}', timeout=2).read().decode())"
    )
    try:
        ready = wait_for(
            lambda: (
                pair.run(pair.ns_a, [sys.executable, "-c", probe.format("readyz")]).returncode == 0
            ),
            30,
        )
        assert ready, "the interceptor did not become ready"
        metrics = pair.run(pair.ns_a, [sys.executable, "-c", probe.format("metrics")])
        assert b"dsensor_interceptor_packets_total" in metrics.stdout
        health = pair.run(pair.ns_a, [sys.executable, "-c", probe.format("healthz")])
        assert health.stdout.strip() == b"ok"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()[-2000:]
    events = [
        json.loads(line)["event"] for line in err.decode().splitlines() if line.startswith("{")
    ]
    assert "interceptor_started" in events
    assert "interceptor_stopped" in events
