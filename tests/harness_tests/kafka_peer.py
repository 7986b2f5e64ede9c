"""Kafka client in a separate process for the harness tests.

`python kafka_peer.py produce CONFIG_JSON TOPIC COUNT` sends COUNT keyed messages;
`python kafka_peer.py consume CONFIG_JSON TOPIC COUNT` prints COUNT received messages as JSON
lines {"key", "value"} and exits 0, or exits 1 after 30 s.
"""

from __future__ import annotations

import json
import sys
import time

from confluent_kafka import Consumer, Producer


def produce(config: dict[str, object], topic: str, count: int) -> int:
    producer = Producer(config)
    for i in range(count):
        producer.produce(topic, key=f"peer-key-{i}".encode(), value=f"peer-value-{i}".encode())
    return 0 if producer.flush(20) == 0 else 1


def consume(config: dict[str, object], topic: str, count: int) -> int:
    consumer = Consumer(config)
    consumer.subscribe([topic])
    seen = 0
    deadline = time.monotonic() + 30
    try:
        while seen < count and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            key, value = msg.key() or b"", msg.value() or b""
            print(json.dumps({"key": key.decode(), "value": value.decode()}), flush=True)
            seen += 1
    finally:
        consumer.close()
    return 0 if seen == count else 1


if __name__ == "__main__":
    mode, raw_config, topic, count = sys.argv[1:5]
    action = produce if mode == "produce" else consume
    sys.exit(action(json.loads(raw_config), topic, int(count)))
