"""Live: two pods on one node, each behind its own veth; the capture reads both host ends.

Every request and response crosses two captured interfaces (the client's veth, then the
server's, and back), as between pods of one node. Each pair must be produced exactly once,
for short connections (whose copies on the second veth can arrive after the first veth's copy
ended the connection) and for keep-alive ones, and the copies must be counted.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.counters import CounterName, Counters
from sensor_dim.interceptor.output import InProcessOutput
from sensor_dim.interceptor.service import InterceptorService
from sensor_dim.interceptor.settings import InterceptorSettings
from tests.e2e.topology import Topology, create_topology
from tests.harness.prereq import require_binary, require_root
from tests.interceptor.test_live import CANARY, CLIENT, SERVER, wait_for


@pytest.fixture
def two_pods() -> Iterator[Topology]:
    require_root("network namespaces")
    require_binary("ip")
    topology = create_topology(["client", "server"])
    try:
        yield topology
    finally:
        topology.close()


def start_server(topology: Topology) -> None:
    server = topology.pods["server"]
    topology.popen("server", [sys.executable, "-c", SERVER, server.ip])
    probe = f"import socket; socket.create_connection(('{server.ip}', 8080), 1).close()"
    ready = wait_for(
        lambda: topology.run("client", [sys.executable, "-c", probe]).returncode == 0, 20
    )
    assert ready, "the server did not start"


def settled(counters: Counters, name: CounterName, quiet: float = 1.0, limit: float = 20) -> int:
    """The counter's value once it stopped changing for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last, since = counters[name], time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = counters[name]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


@pytest.mark.privileged
@pytest.mark.parametrize(
    ("connections", "per_connection"), [(40, 1), (4, 15)], ids=["short", "keepalive"]
)
def test_pairs_crossing_two_captured_veths_are_produced_once(
    two_pods: Topology, connections: int, per_connection: int
) -> None:
    topology = two_pods
    start_server(topology)
    settings = InterceptorSettings.model_validate(
        {
            "node": "node-two-veths",
            "capture": {"interfaces": topology.host_interfaces, "filter": "tcp port 8080"},
            "http": {"host": "127.0.0.1", "port": 0},
        }
    )
    bus: queue.Queue[tuple[bytes, bytes]] = queue.Queue(maxsize=10_000)
    counters = Counters()
    output = InProcessOutput(bus, counters)
    service = InterceptorService(settings, counters=counters, output=output, use_iplist=False)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            service.run()
        except BaseException as exc:  # handed to the test thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    total = connections * per_connection
    try:
        assert wait_for(lambda: service.health.ready or failure, 20), "not ready"
        assert not failure, failure
        assert sorted(service.capture.interfaces) == sorted(topology.host_interfaces)
        server_ip = topology.pods["server"].ip
        argv = [sys.executable, "-c", CLIENT, server_ip, CANARY, str(connections)]
        done = topology.run("client", [*argv, str(per_connection)])
        assert done.returncode == 0, done.stderr
        assert wait_for(lambda: counters["pairs_queued"] >= total, 20), counters.nonzero()
        queued = settled(counters, "pairs_queued")
    finally:
        service.stop()
        thread.join(timeout=30)
    assert not failure, failure
    pairs = [pair_pb2.HttpPair.FromString(bus.get_nowait()[1]) for _ in range(bus.qsize())]
    assert queued == len(pairs) == total, counters.nonzero()
    assert counters["pairs"] == total
    assert counters["flows_opened"] == connections
    assert counters["responses_unmatched"] == counters["pairs_unanswered"] == 0
    assert counters["tcp_gaps"] == 0
    # each frame was captured on both veths: the copies were seen and counted (a few bare
    # acknowledgements after the end of a connection are ignored without being told apart)
    assert counters["duplicate_interface_packets"] >= 0.4 * counters["tcp_segments"]
    assert {(p.request.target, p.response.status) for p in pairs} == {("/api/v1/users", 201)}
