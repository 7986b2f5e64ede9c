"""Two diggers in one consumer group share a topic; when one stops mid-stream the other takes
over its partitions, and every pair still reaches the console (at-least-once, stored once)."""

from __future__ import annotations

import io
from pathlib import Path

from confluent_kafka import Producer
from dsensor.v1 import pair_pb2

from sensor_dim.digger.service import DiggerService
from tests.digger.test_consumer import (
    Console,
    _committed_lag,
    _expected_flows,
    _settings,
    _start,
    _wait,
)
from tests.harness.kafka import KafkaBroker


def _pairs(count: int) -> list[pair_pb2.HttpPair]:
    """`count` pairs over many endpoints and destinations, so every partition gets some."""
    out = []
    for i in range(count):
        pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000 + i)
        pair.source.ip, pair.source.port = "10.244.1.10", 40000 + i
        pair.destination.ip, pair.destination.port = f"10.244.2.{1 + i % 16}", 8080
        pair.request.method, pair.request.target = "POST", f"/api/v{i % 8}/items"
        pair.request.message.content_type = "application/json"
        pair.request.message.body = b'{"email": "someone@example.org", "sku": "A1"}'
        pair.response.status = 201
        out.append(pair)
    return out


def test_two_diggers_share_the_work_and_one_takes_over(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path, logs: io.StringIO
) -> None:
    topic = kafka_broker.new_topic("events")
    pairs = _pairs(400)
    producer = Producer(kafka_broker.producer_config())
    first, rest = pairs[:200], pairs[200:]
    for pair in first:
        key = f"{pair.destination.ip}:{pair.destination.port}".encode()
        producer.produce(topic, key=key, value=pair.SerializeToString())
    assert producer.flush(15) == 0

    def digger(name: str) -> DiggerService:
        settings = _settings(kafka_broker, topic, console, tmp_path / name, flushinterval="200ms")
        return DiggerService(settings)

    one, two = digger("one"), digger("two")
    threads = [_start(one), _start(two)]
    try:
        # both joined the group and split the partitions between them
        _wait(
            lambda: one.consumer.counters["messages"] > 0 and two.consumer.counters["messages"] > 0,
            30,
            "both diggers consuming",
        )
        one.stop()
        threads[0].join(20)
        assert not threads[0].is_alive()
        for pair in rest:
            key = f"{pair.destination.ip}:{pair.destination.port}".encode()
            producer.produce(topic, key=key, value=pair.SerializeToString())
        assert producer.flush(15) == 0
        _wait(
            lambda: (
                one.consumer.counters["messages"] + two.consumer.counters["messages"] >= len(pairs)
            ),
            40,
            "every message consumed by one digger or the other",
        )
        expected = _expected_flows(pairs)
        _wait(lambda: console.flow_keys() >= expected, 15, "every flow in the console")
    finally:
        two.stop()
        threads[1].join(20)
    assert not threads[1].is_alive()
    assert console.flow_keys() == expected
    assert _committed_lag(kafka_broker, two.settings) == 0
    assert console.server.store is not None
    observed = sum(f.observed for f in console.server.store.data_map())
    assert observed >= len(pairs)  # at-least-once: a pair may count twice, never zero times
