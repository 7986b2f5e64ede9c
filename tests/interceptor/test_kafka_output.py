"""The Kafka path against the mock cluster: events by destination, heartbeat, iplist, outage."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest
from confluent_kafka import Consumer, Producer
from dsensor.v1 import pair_pb2

from examples.sample_traffic import make_sample_pcap as sample
from sensor_core.kafka_settings import KafkaSettings
from sensor_dim.interceptor.capture import read_capture
from sensor_dim.interceptor.control import IpListWatcher, build_heartbeat
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.output import KafkaOutput
from sensor_dim.interceptor.pipeline import PairPipeline
from sensor_dim.interceptor.settings import InterceptorLimits, KafkaOutputSettings
from sensor_dim.interceptor.uninspected import UninspectedTable
from tests.harness.kafka import KafkaBroker

pytestmark = pytest.mark.integration
FAST = {"socket.timeout.ms": 3000, "reconnect.backoff.max.ms": 500}


def settings(broker: KafkaBroker, **overrides: object) -> KafkaOutputSettings:
    connection = KafkaSettings(brokers=[broker.bootstrap])
    values: dict[str, object] = {
        "connection": connection,
        "eventstopic": broker.new_topic("events"),
        "heartbeattopic": broker.new_topic("heartbeat"),
        "iplisttopic": broker.new_topic("iplist"),
        "linger": 0.005,
        **overrides,
    }
    return KafkaOutputSettings.model_validate(values)


def consume(broker: KafkaBroker, topic: str, count: int, timeout: float = 30.0) -> list[object]:
    consumer = Consumer(broker.consumer_config(f"g-{topic}"))
    consumer.subscribe([topic])
    messages: list[object] = []
    deadline = time.monotonic() + timeout
    try:
        while len(messages) < count and time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                messages.append(msg)
    finally:
        consumer.close()
    return messages


def wire_pairs() -> list[tuple[bytes, bytes]]:
    """(key, serialized pair) of every selected pair of the sample capture, as the pipeline
    hands them to its output."""
    out: list[tuple[bytes, bytes]] = []
    counters = Counters()
    pipeline = PairPipeline(InterceptorLimits(), counters, lambda k, v: out.append((k, v)))
    pipeline.feed(read_capture(sample.OUTPUT, counters))
    pipeline.close()
    assert out
    return out


def drain(output: KafkaOutput, counters: Counters, delivered: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while counters["pairs_delivered"] < delivered and time.monotonic() < deadline:
        output.flush(0.2)


def test_pairs_reach_the_events_topic_keyed_by_destination(kafka_broker: KafkaBroker) -> None:
    config = settings(kafka_broker)
    counters = Counters()
    output = KafkaOutput(config, counters, extra_config=FAST)
    pairs = wire_pairs()
    for key, value in pairs:
        output.send(key, value)
    assert output.flush(20) == 0
    assert counters["pairs_delivered"] == len(pairs)
    messages = consume(kafka_broker, config.eventstopic, len(pairs))
    assert len(messages) == len(pairs)
    for msg in messages:
        pair = pair_pb2.HttpPair.FromString(msg.value())  # type: ignore[attr-defined]
        dst = pair.destination
        assert msg.key() == f"{dst.ip}:{dst.port}".encode()  # type: ignore[attr-defined]
    sent = sorted(value for _, value in pairs)
    assert sorted(m.value() for m in messages) == sent  # type: ignore[attr-defined]


def test_heartbeat_carries_the_counters(kafka_broker: KafkaBroker) -> None:
    config = settings(kafka_broker)
    counters = Counters()
    counters.inc("packets", 42)
    table = UninspectedTable()
    table.connection("10.0.0.1", "10.0.0.2", 443, "tls")
    output = KafkaOutput(config, counters, extra_config=FAST)
    output.send_heartbeat("node-7", build_heartbeat("node-7", "s-1", counters, ["eth0"], table))
    assert output.flush(20) == 0
    [msg] = consume(kafka_broker, config.heartbeattopic, 1)
    beat = pair_pb2.InterceptorHeartbeat.FromString(msg.value())  # type: ignore[attr-defined]
    assert msg.key() == b"node-7"  # type: ignore[attr-defined]
    assert (beat.node, beat.sensor_id, list(beat.interfaces)) == ("node-7", "s-1", ["eth0"])
    assert beat.counters["packets"] == 42
    assert [u.destination_port for u in beat.uninspected] == [443]


def test_iplist_for_this_node_is_taken_and_others_ignored(kafka_broker: KafkaBroker) -> None:
    config = settings(kafka_broker)
    producer = Producer(kafka_broker.producer_config())
    for node, version, addresses in [
        ("node-a", 1, ["10.1.0.1"]),
        ("node-b", 9, ["10.9.9.9"]),
        ("node-a", 2, ["10.1.0.2", "fd00::2", "not-an-ip"]),
    ]:
        value = pair_pb2.IpList(node=node, addresses=addresses, version=version)
        producer.produce(config.iplisttopic, key=node.encode(), value=value.SerializeToString())
    producer.produce(config.iplisttopic, key=b"node-a", value=b"\xff\xff garbage")
    assert producer.flush(20) == 0
    watcher = IpListWatcher(config, "node-a", extra_config={"session.timeout.ms": 6000})
    watcher.start()
    try:
        latest: list[str] | None = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and watcher.rejected < 2:
            latest = watcher.take() or latest
            time.sleep(0.1)
        latest = watcher.take() or latest
    finally:
        watcher.close()
    assert latest == ["10.1.0.2", "fd00::2"]
    assert watcher.rejected == 2  # the bad entry and the undecodable message


@pytest.fixture
def frozen_broker(kafka_broker: KafkaBroker) -> Iterator[KafkaBroker]:
    """The mock cluster, resumed after the test whatever happens."""
    if kafka_broker.pid is None:
        pytest.skip("the outage test needs the mock cluster (a process it can stop)")
    try:
        yield kafka_broker
    finally:
        os.kill(kafka_broker.pid, signal.SIGCONT)


def test_broker_outage_never_blocks_drops_are_counted_and_delivery_resumes(
    frozen_broker: KafkaBroker, capfd: pytest.CaptureFixture[str]
) -> None:
    broker = frozen_broker
    assert broker.pid is not None
    config = settings(broker, queuemessages=200, deliverytimeout=60.0)
    counters = Counters()
    output = KafkaOutput(config, counters, extra_config=FAST)
    pairs = wire_pairs()
    for key, value in pairs:
        output.send(key, value)
    drain(output, counters, len(pairs), 20)
    assert counters["pairs_delivered"] == len(pairs)

    os.kill(broker.pid, signal.SIGSTOP)
    started = time.perf_counter()
    sent = 0
    while sent < 2000:  # ten times what the local queue may hold
        output.send(*pairs[sent % len(pairs)])
        output.poll()
        sent += 1
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, "send() blocked while the broker was frozen"
    assert counters["output_queue_drops"] >= sent - config.queuemessages
    assert counters["pairs_queued"] <= len(pairs) + config.queuemessages

    os.kill(broker.pid, signal.SIGCONT)
    queued = counters["pairs_queued"]
    drain(output, counters, queued, 40)
    assert counters["pairs_delivered"] == queued  # everything that was queued arrives
    before = counters["pairs_delivered"]
    for key, value in pairs:
        output.send(key, value)
    drain(output, counters, before + len(pairs), 20)
    assert counters["pairs_delivered"] == before + len(pairs)
    logs = capfd.readouterr()
    for canary in sample.DEFAULT_CANARIES.values():  # error logs carry codes, never values
        assert str(canary) not in logs.out + logs.err
