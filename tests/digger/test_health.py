"""Sensor health: interceptor heartbeats from Kafka reach the console with the digger's own
counters; malformed or stale heartbeats are counted, never forwarded."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Producer
from dsensor.v1 import metadata_pb2, pair_pb2

from sensor_console.server import ConsoleServer
from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console
from sensor_core.sections import LoggingSettings, StatsClientSettings
from sensor_core.stats_client import StatsClient
from sensor_dim.digger.health import HealthForwarder
from sensor_dim.digger.service import DiggerService
from sensor_dim.digger.settings import DiggerSettings
from tests.harness.kafka import KafkaBroker


def _beat(node: str, nanos: int, packets: int) -> pair_pb2.InterceptorHeartbeat:
    beat = pair_pb2.InterceptorHeartbeat(node=node, unix_nanos=nanos, interfaces=["veth1"])
    beat.counters["packets"] = packets
    beat.uninspected.add(
        source_ip="10.244.1.10",
        destination_ip="10.244.3.30",
        destination_port=443,
        reason=metadata_pb2.UNINSPECTED_REASON_TLS,
        connections=3,
    )
    return beat


def test_latest_heartbeat_per_node_wins_and_garbage_is_counted(tmp_path: Path) -> None:
    stats = StatsClient(StatsClientSettings(address="127.0.0.1:1"), 1, tmp_path)
    forwarder = HealthForwarder({}, "heartbeat", stats, dict)
    forwarder.take(_beat("node-a", 2, 20).SerializeToString())
    forwarder.take(_beat("node-a", 1, 10).SerializeToString())  # older: ignored
    forwarder.take(b"\xff\xfe garbage")
    forwarder.take(pair_pb2.InterceptorHeartbeat(unix_nanos=5).SerializeToString())  # no node
    [node] = forwarder.nodes()
    assert (node.node, node.counters["packets"], node.last_seen_unix_nanos) == ("node-a", 20, 2)
    assert node.uninspected[0].reason == metadata_pb2.UNINSPECTED_REASON_TLS
    assert (forwarder.received, forwarder.invalid) == (1, 2)
    stats.close()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[ConsoleServer, str]]:
    token = secrets.token_urlsafe(16)
    settings = DemoSettings(bundled_capture(), tmp_path / "console", LoggingSettings())
    with running_console(settings, token) as server:
        yield server, token


def test_interceptor_heartbeats_reach_the_console(
    kafka_broker: KafkaBroker, console: tuple[ConsoleServer, str], tmp_path: Path
) -> None:
    server, token = console
    topic, beats = KafkaBroker.new_topic("events"), KafkaBroker.new_topic("heartbeat")
    settings = DiggerSettings.model_validate(
        {
            "kafka": {"brokers": [kafka_broker.bootstrap]},
            "eventstopic": topic,
            "heartbeattopic": beats,
            "healthinterval": "200ms",
            "consumergroup": f"g-{topic}",
            "fetchwaitmax": "10ms",
            "statsclient": {
                "address": f"127.0.0.1:{server.grpc_port}",
                "token": token,
                "sensorid": SENSOR_ID,
            },
            "datadir": tmp_path / "digger",
            "http": {"host": "127.0.0.1", "port": 0},
        }
    )
    service = DiggerService(settings)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    producer = Producer(kafka_broker.producer_config())
    assert server.store is not None
    try:
        deadline = time.monotonic() + 30
        nodes: list[str] = []
        while time.monotonic() < deadline and not nodes:
            # the forwarder starts at the topic's end: keep beating until it has joined
            producer.produce(
                beats, _beat("node-a", time.time_ns(), 7).SerializeToString(), b"node-a"
            )
            producer.flush(5)
            time.sleep(0.3)
            sensors = [s for s in server.store.sensors() if s.sensor_id == SENSOR_ID]
            nodes = [n.node for s in sensors for n in s.nodes]
        assert nodes == ["node-a"]
        [sensor] = [s for s in server.store.sensors() if s.sensor_id == SENSOR_ID]
        assert sensor.nodes[0].counters["packets"] == 7
        assert "pipeline_pairs" in sensor.counters or "health_received" in sensor.counters
    finally:
        service.stop()
        thread.join(20)
    assert not thread.is_alive()
