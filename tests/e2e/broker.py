"""Kafka on its own "host": the mock cluster in a network namespace, reached through a veth.

librdkafka's mock cluster listens on 127.0.0.1 only, and tells clients that address. So it runs
in namespace `kafka` (tests.e2e.topology), a relay there forwards <pod ip>:P to its 127.0.0.1:P,
and a relay in the root namespace listens on 127.0.0.1:P and forwards to <pod ip>:P: clients use
the address the mock reports, and every byte crosses the veth. Taking the veth's host end down
cuts the broker off (connections stall, new ones fail) without touching the broker's state.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.topology import Topology, create_topology
from tests.harness.kafka import KafkaBroker, first_line, start_mock_cluster

RELAY_SCRIPT = Path(__file__).resolve().parent.parent / "harness" / "tcp_relay.py"


@dataclass
class NetnsKafka:
    topo: Topology
    broker: KafkaBroker
    relays: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def set_link(self, up: bool) -> None:
        self.topo.set_link("kafka", up)

    def close(self) -> None:
        for proc in self.relays:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        self.relays.clear()
        self.broker.stop()
        self.topo.close()


def _relay(prefix: list[str], listen: str, target: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [*prefix, sys.executable, str(RELAY_SCRIPT), listen, target],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    return proc


def start_netns_kafka() -> NetnsKafka:
    topo = create_topology(["kafka"])
    pod = topo.pods["kafka"]
    netns = ["ip", "netns", "exec", pod.netns]
    try:
        broker = start_mock_cluster(prefix=tuple(netns))
    except BaseException:
        topo.close()
        raise
    kafka = NetnsKafka(topo, broker)
    try:
        port = broker.bootstrap.rpartition(":")[2]
        inner = _relay(netns, f"{pod.ip}:{port}", f"127.0.0.1:{port}")
        kafka.relays.append(inner)
        outer = _relay([], f"127.0.0.1:{port}", f"{pod.ip}:{port}")
        kafka.relays.append(outer)
        for proc in (inner, outer):
            if first_line(proc, 15) != "ready":
                raise RuntimeError("the Kafka relay did not start (port taken?)")
    except BaseException:
        kafka.close()
        raise
    return kafka
