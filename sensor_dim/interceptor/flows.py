"""TCP flow table: per-connection, per-direction reassembly into in-order byte streams.

Each direction keeps the next expected sequence number and a buffer of segments that arrived
ahead of it. Retransmissions and overlaps are trimmed; a hole is skipped and reported to the
consumer as a gap (never zero-filled) when the peer acknowledges past it, when the
connection's buffer hits its cap, or when the connection ends. Connections picked up without
a handshake are tracked too. FIN from both sides or RST ends a connection; idle connections
are evicted by capture time; the table and the buffers are bounded.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.frames import TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TcpSegment
from sensor_dim.interceptor.settings import InterceptorLimits

CLIENT_TO_SERVER = 0
SERVER_TO_CLIENT = 1
_MASK = 0xFFFFFFFF
_EXPIRE_EVERY_NS = 1_000_000_000
_CONTROL = TCP_SYN | TCP_FIN | TCP_RST


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


_Key = tuple[tuple[str, int], tuple[str, int]]


def _signed(diff: int) -> int:
    """A 32-bit sequence difference as a signed number."""
    diff &= _MASK
    return diff - (1 << 32) if diff >= 1 << 31 else diff


@dataclass(slots=True)
class _Stream:
    next_wire: int | None = None  # next expected sequence number as on the wire
    next_abs: int = 0  # bytes delivered so far (or skipped as gaps)
    pending: dict[int, bytes] = field(default_factory=dict)  # absolute start -> bytes
    pending_bytes: int = 0
    fin_abs: int | None = None
    finished: bool = False


@dataclass(slots=True)
class _Flow:
    info: ConnectionInfo
    consumer: StreamConsumer
    last_ts: int
    client_key: tuple[str, int]
    streams: tuple[_Stream, _Stream] = field(default_factory=lambda: (_Stream(), _Stream()))
    # interface each direction was first seen on (live capture; 0 = unknown)
    ifaces: list[int] = field(default_factory=lambda: [0, 0])


class FlowTable:
    """Tracks TCP connections and feeds each one's consumer."""

    def __init__(
        self, factory: ConsumerFactory, limits: InterceptorLimits, counters: Counters
    ) -> None:
        self._factory = factory
        self._limits = limits
        self._counters = counters
        self._flows: OrderedDict[_Key, _Flow] = OrderedDict()
        self._buffered = 0
        self._last_expire = 0

    def __len__(self) -> int:
        return len(self._flows)

    @property
    def buffered_bytes(self) -> int:
        return self._buffered

    def process(self, seg: TcpSegment) -> None:
        """Account one segment to its connection (creating or ending it as needed)."""
        src, dst = (seg.src_ip, seg.src_port), (seg.dst_ip, seg.dst_port)
        key = (src, dst) if src <= dst else (dst, src)
        flow = self._flows.get(key)
        if flow is not None and not seg.flags & _CONTROL and self._established(flow, key, src, seg):
            return
        syn_only = seg.flags & (TCP_SYN | TCP_ACK) == TCP_SYN
        if flow is not None and syn_only and flow.streams[0].next_abs + flow.streams[1].next_abs:
            self._end(key, flow, seg.ts_ns, "reused")  # a new connection on the same ports
            flow = None
        if flow is None:
            flow = self._open(key, seg, src, dst)
            if flow is None:
                return
        else:
            self._flows.move_to_end(key)
        flow.last_ts = seg.ts_ns
        d = CLIENT_TO_SERVER if src == flow.client_key else SERVER_TO_CLIENT
        if seg.iface:
            seen = flow.ifaces[d]
            if not seen:
                flow.ifaces[d] = seg.iface
            elif seen != seg.iface:
                # pod-to-pod traffic on one node crosses two veths: report it once
                self._counters.inc("duplicate_interface_packets")
                return
        stream = flow.streams[d]
        if seg.flags & TCP_SYN:
            stream.next_wire = (seg.seq + 1) & _MASK
        elif stream.next_wire is None and (seg.payload or seg.flags & TCP_FIN):
            stream.next_wire = seg.seq
        if seg.flags & TCP_ACK:
            self._check_ack(flow, 1 - d, seg.ack, seg.ts_ns)
        if seg.payload and not seg.flags & TCP_SYN:
            self._add(flow, d, seg.seq, seg.payload, seg.ts_ns)
        if seg.flags & TCP_FIN and stream.next_wire is not None:
            diff = _signed(seg.seq + len(seg.payload) - stream.next_wire)
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

    def _established(self, flow: _Flow, key: _Key, src: tuple[str, int], seg: TcpSegment) -> bool:
        """The common case on one call: an in-order segment or a bare ACK of a known flow.

        Returns False (nothing done) when the segment needs the general path.
        """
        d = CLIENT_TO_SERVER if src == flow.client_key else SERVER_TO_CLIENT
        stream = flow.streams[d]
        payload = seg.payload
        if seg.iface and flow.ifaces[d] != seg.iface:
            return False
        if payload and (
            stream.next_wire != seg.seq or stream.pending or stream.fin_abs is not None
        ):
            return False
        if not payload and stream.next_wire is None:
            return False
        self._flows.move_to_end(key)
        ts = seg.ts_ns
        flow.last_ts = ts
        if seg.flags & TCP_ACK and flow.streams[1 - d].pending:
            self._check_ack(flow, 1 - d, seg.ack, ts)
        if payload:
            size = len(payload)
            stream.next_abs += size
            stream.next_wire = (seg.seq + size) & _MASK
            flow.consumer.on_data(d, payload, ts)
        if ts - self._last_expire >= _EXPIRE_EVERY_NS:
            self.expire(ts)
        return True

    def expire(self, now_ns: int) -> None:
        """End connections idle for longer than the idle timeout."""
        self._last_expire = now_ns
        limit = now_ns - int(self._limits.idletimeout * 1e9)
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
        self, key: _Key, seg: TcpSegment, src: tuple[str, int], dst: tuple[str, int]
    ) -> _Flow | None:
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
        flow = _Flow(info, self._factory(info), seg.ts_ns, client)
        self._flows[key] = flow
        self._counters.inc("flows_opened")
        if midstream:
            self._counters.inc("flows_midstream")
        return flow

    def _add(self, flow: _Flow, d: int, seq: int, payload: bytes, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        if st.finished:
            return
        start = st.next_abs + _signed(seq - st.next_wire)
        end = start + len(payload)
        if end <= st.next_abs:
            self._counters.inc("tcp_retransmitted")
            return
        if start < st.next_abs:
            self._counters.inc("tcp_overlap_bytes", st.next_abs - start)
            payload = payload[st.next_abs - start :]
            start = st.next_abs
        if start == st.next_abs:
            self._deliver(flow, d, payload, ts)
            self._drain(flow, d, ts)
            return
        self._counters.inc("tcp_out_of_order")
        known = st.pending.get(start)
        if known is not None and len(known) >= len(payload):
            self._counters.inc("tcp_retransmitted")
            return
        grow = len(payload) - (len(known) if known is not None else 0)
        if self._buffered + grow > self._limits.globalbuffer:
            self._counters.inc("global_buffer_drops")
            return
        st.pending[start] = payload
        st.pending_bytes += grow
        self._buffered += grow
        if st.pending_bytes > self._limits.flowbuffer:
            self._counters.inc("flow_buffer_cap_hits")
            self._skip_to_pending(flow, d, ts)

    def _deliver(self, flow: _Flow, d: int, data: bytes, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        st.next_abs += len(data)
        st.next_wire = (st.next_wire + len(data)) & _MASK
        flow.consumer.on_data(d, data, ts)
        self._check_fin(flow, d, ts)

    def _drain(self, flow: _Flow, d: int, ts: int) -> None:
        st = flow.streams[d]
        while st.pending:
            start = min(st.pending)
            if start > st.next_abs:
                return
            data = self._pop(st, start)
            end = start + len(data)
            if end <= st.next_abs:
                self._counters.inc("tcp_retransmitted")
                continue
            if start < st.next_abs:
                self._counters.inc("tcp_overlap_bytes", st.next_abs - start)
                data = data[st.next_abs - start :]
            self._deliver(flow, d, data, ts)

    def _pop(self, st: _Stream, start: int) -> bytes:
        data = st.pending.pop(start)
        st.pending_bytes -= len(data)
        self._buffered -= len(data)
        return data

    def _gap(self, flow: _Flow, d: int, size: int, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        self._counters.inc("tcp_gaps")
        self._counters.inc("tcp_gap_bytes", size)
        st.next_abs += size
        st.next_wire = (st.next_wire + size) & _MASK
        flow.consumer.on_gap(d, size, ts)

    def _skip_to_pending(self, flow: _Flow, d: int, ts: int, upto: int | None = None) -> None:
        st = flow.streams[d]
        target = min(st.pending)
        if upto is not None:
            target = min(target, upto)
        if target > st.next_abs:
            self._gap(flow, d, target - st.next_abs, ts)
        self._drain(flow, d, ts)

    def _check_ack(self, flow: _Flow, d: int, ack: int, ts: int) -> None:
        """The peer acknowledged bytes of direction d we never saw: they are lost to us."""
        st = flow.streams[d]
        if st.next_wire is None or not st.pending:
            return
        ahead = _signed(ack - st.next_wire)
        if ahead > 0:
            self._skip_to_pending(flow, d, ts, upto=st.next_abs + ahead)

    def _check_fin(self, flow: _Flow, d: int, ts: int) -> None:
        st = flow.streams[d]
        if not st.finished and st.fin_abs is not None and st.next_abs >= st.fin_abs:
            st.finished = True
            flow.consumer.on_fin(d, ts)

    def _end(self, key: _Key, flow: _Flow, ts: int, reason: str) -> None:
        del self._flows[key]
        for d in (CLIENT_TO_SERVER, SERVER_TO_CLIENT):
            st = flow.streams[d]
            while st.pending:
                self._skip_to_pending(flow, d, ts)
            if st.fin_abs is not None and st.fin_abs > st.next_abs and not st.finished:
                self._gap(flow, d, st.fin_abs - st.next_abs, ts)
                self._check_fin(flow, d, ts)
        flow.consumer.on_end(ts, reason)
