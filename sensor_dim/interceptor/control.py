"""The interceptor's control messages: the heartbeat it sends, the address list it receives.

Heartbeat: `dsensor.v1.InterceptorHeartbeat` on the `heartbeat` topic, key = node name, with
every counter, the interfaces read and the uninspected flows. Address list:
`dsensor.v1.IpList` on the `iplist` topic, key = node name, the latest version wins; a
consumer thread keeps the newest list for this node and the capture loop picks it up.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException
from dsensor.v1 import pair_pb2
from google.protobuf.message import DecodeError

from sensor_core.kafka_settings import client_config
from sensor_core.logs import get_logger
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.settings import KafkaOutputSettings
from sensor_dim.interceptor.uninspected import UninspectedTable

log = get_logger("dsensor.interceptor.control")
MAX_ADDRESSES = 65_536


def build_heartbeat(
    node: str,
    sensor_id: str,
    counters: Counters,
    interfaces: list[str],
    uninspected: UninspectedTable,
) -> bytes:
    beat = pair_pb2.InterceptorHeartbeat(
        node=node, sensor_id=sensor_id, unix_nanos=time.time_ns(), interfaces=interfaces
    )
    for name, value in counters.snapshot().items():
        beat.counters[name] = value
    beat.uninspected.extend(uninspected.to_proto())
    return beat.SerializeToString()


def valid_addresses(addresses: list[str]) -> tuple[list[str], int]:
    """(the valid IP addresses in canonical form, how many entries were not addresses)."""
    good: list[str] = []
    bad = 0
    for text in addresses[:MAX_ADDRESSES]:
        try:
            good.append(str(ipaddress.ip_address(text.strip())))
        except ValueError:
            bad += 1
    return good, bad + max(0, len(addresses) - MAX_ADDRESSES)


class IpListWatcher:
    """Consumes `iplist` on its own thread; `take()` returns a newer list for this node once."""

    def __init__(
        self,
        settings: KafkaOutputSettings,
        node: str,
        consumer_factory: Callable[[dict[str, Any]], Consumer] = Consumer,
        extra_config: dict[str, Any] | None = None,
    ) -> None:
        self._node = node
        self._topic = settings.iplisttopic
        config = {
            **client_config(settings.connection),
            "group.id": f"dsensor-interceptor-{node}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
            **(extra_config or {}),
        }
        self._consumer = consumer_factory(config)
        self._lock = threading.Lock()
        self._latest: list[str] | None = None
        self._version = -1
        self.rejected = 0  # messages or entries that could not be used
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="interceptor-iplist", daemon=True)

    def start(self) -> None:
        self._consumer.subscribe([self._topic])
        self._thread.start()

    def take(self) -> list[str] | None:
        with self._lock:
            latest, self._latest = self._latest, None
        return latest

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self._consumer.poll(0.5)
            except KafkaException as exc:
                log.warning("iplist_poll_failed", code=str(exc.args[0].name()))
                continue
            if msg is None:
                continue
            err = msg.error()
            if err is not None:
                if err.code() != KafkaError._PARTITION_EOF:
                    log.warning("iplist_consumer_error", code=str(err.name()))
                continue
            key = msg.key()
            if key is None or key.decode("utf-8", "replace") != self._node:
                continue
            self._accept(msg.value() or b"")

    def _accept(self, value: bytes) -> None:
        try:
            iplist = pair_pb2.IpList.FromString(value)
        except DecodeError:
            self.rejected += 1
            log.warning("iplist_rejected", reason="not_an_iplist")
            return
        if iplist.version and iplist.version < self._version:
            return  # an older list read late
        addresses, bad = valid_addresses(list(iplist.addresses))
        self.rejected += bad
        self._version = iplist.version
        with self._lock:
            self._latest = addresses
        log.info("iplist_received", addresses=len(addresses), rejected=bad, version=iplist.version)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._consumer.close()
