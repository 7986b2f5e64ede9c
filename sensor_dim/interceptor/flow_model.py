"""What the flow table holds: endpoints, connection facts, per-direction stream state.

`StreamConsumer` is the interface the flow table feeds (one per connection); `Stream` and
`Flow` are the table's own records. Sequence numbers are 32-bit and wrap: `signed_diff`
compares them.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy_extensions import mypyc_attr

CLIENT_TO_SERVER = 0
SERVER_TO_CLIENT = 1
SEQ_MASK = 0xFFFFFFFF

FlowKey = tuple[tuple[str, int], tuple[str, int]]


class Endpoint:
    """One end of a connection (immutable; equal endpoints hash alike)."""

    __slots__ = ("ip", "port")

    def __init__(self, ip: str, port: int) -> None:
        self.ip = ip
        self.port = port

    def __str__(self) -> str:
        return f"[{self.ip}]:{self.port}" if ":" in self.ip else f"{self.ip}:{self.port}"

    def __repr__(self) -> str:
        return f"Endpoint(ip={self.ip!r}, port={self.port!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Endpoint) and (self.ip, self.port) == (other.ip, other.port)

    def __hash__(self) -> int:
        return hash((self.ip, self.port))


class ConnectionInfo:
    """Who connected to whom. With `midstream`, client/server is a guess (first sender)."""

    __slots__ = ("client", "midstream", "server")

    def __init__(self, client: Endpoint, server: Endpoint, midstream: bool) -> None:
        self.client = client
        self.server = server
        self.midstream = midstream


@mypyc_attr(allow_interpreted_subclasses=True)
class StreamConsumer:
    """Receives one connection's in-order bytes; direction 0 = client to server.

    A base class, not a Protocol: consumers subclass it, so compiled code calls them
    through a native method table.
    """

    def on_data(self, direction: int, data: bytes, ts_ns: int) -> None:
        raise NotImplementedError

    def on_gap(self, direction: int, size: int, ts_ns: int) -> None:
        raise NotImplementedError

    def on_fin(self, direction: int, ts_ns: int) -> None:
        raise NotImplementedError

    def on_end(self, ts_ns: int, reason: str) -> None:
        raise NotImplementedError


ConsumerFactory = Callable[[ConnectionInfo], StreamConsumer]


def signed_diff(diff: int) -> int:
    """A 32-bit sequence difference as a signed number."""
    diff &= SEQ_MASK
    return diff - (1 << 32) if diff >= 1 << 31 else diff


class Stream:
    """One direction of a connection."""

    __slots__ = (
        "fin_abs",
        "finished",
        "iface_ends",
        "isn",
        "next_abs",
        "next_wire",
        "pending",
        "pending_bytes",
    )

    def __init__(self) -> None:
        self.next_wire: int | None = None  # next expected sequence number as on the wire
        # sequence number of the SYN (a copy of it is not a new connection)
        self.isn: int | None = None
        self.next_abs = 0  # bytes delivered so far (or skipped as gaps)
        self.pending: dict[int, bytes] = {}  # absolute start -> bytes
        self.pending_bytes = 0
        self.fin_abs: int | None = None
        self.finished = False
        # live capture: interface -> end (wire sequence) of the furthest bytes it carried, so
        # an old segment is told apart as a copy from another interface or a retransmission
        self.iface_ends: dict[int, int] = {}


class Flow:
    """One tracked connection: its consumer, both directions, and how it is looked up."""

    __slots__ = (
        "client_key",
        "consumer",
        "ifaces",
        "info",
        "key",
        "last_ts",
        "order_ts",
        "streams",
        "wire_keys",
    )

    def __init__(
        self,
        info: ConnectionInfo,
        consumer: StreamConsumer,
        last_ts: int,
        client_key: tuple[str, int],
        key: FlowKey,
    ) -> None:
        self.info = info
        self.consumer = consumer
        self.last_ts = last_ts
        # when the flow table last moved the flow to the end of its idle order
        self.order_ts = last_ts
        self.client_key = client_key
        self.key = key
        self.streams = (Stream(), Stream())
        # interface each direction was first seen on (live capture; 0 = unknown); segments of
        # either interface are used, the one first seen decides what a bare copy is
        self.ifaces = [0, 0]
        # raw address+port bytes of each direction as in the IPv4 header (the fast lookup)
        self.wire_keys: list[bytes] = []
