"""Sensor health to the console: the interceptors' heartbeats (topic `heartbeat`) and the
digger's own counters, sent as one stats-service heartbeat every `interval` seconds.

Heartbeats are read in a consumer group of their own, so with several diggers each interceptor
heartbeat is forwarded once. Only the latest heartbeat per node is kept (bounded by node count).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from confluent_kafka import Consumer
from dsensor.v1 import pair_pb2, stats_pb2
from google.protobuf.message import DecodeError

from sensor_core.logs import get_logger
from sensor_core.stats_client import StatsClient

log = get_logger("dsensor.digger.health")
MAX_NODES = 10_000


class HealthForwarder:
    def __init__(
        self,
        consumer_config: Mapping[str, Any],
        topic: str,
        stats: StatsClient,
        own_counters: Callable[[], Mapping[str, int]],
        interval: float = 30.0,
    ) -> None:
        self._config = dict(consumer_config)
        self._topic = topic
        self._stats = stats
        self._own = own_counters
        self._interval = interval
        self._nodes: dict[str, pair_pb2.InterceptorHeartbeat] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health", daemon=True)
        self.received = 0
        self.invalid = 0
        self.sent = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def take(self, raw: bytes) -> None:
        """One heartbeat message from the topic; newer ones replace older ones per node."""
        try:
            beat = pair_pb2.InterceptorHeartbeat.FromString(raw)
        except DecodeError:
            self.invalid += 1
            return
        if not beat.node:
            self.invalid += 1
            return
        known = self._nodes.get(beat.node)
        if known is not None and known.unix_nanos > beat.unix_nanos:
            return
        if known is None and len(self._nodes) >= MAX_NODES:
            self.invalid += 1
            return
        self.received += 1
        self._nodes[beat.node] = beat

    def nodes(self) -> list[stats_pb2.NodeHealth]:
        out = []
        for node, beat in sorted(self._nodes.items()):
            health = stats_pb2.NodeHealth(
                node=node,
                last_seen_unix_nanos=beat.unix_nanos,
                interfaces=list(beat.interfaces),
                uninspected=list(beat.uninspected),
            )
            health.counters.update(dict(beat.counters))
            out.append(health)
        return out

    def send(self) -> bool:
        counters = {k: int(v) for k, v in self._own().items()}
        counters.update(health_received=self.received, health_invalid=self.invalid)
        ok = self._stats.heartbeat(counters, self.nodes())
        self.sent += ok
        return ok

    def _run(self) -> None:
        consumer = Consumer({**self._config, "enable.auto.commit": True})
        consumer.subscribe([self._topic])
        try:
            next_send = 0.0
            while not self._stop.is_set():
                msg = consumer.poll(0.5)
                if msg is not None and msg.error() is None:
                    self.take(msg.value() or b"")
                now = time.monotonic()
                if now >= next_send:
                    self.send()
                    next_send = now + self._interval
        except Exception as exc:  # health must never take the digger down
            log.warning("health_forwarder_failed", error=type(exc).__name__)
        finally:
            consumer.close()
