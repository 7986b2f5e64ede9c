"""Connections that just ended, kept briefly so their copies from another interface are dropped.

Traffic between two pods of one node crosses two veths, and the capture reads each
interface's socket in turns: the copies of a short connection's frames on the second
interface can arrive after the first interface's copies already ended it. Without this
memory they would open the connection again and report its pairs a second time.

For each ended connection seen live (with interface numbers), `EndedFlows` keeps the
sequence span each direction covered (SYN to FIN) and the interface it was first seen on, for
`KEEP_NS` of capture time and at most `limit` connections (the oldest is forgotten first). A
segment of such a connection inside the span is a copy (counted `duplicate_interface_packets`,
or `tcp_retransmitted` when it came from the same interface) and dropped; a SYN outside it is a
new connection on the same ports and ends the memory.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from sensor_dim.interceptor.flow_model import (
    CLIENT_TO_SERVER,
    SEQ_MASK,
    SERVER_TO_CLIENT,
    Flow,
    FlowKey,
    signed_diff,
)
from sensor_dim.interceptor.frames import TCP_SYN, TcpSegment

KEEP_NS = 10_000_000_000  # the copies of a frame trail it by far less than this

Verdict = Literal["duplicate", "retransmitted", "other"]


@dataclass(slots=True, frozen=True)
class _Ended:
    client_key: tuple[str, int]
    ifaces: tuple[int, int]
    # per direction: (first, end) wire sequence numbers covered, SYN and FIN included
    spans: tuple[tuple[int, int] | None, tuple[int, int] | None]
    # per direction: interface -> end of the bytes it carried (a copy from an interface that
    # had not carried them is a duplicate, one that had is a retransmission)
    carried: tuple[dict[int, int], dict[int, int]]
    ts: int


class EndedFlows:
    """Recently ended live connections, bounded by count and by capture time."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._ended: OrderedDict[FlowKey, _Ended] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ended)

    def remember(self, key: FlowKey, flow: Flow, ts: int) -> None:
        if not (flow.ifaces[0] or flow.ifaces[1]):
            return  # offline, or no interface numbers: nothing to tell copies by
        spans = tuple(
            None
            if st.next_wire is None
            else ((st.next_wire - st.next_abs - 1) & SEQ_MASK, (st.next_wire + 1) & SEQ_MASK)
            for st in flow.streams
        )
        self._ended.pop(key, None)
        self._ended[key] = _Ended(
            flow.client_key,
            (flow.ifaces[0], flow.ifaces[1]),
            (spans[0], spans[1]),
            (flow.streams[0].iface_ends, flow.streams[1].iface_ends),
            ts,
        )
        while len(self._ended) > self._limit:
            self._ended.popitem(last=False)

    def classify(self, key: FlowKey, seg: TcpSegment, src: tuple[str, int]) -> Verdict | None:
        """What a segment of a connection not (or no longer) tracked is, None when unknown."""
        ended = self._ended.get(key)
        if ended is None:
            return None
        if seg.ts_ns - ended.ts > KEEP_NS:
            del self._ended[key]
            return None
        d = CLIENT_TO_SERVER if src == ended.client_key else SERVER_TO_CLIENT
        span = ended.spans[d]
        if span is not None:
            first, end = span
            inside = signed_diff(seg.seq - first) >= 0
            last = seg.seq + len(seg.payload)
            if inside and signed_diff(last - end) <= 0:
                if seg.payload:
                    carried = ended.carried[d].get(seg.iface)
                    fresh = carried is None or signed_diff(last - carried) > 0
                    return "duplicate" if fresh else "retransmitted"
                return "duplicate" if seg.iface != ended.ifaces[d] else "other"
        if seg.flags & TCP_SYN:
            del self._ended[key]  # a new connection on the same addresses and ports
        return None

    def expire(self, now_ns: int) -> None:
        while self._ended:
            ended = next(iter(self._ended.values()))
            if now_ns - ended.ts <= KEEP_NS:
                return
            self._ended.popitem(last=False)
