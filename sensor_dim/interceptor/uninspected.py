"""Connections the interceptor recognised but cannot read (TLS, HTTP/2, gRPC, other), per pair.

Users see which flows are not covered: the heartbeat carries one `UninspectedFlows` entry per
(client address, server address, server port, reason) with connection and byte counts. The
table is bounded; connections beyond its size are still counted in the global counters.
"""

from __future__ import annotations

import threading

from dsensor.v1 import metadata_pb2

REASONS: dict[str, metadata_pb2.UninspectedReason] = {
    "tls": metadata_pb2.UNINSPECTED_REASON_TLS,
    "http2": metadata_pb2.UNINSPECTED_REASON_HTTP2,
    "grpc": metadata_pb2.UNINSPECTED_REASON_GRPC,
    "other": metadata_pb2.UNINSPECTED_REASON_UNKNOWN_PROTOCOL,
}
DEFAULT_MAX_ENTRIES = 10_000

_Key = tuple[str, str, int, str]


class UninspectedTable:
    """Connection and byte counts per address pair and reason (thread-safe snapshot)."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._max = max_entries
        self._entries: dict[_Key, list[int]] = {}
        self._lock = threading.Lock()
        self.overflow = 0  # connections not recorded because the table was full

    def __len__(self) -> int:
        return len(self._entries)

    def connection(self, client_ip: str, server_ip: str, port: int, reason: str) -> None:
        key = (client_ip, server_ip, port, reason)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                if len(self._entries) >= self._max:
                    self.overflow += 1
                    return
                entry = self._entries[key] = [0, 0]
            entry[0] += 1

    def add_bytes(self, client_ip: str, server_ip: str, port: int, reason: str, size: int) -> None:
        entry = self._entries.get((client_ip, server_ip, port, reason))
        if entry is not None:
            entry[1] += size

    def reclassify(self, client_ip: str, server_ip: str, port: int, old: str, new: str) -> None:
        """One connection first counted as `old` turned out to be `new` (HTTP/2 -> gRPC)."""
        with self._lock:
            entry = self._entries.get((client_ip, server_ip, port, old))
            if entry is not None and entry[0] > 0:
                entry[0] -= 1
                if entry[0] == 0:
                    del self._entries[(client_ip, server_ip, port, old)]
        self.connection(client_ip, server_ip, port, new)

    def to_proto(self) -> list[metadata_pb2.UninspectedFlows]:
        with self._lock:
            items = list(self._entries.items())
        return [
            metadata_pb2.UninspectedFlows(
                source_ip=client,
                destination_ip=server,
                destination_port=port,
                reason=REASONS[reason],
                connections=conns,
                bytes=size,
            )
            for (client, server, port, reason), (conns, size) in sorted(items)
        ]
