"""Helper process: run librdkafka's mock Kafka cluster until stdin closes or a signal ends it.

Prints the broker address ("host:port") on the first stdout line. Run as
`python tests/harness/kafka_mock.py [num_brokers]`; the test fixture owns the pipe to its stdin,
so the cluster dies with the test session even if pytest is killed.
"""

from __future__ import annotations

import os
import sys
import threading

from confluent_kafka import Producer


def _exit_when_stdin_closes() -> None:
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main() -> None:
    brokers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    producer = Producer({"test.mock.num.brokers": brokers, "log_level": 3})
    metadata = producer.list_topics(timeout=10)
    broker = sorted(metadata.brokers.values(), key=lambda b: b.id)[0]
    sys.stdout.write(f"{broker.host}:{broker.port}\n")
    sys.stdout.flush()
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    while True:
        producer.poll(1.0)


if __name__ == "__main__":
    main()
