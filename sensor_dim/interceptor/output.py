"""Where pairs go: the Kafka topic `events` (keyed by destination ip:port), or an in-process queue.

Capture never waits for the output. `KafkaOutput.send` hands the serialized pair to
librdkafka's bounded local queue (`queuemessages`, `queuebytes`); when it is full the pair is
dropped and counted (`output_queue_drops`). librdkafka batches (`batchmessages`, `linger`),
reconnects by itself when the broker comes back, and gives up on a pair after
`deliverytimeout` (`kafka_errors`). Delivery reports run in `poll()`, which the capture loop
calls between packet batches, so every counter is only written by the capture thread.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from typing import Any, Protocol

from confluent_kafka import KafkaError, Message, Producer

from sensor_core.kafka_settings import client_config
from sensor_core.logs import get_logger
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.settings import KafkaOutputSettings

log = get_logger("dsensor.interceptor.output")
_LOG_EVERY_S = 30.0  # one log line per error code and interval, however many errors


class PairOutput(Protocol):
    def send(self, key: bytes, value: bytes) -> None:
        """A serialized pair with its key (the destination `ip:port`)."""

    def send_heartbeat(self, key: str, value: bytes) -> None: ...

    def poll(self) -> None: ...

    def flush(self, timeout: float) -> int: ...

    @property
    def backlog(self) -> int: ...


class InProcessOutput:
    """Embedded mode: (key, serialized pair) on a bounded queue; full means dropped and counted."""

    def __init__(self, bus: queue.Queue[tuple[bytes, bytes]], counters: Counters) -> None:
        self.bus = bus
        self._counters = counters
        self.heartbeats: list[bytes] = []

    def send(self, key: bytes, value: bytes) -> None:
        try:
            self.bus.put_nowait((key, value))
        except queue.Full:
            self._counters.inc("output_queue_drops")
            return
        self._counters.inc("pairs_queued")
        self._counters.inc("pairs_delivered")

    def send_heartbeat(self, key: str, value: bytes) -> None:
        self.heartbeats = [*self.heartbeats[-9:], value]
        self._counters.inc("heartbeats_sent")

    def poll(self) -> None:
        return None

    def flush(self, timeout: float) -> int:
        return 0

    @property
    def backlog(self) -> int:
        return self.bus.qsize()


def producer_config(settings: KafkaOutputSettings) -> dict[str, Any]:
    """The confluent-kafka Producer configuration of the interceptor."""
    return {
        **client_config(settings.connection),
        "client.id": "dsensor-interceptor",
        "queue.buffering.max.messages": settings.queuemessages,
        "queue.buffering.max.kbytes": max(1, settings.queuebytes // 1024),
        "batch.num.messages": settings.batchmessages,
        "linger.ms": int(settings.linger * 1000),
        "message.timeout.ms": max(1, int(settings.deliverytimeout * 1000)),
        "compression.type": "lz4",
        "enable.idempotence": False,
        "acks": "1",
    }


class KafkaOutput:
    """Pairs to the events topic and heartbeats to the heartbeat topic of one Kafka cluster."""

    def __init__(
        self,
        settings: KafkaOutputSettings,
        counters: Counters,
        producer_factory: Callable[[dict[str, Any]], Producer] = Producer,
        extra_config: dict[str, Any] | None = None,
    ) -> None:
        self._settings = settings
        self._counters = counters
        self._last_log: dict[str, float] = {}
        config = {
            **producer_config(settings),
            **(extra_config or {}),
            "error_cb": self._on_error,
            "logger": logging.getLogger("dsensor.interceptor.kafka"),
        }
        self._producer = producer_factory(config)
        self._events = settings.eventstopic
        self.connected = False  # set by the first delivery; cleared by transport errors

    def send(self, key: bytes, value: bytes) -> None:
        try:
            self._producer.produce(
                self._events,
                value=value,
                key=key,
                on_delivery=self._on_pair_delivery,
            )
        except BufferError:  # librdkafka's local queue is full: the broker is slow or away
            self._counters.inc("output_queue_drops")
            return
        self._counters.inc("pairs_queued")

    def send_heartbeat(self, key: str, value: bytes) -> None:
        try:
            self._producer.produce(
                self._settings.heartbeattopic,
                value=value,
                key=key.encode(),
                on_delivery=self._on_heartbeat_delivery,
            )
        except BufferError:
            self._counters.inc("output_queue_drops")

    def poll(self) -> None:
        self._producer.poll(0)

    def flush(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for queued messages; returns how many are left."""
        left: int = self._producer.flush(timeout)
        return left

    @property
    def backlog(self) -> int:
        return len(self._producer)

    def _on_pair_delivery(self, err: KafkaError | None, msg: Message) -> None:
        if err is None:
            self.connected = True
            self._counters.inc("pairs_delivered")
        else:
            self._counters.inc("kafka_errors")
            self._log_error("kafka_delivery_failed", err)

    def _on_heartbeat_delivery(self, err: KafkaError | None, msg: Message) -> None:
        if err is None:
            self.connected = True
            self._counters.inc("heartbeats_sent")
        else:
            self._counters.inc("kafka_errors")
            self._log_error("kafka_heartbeat_failed", err)

    def _on_error(self, err: KafkaError) -> None:
        # client-level errors (all brokers down, authentication): librdkafka keeps retrying
        if err.code() in (KafkaError._ALL_BROKERS_DOWN, KafkaError._TRANSPORT):
            self.connected = False
        self._counters.inc("kafka_errors")
        self._log_error("kafka_client_error", err)

    def _log_error(self, event: str, err: KafkaError) -> None:
        code = str(err.name())
        now = time.monotonic()
        key = f"{event}:{code}"
        if now - self._last_log.get(key, -_LOG_EVERY_S) >= _LOG_EVERY_S:
            self._last_log[key] = now
            log.warning(event, code=code, kafka_errors=self._counters["kafka_errors"])
