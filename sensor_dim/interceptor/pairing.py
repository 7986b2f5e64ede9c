"""Pair requests with responses on one connection and emit `dsensor.v1.HttpPair` messages.

Requests queue up in arrival order (pipelining) when their head is parsed; each final
response takes the oldest one. 1xx responses (except 101) do not advance the queue. The
queue is capped; requests pushed out of it, and those left at connection end, are emitted as
unanswered pairs. Responses without a pending request are counted and dropped.

A pair leaves serialized (`pair_wire`), with its Kafka key (the destination `ip:port`, made
once per connection).
"""

from __future__ import annotations

from collections.abc import Callable

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import Endpoint
from sensor_dim.interceptor.http1_events import HttpMessage
from sensor_dim.interceptor.http1_head import MessageHead
from sensor_dim.interceptor.pair_wire import addresses, pair_body

# receives (Kafka key: the destination "ip:port", serialized HttpPair)
PairSink = Callable[[bytes, bytes], None]
# decides from the request head and the response head (None: unanswered) whether a pair is
# built and sent on; it may count its reasons
PairFilter = Callable[[MessageHead, MessageHead | None], bool]


def destination_key(server: Endpoint) -> bytes:
    """The Kafka key of a connection's pairs: its server's `ip:port` (`[ip]:port` for IPv6)."""
    return str(server).encode()


class _Pending:
    """A request waiting for its response."""

    __slots__ = ("first_ts", "head", "message")

    def __init__(self, head: MessageHead, first_ts: int) -> None:
        self.head = head
        self.first_ts = first_ts
        self.message: HttpMessage | None = None


class Pairer:
    """The request queue of one connection."""

    def __init__(
        self,
        client: Endpoint,
        server: Endpoint,
        *,
        max_pending: int,
        counters: Counters,
        sink: PairSink,
        node: str = "",
        keep: PairFilter | None = None,
    ) -> None:
        self.client = client
        self._keep = keep
        self.server = server
        self._max_pending = max_pending
        self._counters = counters
        self._sink = sink
        self._node = node
        # a list, not a deque: at most `max_pending`, and a deque takes 600 bytes even empty
        self._pending: list[_Pending] = []
        self._responses_lost = False
        self._key = destination_key(server)
        self._addresses = addresses(client, server)  # the first fields of every pair

    @property
    def pending(self) -> int:
        return len(self._pending)

    def request_started(self, head: MessageHead, ts_ns: int) -> None:
        if len(self._pending) >= self._max_pending:
            self._counters.inc("pairs_pending_overflow")
            self._emit(self._pending.pop(0), None)
        self._pending.append(_Pending(head, ts_ns))

    def request_complete(self, message: HttpMessage) -> None:
        for entry in self._pending:
            if entry.head is message.head:
                entry.message = message
                entry.first_ts = message.first_ts_ns
                return

    def messages_lost(self, from_client: bool) -> None:
        """A capture gap may have hidden whole requests or responses."""
        if not from_client:
            self._responses_lost = True

    def response_complete(self, message: HttpMessage) -> None:
        if message.head.status < 200 and message.head.status != 101:
            return  # informational: the final response is still to come
        pending = self._pending
        if self._responses_lost:
            # responses were lost: this one answers the newest request sent before it began
            self._responses_lost = False
            while len(pending) > 1 and pending[1].first_ts <= message.first_ts_ns:
                self._emit(pending.pop(0), None)
        if not pending or message.first_ts_ns < pending[0].first_ts:
            # nothing waiting, or it began before the oldest waiting request: it answers a
            # request we never saw (lost in a gap, or sent before the capture started)
            self._counters.inc("responses_unmatched")
            return
        self._emit(pending.pop(0), message)

    def close(self) -> None:
        """The connection ended: every request still waiting is unanswered."""
        while self._pending:
            self._emit(self._pending.pop(0), None)

    def _emit(self, entry: _Pending, response: HttpMessage | None) -> None:
        if response is None:
            self._counters.inc("pairs_unanswered")
        self._counters.inc("pairs")
        keep = self._keep
        if keep is not None and not keep(entry.head, None if response is None else response.head):
            return  # not selected: the pair message is never built
        request = (entry.head, entry.message, entry.first_ts)
        self._sink(self._key, self._addresses + pair_body(request, response, self._node))
