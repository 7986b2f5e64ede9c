"""Publishes each node's address list for its interceptor (topic `iplist`, key = node name).

Only changes are sent, plus a full refresh every `refresh` seconds so a restarted interceptor
learns its list even from a compacted topic. A node that lost all its pods gets an empty list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from dsensor.v1 import pair_pb2

from sensor_dim.digger.kube_state import KubeState


class Produce(Protocol):
    def __call__(self, topic: str, value: bytes, key: bytes) -> None: ...


class IpListPublisher:
    def __init__(
        self,
        state: KubeState,
        produce: Produce,
        topic: str = "iplist",
        refresh: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._state = state
        self._produce = produce
        self._topic = topic
        self._refresh = refresh
        self._clock = clock
        self._sent: dict[str, list[str]] = {}
        self._last_full = float("-inf")
        self._version = 0
        self.published = 0

    def publish(self) -> int:
        """Send the lists that changed (or all of them when a refresh is due); returns how many."""
        lists = self._state.addresses_by_node()
        for gone in set(self._sent) - set(lists):
            lists[gone] = []
        full = self._clock() - self._last_full >= self._refresh
        if full:
            self._last_full = self._clock()
        sent = 0
        for node, addresses in sorted(lists.items()):
            if not full and self._sent.get(node) == addresses:
                continue
            self._version += 1
            message = pair_pb2.IpList(
                node=node,
                addresses=addresses,
                generated_unix_nanos=time.time_ns(),
                version=self._version,
            )
            self._produce(self._topic, message.SerializeToString(), node.encode())
            sent += 1
        self._sent = {n: a for n, a in lists.items() if a}
        self.published += sent
        return sent
