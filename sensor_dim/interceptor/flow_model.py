"""What the flow table holds: endpoints, connection facts, per-direction stream state.

`StreamConsumer` is the interface the flow table feeds (one per connection); `_Stream` and
`_Flow` are the table's own records. Sequence numbers are 32-bit and wrap: `signed_diff`
compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

CLIENT_TO_SERVER = 0
SERVER_TO_CLIENT = 1
SEQ_MASK = 0xFFFFFFFF

FlowKey = tuple[tuple[str, int], tuple[str, int]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    ip: str
    port: int

    def __str__(self) -> str:
        return f"[{self.ip}]:{self.port}" if ":" in self.ip else f"{self.ip}:{self.port}"


@dataclass(frozen=True, slots=True)
class ConnectionInfo:
    """Who connected to whom. With `midstream`, client/server is a guess (first sender)."""

    client: Endpoint
    server: Endpoint
    midstream: bool


class StreamConsumer(Protocol):
    """Receives one connection's in-order bytes; direction 0 = client to server."""

    def on_data(self, direction: int, data: bytes, ts_ns: int) -> None: ...

    def on_gap(self, direction: int, size: int, ts_ns: int) -> None: ...

    def on_fin(self, direction: int, ts_ns: int) -> None: ...

    def on_end(self, ts_ns: int, reason: str) -> None: ...


ConsumerFactory = Callable[[ConnectionInfo], StreamConsumer]


def signed_diff(diff: int) -> int:
    """A 32-bit sequence difference as a signed number."""
    diff &= SEQ_MASK
    return diff - (1 << 32) if diff >= 1 << 31 else diff


@dataclass(slots=True)
class Stream:
    """One direction of a connection."""

    next_wire: int | None = None  # next expected sequence number as on the wire
    isn: int | None = None  # sequence number of the SYN (a copy of it is not a new connection)
    next_abs: int = 0  # bytes delivered so far (or skipped as gaps)
    pending: dict[int, bytes] = field(default_factory=dict)  # absolute start -> bytes
    pending_bytes: int = 0
    fin_abs: int | None = None
    finished: bool = False
    # live capture: interface -> end (wire sequence) of the furthest bytes it carried, so an
    # old segment is told apart as a copy from another interface or a retransmission
    iface_ends: dict[int, int] = field(default_factory=dict)


@dataclass(slots=True)
class Flow:
    """One tracked connection: its consumer, both directions, and how it is looked up."""

    info: ConnectionInfo
    consumer: StreamConsumer
    last_ts: int
    client_key: tuple[str, int]
    key: FlowKey
    streams: tuple[Stream, Stream] = field(default_factory=lambda: (Stream(), Stream()))
    # interface each direction was first seen on (live capture; 0 = unknown); segments of
    # either interface are used, the one first seen decides what a bare copy is
    ifaces: list[int] = field(default_factory=lambda: [0, 0])
    # raw address+port bytes of each direction as in the IPv4 header (the fast lookup)
    wire_keys: list[bytes] = field(default_factory=list)
