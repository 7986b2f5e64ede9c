"""TCP flow table: per-connection, per-direction reassembly into in-order byte streams.

Each direction keeps the next expected sequence number and a buffer of segments that arrived
ahead of it. Retransmissions and overlaps are trimmed; a hole is skipped and reported to the
consumer as a gap (never zero-filled) when the peer acknowledges past it, when the
connection's buffer hits its cap, or when the connection ends. Connections picked up without
a handshake are tracked too. FIN from both sides or RST ends a connection; idle connections
are evicted by capture time; the table and the buffers are bounded. A direction seen once
is also found by its raw IPv4 address and port bytes (`fast`), so an in-order segment of a
known connection is handled without building any object.

Traffic between two pods on one node is captured on both veths, and the sockets are read in
turns, so the two copies of a connection arrive merged in any order. Each direction uses the
first copy of every byte, whichever interface it came from (each interface's own order is
causal, so a response never overtakes its request and an acknowledgement never runs ahead of
the bytes it covers); the other copy adds nothing and is counted
`duplicate_interface_packets`. A copy of the SYN is not a new connection, and copies that
arrive after the connection ended are recognised by `flow_ended.EndedFlows`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flow_ended import EndedFlows
from sensor_dim.interceptor.flow_model import (
    CLIENT_TO_SERVER,
    SEQ_MASK,
    SERVER_TO_CLIENT,
    ConnectionInfo,
    ConsumerFactory,
    Endpoint,
    Flow,
    FlowKey,
    Stream,
    StreamConsumer,
    signed_diff,
)
from sensor_dim.interceptor.flow_reassembly import StreamReassembler
from sensor_dim.interceptor.frames import TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TcpSegment
from sensor_dim.interceptor.settings import InterceptorLimits

__all__ = ["ConnectionInfo", "Endpoint", "FlowTable", "StreamConsumer"]

_EXPIRE_EVERY_NS: Final = 1_000_000_000
_CONTROL: Final = TCP_SYN | TCP_FIN | TCP_RST


class FlowTable(StreamReassembler):
    """Tracks TCP connections and feeds each one's consumer."""

    def __init__(
        self, factory: ConsumerFactory, limits: InterceptorLimits, counters: Counters
    ) -> None:
        super().__init__(limits, counters)
        self._factory = factory
        self._flows: OrderedDict[FlowKey, Flow] = OrderedDict()
        self._by_wire: dict[bytes, tuple[Flow, int]] = {}  # at most two per tracked flow
        self._last_expire = 0
        self._ended = EndedFlows(limits.maxflows)  # live: copies of connections just ended

    def __len__(self) -> int:
        return len(self._flows)

    @property
    def buffered_bytes(self) -> int:
        return self._buffered

    def process(self, seg: TcpSegment, wire_key: bytes = b"") -> None:
        """Account one segment to its connection (creating or ending it as needed).

        `wire_key` (the raw source and destination address and port bytes) lets later
        segments of the same direction take `fast`.
        """
        src, dst = (seg.src_ip, seg.src_port), (seg.dst_ip, seg.dst_port)
        key = (src, dst) if src <= dst else (dst, src)
        flow = self._flows.get(key)
        if flow is None and seg.iface and len(self._ended):
            verdict = self._ended.classify(key, seg, src)
            if verdict is not None:
                if verdict == "duplicate":
                    self._counters.inc("duplicate_interface_packets")
                elif verdict == "retransmitted":
                    self._counters.inc("tcp_retransmitted")
                return
        if flow is not None and wire_key and wire_key not in self._by_wire:
            self._remember(flow, wire_key, src)
        if flow is not None and not seg.flags & _CONTROL and self._established(flow, src, seg):
            return
        syn_only = seg.flags & (TCP_SYN | TCP_ACK) == TCP_SYN
        if (
            flow is not None
            and syn_only
            and flow.streams[0].next_abs + flow.streams[1].next_abs
            and seg.seq != flow.streams[CLIENT_TO_SERVER].isn  # a copy is not a new connection
        ):
            self._end(key, flow, seg.ts_ns, "reused")  # a new connection on the same ports
            flow = None
        if flow is None:
            flow = self._open(key, seg, src, dst)
            if flow is None:
                return
        else:
            self._flows.move_to_end(key)
            flow.order_ts = seg.ts_ns
        flow.last_ts = seg.ts_ns
        d = CLIENT_TO_SERVER if src == flow.client_key else SERVER_TO_CLIENT
        if wire_key and wire_key not in self._by_wire:
            self._remember(flow, wire_key, src)
        stream = flow.streams[d]
        if seg.iface:
            seen = flow.ifaces[d]
            if not seen:
                flow.ifaces[d] = seg.iface
            elif self._copy(stream, seg, seen):
                # pod-to-pod traffic on one node crosses two veths: report it once
                self._counters.inc("duplicate_interface_packets")
                if seg.flags & TCP_ACK and flow.streams[1 - d].pending:
                    self._check_ack(flow, 1 - d, seg.ack, seg.ts_ns)
                return
            if seg.payload:
                end = (seg.seq + len(seg.payload)) & SEQ_MASK
                known = stream.iface_ends.get(seg.iface)
                if known is None or signed_diff(end - known) > 0:
                    stream.iface_ends[seg.iface] = end
        if seg.flags & TCP_SYN:
            if stream.isn != seg.seq or stream.next_wire is None:
                stream.isn = seg.seq
                stream.next_wire = (seg.seq + 1) & SEQ_MASK
        elif stream.next_wire is None and (seg.payload or seg.flags & TCP_FIN):
            stream.next_wire = seg.seq
        if seg.flags & TCP_ACK:
            self._check_ack(flow, 1 - d, seg.ack, seg.ts_ns)
        if seg.payload and not seg.flags & TCP_SYN:
            self._add(flow, d, seg.seq, seg.payload, seg.ts_ns)
        if seg.flags & TCP_FIN and stream.next_wire is not None:
            diff = signed_diff(seg.seq + len(seg.payload) - stream.next_wire)
            stream.fin_abs = stream.next_abs + max(diff, 0)
            self._check_fin(flow, d, seg.ts_ns)
        if seg.flags & TCP_RST:
            self._counters.inc("flows_reset")
            self._end(key, flow, seg.ts_ns, "rst")
        elif flow.streams[0].finished and flow.streams[1].finished:
            self._counters.inc("flows_closed")
            self._end(key, flow, seg.ts_ns, "fin")
        if seg.ts_ns - self._last_expire >= _EXPIRE_EVERY_NS:
            self.expire(seg.ts_ns)

    def fast(
        self, wire_key: bytes, seq: int, ack: int, flags: int, payload: bytes, ts: int, iface: int
    ) -> bool:
        """A segment of a direction already seen, looked up by its raw address and port bytes.

        Returns False (nothing done) when the segment needs `process`.
        """
        known = self._by_wire.get(wire_key)
        if known is None or flags & _CONTROL:
            return False
        return self._in_order(known[0], known[1], seq, ack, flags, payload, ts, iface)

    def _remember(self, flow: Flow, wire_key: bytes, src: tuple[str, int]) -> None:
        d = CLIENT_TO_SERVER if src == flow.client_key else SERVER_TO_CLIENT
        self._by_wire[wire_key] = (flow, d)
        flow.wire_keys.append(wire_key)

    def _established(self, flow: Flow, src: tuple[str, int], seg: TcpSegment) -> bool:
        d = CLIENT_TO_SERVER if src == flow.client_key else SERVER_TO_CLIENT
        return self._in_order(
            flow, d, seg.seq, seg.ack, seg.flags, seg.payload, seg.ts_ns, seg.iface
        )

    def _in_order(
        self,
        flow: Flow,
        d: int,
        seq: int,
        ack: int,
        flags: int,
        payload: bytes,
        ts: int,
        iface: int,
    ) -> bool:
        """The common case on one call: an in-order segment or a bare ACK of a known flow.

        Returns False (nothing done) when the segment needs the general path.
        """
        stream = flow.streams[d]
        if payload:
            if stream.next_wire != seq or stream.pending or stream.fin_abs is not None:
                return False
        elif stream.next_wire is None:
            return False
        if iface:
            seen = flow.ifaces[d]
            if not seen:
                return False
            if payload:
                stream.iface_ends[iface] = (seq + len(payload)) & SEQ_MASK
            elif seen != iface:  # a bare acknowledgement's copy from the other veth
                self._counters.inc("duplicate_interface_packets")
                if flags & TCP_ACK and flow.streams[1 - d].pending:
                    self._check_ack(flow, 1 - d, ack, ts)
                return True
        if ts - flow.order_ts >= _EXPIRE_EVERY_NS:
            # the idle order is kept to within one expiry period, not moved on every packet
            self._flows.move_to_end(flow.key)
            flow.order_ts = ts
        flow.last_ts = ts
        if flags & TCP_ACK and flow.streams[1 - d].pending:
            self._check_ack(flow, 1 - d, ack, ts)
        if payload:
            size = len(payload)
            stream.next_abs += size
            stream.next_wire = (seq + size) & SEQ_MASK
            flow.consumer.on_data(d, payload, ts)
        if ts - self._last_expire >= _EXPIRE_EVERY_NS:
            self.expire(ts)
        return True

    @staticmethod
    def _copy(stream: Stream, seg: TcpSegment, first_iface: int) -> bool:
        """Whether a segment of a known direction only repeats what another interface showed."""
        if seg.payload:
            if stream.next_wire is None:
                return False
            end = seg.seq + len(seg.payload)
            if signed_diff(end - stream.next_wire) > 0:
                return False  # carries bytes not delivered yet
            carried = stream.iface_ends.get(seg.iface)
            # this interface carried these bytes before: a retransmission, not a copy
            return carried is None or signed_diff(end - carried) > 0
        if seg.flags & TCP_SYN:
            return seg.iface != first_iface and seg.seq == stream.isn
        if seg.flags & TCP_FIN and stream.fin_abs is None:
            return False
        return seg.iface != first_iface

    def expire(self, now_ns: int) -> None:
        """End connections idle for longer than the idle timeout."""
        self._last_expire = now_ns
        self._ended.expire(now_ns)
        limit = now_ns - int(self._limits.idletimeout * 1e9)
        # flows are in the order they were last moved (`order_ts`, at most one expiry period
        # before their last packet): the walk stops at the first one still active
        while self._flows:
            key, flow = next(iter(self._flows.items()))
            if flow.last_ts >= limit:
                break
            self._counters.inc("flows_evicted_idle")
            self._end(key, flow, now_ns, "idle")

    def close_all(self, ts_ns: int, reason: str = "eof") -> None:
        """End every connection (end of a capture file, shutdown)."""
        for key, flow in list(self._flows.items()):
            self._end(key, flow, ts_ns, reason)

    def _open(
        self, key: FlowKey, seg: TcpSegment, src: tuple[str, int], dst: tuple[str, int]
    ) -> Flow | None:
        if seg.flags & TCP_RST:
            return None
        if seg.flags & TCP_SYN:
            from_client = not seg.flags & TCP_ACK
            midstream = False
        elif seg.payload:
            from_client, midstream = True, True
        else:
            return None  # a bare ACK or FIN of a connection we do not know
        if len(self._flows) >= self._limits.maxflows:
            old_key, old = next(iter(self._flows.items()))
            self._counters.inc("flows_evicted_full")
            self._end(old_key, old, seg.ts_ns, "evicted")
        client, server = (src, dst) if from_client else (dst, src)
        info = ConnectionInfo(Endpoint(*client), Endpoint(*server), midstream)
        flow = Flow(info, self._factory(info), seg.ts_ns, client, key)
        self._flows[key] = flow
        self._counters.inc("flows_opened")
        if midstream:
            self._counters.inc("flows_midstream")
        return flow

    def _end(self, key: FlowKey, flow: Flow, ts: int, reason: str) -> None:
        del self._flows[key]
        self._ended.remember(key, flow, ts)
        for wire_key in flow.wire_keys:
            del self._by_wire[wire_key]
        for d in (CLIENT_TO_SERVER, SERVER_TO_CLIENT):
            st = flow.streams[d]
            while st.pending:
                self._skip_to_pending(flow, d, ts)
            if st.fin_abs is not None and st.fin_abs > st.next_abs and not st.finished:
                self._gap(flow, d, st.fin_abs - st.next_abs, ts)
                self._check_fin(flow, d, ts)
        flow.consumer.on_end(ts, reason)
