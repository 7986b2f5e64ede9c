"""The Kafka fixture: messages cross process boundaries in both directions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer

from tests.harness.kafka import KafkaBroker, start_mock_cluster

PEER = Path(__file__).with_name("kafka_peer.py")


def _peer(mode: str, config: dict[str, object], topic: str, count: int) -> list[str]:
    argv = [sys.executable, str(PEER), mode, json.dumps(config), topic, str(count)]
    return argv


def test_test_process_produces_and_another_process_consumes(kafka_broker: KafkaBroker) -> None:
    topic = kafka_broker.new_topic()
    consumer = subprocess.Popen(
        _peer("consume", kafka_broker.consumer_config("harness-sub"), topic, 3),
        stdout=subprocess.PIPE,
        text=True,
    )
    producer = Producer(kafka_broker.producer_config())
    for i in range(3):
        producer.produce(topic, key=f"k{i}".encode(), value=json.dumps({"n": i}).encode())
    assert producer.flush(15) == 0
    out, _ = consumer.communicate(timeout=60)
    assert consumer.returncode == 0
    got = sorted((m["key"], json.loads(m["value"])["n"]) for m in map(json.loads, out.splitlines()))
    assert got == [("k0", 0), ("k1", 1), ("k2", 2)]


def test_another_process_produces_and_test_process_consumes(kafka_broker: KafkaBroker) -> None:
    topic = kafka_broker.new_topic()
    subprocess.run(
        _peer("produce", kafka_broker.producer_config(), topic, 4), check=True, timeout=60
    )
    consumer = Consumer(kafka_broker.consumer_config("harness-main"))
    consumer.subscribe([topic])
    got: dict[str, str] = {}
    deadline = time.monotonic() + 30
    try:
        while len(got) < 4 and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and not msg.error():
                got[(msg.key() or b"").decode()] = (msg.value() or b"").decode()
    finally:
        consumer.close()
    assert got == {f"peer-key-{i}": f"peer-value-{i}" for i in range(4)}


def test_mock_cluster_topics_get_four_partitions(kafka_broker: KafkaBroker) -> None:
    topic = kafka_broker.new_topic()
    producer = Producer(kafka_broker.producer_config())
    producer.produce(topic, value=b"x")
    assert producer.flush(15) == 0
    partitions = producer.list_topics(topic, timeout=10).topics[topic].partitions
    if kafka_broker.pid is not None:
        assert len(partitions) == 4


@pytest.mark.integration
def test_mock_cluster_process_exits_when_its_owner_goes_away() -> None:
    broker = start_mock_cluster()
    proc = broker.process
    assert proc is not None
    assert proc.stdin is not None
    os.kill(proc.pid, signal.SIGSTOP)
    os.kill(proc.pid, signal.SIGCONT)
    proc.stdin.close()  # what happens when the pytest process dies
    assert proc.wait(timeout=10) == 0
    broker.stop()
