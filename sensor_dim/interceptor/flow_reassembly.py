"""Per-direction reassembly of a TCP connection: in-order delivery, holes, gaps, FIN.

`StreamReassembler` is the half of `flows.FlowTable` that works on one direction of one
connection: segments ahead of the next expected byte wait (bounded per connection and
globally); retransmissions and overlaps are trimmed; a hole is skipped and reported as a gap
(never zero-filled) when the peer acknowledges past it or a cap is hit.
"""

from __future__ import annotations

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flow_model import SEQ_MASK, Flow, Stream, signed_diff
from sensor_dim.interceptor.settings import InterceptorLimits


class StreamReassembler:
    """Buffers and delivers the bytes of each direction of the flows it is given."""

    def __init__(self, limits: InterceptorLimits, counters: Counters) -> None:
        self._limits = limits
        self._counters = counters
        self._buffered = 0  # bytes waiting out of order, over every flow

    def _add(self, flow: Flow, d: int, seq: int, payload: bytes, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        if st.finished:
            return
        start = st.next_abs + signed_diff(seq - st.next_wire)
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

    def _deliver(self, flow: Flow, d: int, data: bytes, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        st.next_abs += len(data)
        st.next_wire = (st.next_wire + len(data)) & SEQ_MASK
        flow.consumer.on_data(d, data, ts)
        self._check_fin(flow, d, ts)

    def _drain(self, flow: Flow, d: int, ts: int) -> None:
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

    def _pop(self, st: Stream, start: int) -> bytes:
        data = st.pending.pop(start)
        st.pending_bytes -= len(data)
        self._buffered -= len(data)
        return data

    def _gap(self, flow: Flow, d: int, size: int, ts: int) -> None:
        st = flow.streams[d]
        assert st.next_wire is not None
        self._counters.inc("tcp_gaps")
        self._counters.inc("tcp_gap_bytes", size)
        st.next_abs += size
        st.next_wire = (st.next_wire + size) & SEQ_MASK
        flow.consumer.on_gap(d, size, ts)

    def _skip_to_pending(self, flow: Flow, d: int, ts: int, upto: int | None = None) -> None:
        st = flow.streams[d]
        target = min(st.pending)
        if upto is not None:
            target = min(target, upto)
        if target > st.next_abs:
            self._gap(flow, d, target - st.next_abs, ts)
        self._drain(flow, d, ts)

    def _check_ack(self, flow: Flow, d: int, ack: int, ts: int) -> None:
        """The peer acknowledged bytes of direction d we never saw: they are lost to us."""
        st = flow.streams[d]
        if st.next_wire is None or not st.pending:
            return
        ahead = signed_diff(ack - st.next_wire)
        if ahead > 0:
            self._skip_to_pending(flow, d, ts, upto=st.next_abs + ahead)

    def _check_fin(self, flow: Flow, d: int, ts: int) -> None:
        st = flow.streams[d]
        if not st.finished and st.fin_abs is not None and st.next_abs >= st.fin_abs:
            st.finished = True
            flow.consumer.on_fin(d, ts)
