from __future__ import annotations

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, FlowTable, StreamConsumer
from sensor_dim.interceptor.frames import LINKTYPE_ETHERNET, decode_frame
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.packets import ACK, RST, Conversation


class Recorder(StreamConsumer):
    """Collects what the flow table delivers for one connection."""

    def __init__(self, info: ConnectionInfo) -> None:
        self.info = info
        self.chunks: list[tuple[int, bytes]] = []
        self.gaps: list[tuple[int, int]] = []
        self.fins: list[int] = []
        self.ended: str = ""

    def on_data(self, direction: int, data: bytes, ts_ns: int) -> None:
        self.chunks.append((direction, data))

    def on_gap(self, direction: int, size: int, ts_ns: int) -> None:
        self.gaps.append((direction, size))

    def on_fin(self, direction: int, ts_ns: int) -> None:
        self.fins.append(direction)

    def on_end(self, ts_ns: int, reason: str) -> None:
        self.ended = reason

    def stream(self, direction: int) -> bytes:
        return b"".join(d for k, d in self.chunks if k == direction)


class Harness:
    def __init__(self, **limits: object) -> None:
        self.counters = Counters()
        self.recorders: list[Recorder] = []
        self.table = FlowTable(self._make, InterceptorLimits(**limits), self.counters)  # type: ignore[arg-type]
        self.ts = 1_000_000_000

    def _make(self, info: ConnectionInfo) -> Recorder:
        rec = Recorder(info)
        self.recorders.append(rec)
        return rec

    def feed(self, *frames: bytes, step_ns: int = 1_000_000) -> None:
        for frame in frames:
            self.ts += step_ns
            seg = decode_frame(LINKTYPE_ETHERNET, frame, self.ts, self.counters)
            assert seg is not None
            self.table.process(seg)


DATA = bytes(range(256)) * 20  # 5120 bytes, 6 segments of 1000


def test_in_order_handshake_data_and_fin() -> None:
    h = Harness()
    conv = Conversation().handshake()
    conv.send(0, b"hello")
    conv.send(1, DATA)
    conv.close()
    h.feed(*conv.frames)
    rec = h.recorders[0]
    assert rec.info.client.port == 40000
    assert not rec.info.midstream
    assert rec.stream(0) == b"hello"
    assert rec.stream(1) == DATA
    assert rec.ended == "fin"
    assert sorted(rec.fins) == [0, 1]
    assert len(h.table) == 0
    assert h.counters["flows_closed"] == 1


def test_out_of_order_retransmit_and_overlap_reassemble_exactly() -> None:
    h = Harness()
    conv = Conversation().handshake()
    h.feed(*conv.frames)
    segs = conv.send(1, DATA)
    overlap = Conversation(isn=(0, 0))
    overlap.seq = [conv.seq[0], conv.seq[1] - len(DATA) + 500]
    partly_new = overlap._frame(1, ACK, DATA[500:1500])
    h.feed(segs[0], segs[2], segs[1], segs[1], partly_new, segs[5], segs[3], segs[4])
    rec = h.recorders[0]
    assert rec.stream(1) == DATA
    assert rec.gaps == []
    assert h.counters["tcp_out_of_order"] >= 2
    assert h.counters["tcp_retransmitted"] >= 1
    assert h.table.buffered_bytes == 0


def test_lost_segment_is_a_gap_not_zeros() -> None:
    h = Harness()
    conv = Conversation().handshake()
    h.feed(*conv.frames)
    segs = conv.send(1, DATA)
    h.feed(segs[0], segs[2], segs[3])
    assert h.recorders[0].gaps == []  # still waiting for the hole to fill
    h.feed(conv.ack(0))  # the client acknowledged everything: the hole is lost for good
    rec = h.recorders[0]
    assert rec.gaps == [(1, 1000)]
    assert rec.stream(1) == DATA[:1000] + DATA[2000:4000]
    assert h.counters["tcp_gaps"] == 1
    assert h.counters["tcp_gap_bytes"] == 1000


def test_midstream_pickup_rst_and_remaining_hole_at_end() -> None:
    h = Harness()
    conv = Conversation(isn=(0xFFFFFF00, 77))  # sequence numbers wrap around 2**32
    conv.seq = [0xFFFFFF00, 77]
    segs = conv.send(0, DATA)
    h.feed(segs[0], segs[1], segs[3])
    rst = conv._frame(0, RST | ACK)
    h.feed(rst)
    rec = h.recorders[0]
    assert rec.info.midstream
    assert rec.stream(0) == DATA[:2000] + DATA[3000:4000]
    assert rec.gaps == [(0, 1000)]
    assert rec.ended == "rst"
    assert h.counters["flows_midstream"] == 1


def test_idle_connections_are_evicted() -> None:
    h = Harness(idletimeout="2s")
    conv = Conversation().handshake()
    conv.send(0, b"ping")
    h.feed(*conv.frames)
    other = Conversation(client=("10.9.9.9", 1234)).handshake()
    h.feed(*other.frames, step_ns=3_000_000_000)
    assert h.recorders[0].ended == "idle"
    assert h.counters["flows_evicted_idle"] == 1
    assert len(h.table) == 1


def test_per_flow_buffer_and_table_caps() -> None:
    h = Harness(flowbuffer=4096, maxflows=2)
    conv = Conversation().handshake()
    h.feed(*conv.frames)
    segs = conv.send(1, DATA * 2)
    h.feed(*segs[1:])  # the first segment never comes: the buffer fills up
    rec = h.recorders[0]
    assert h.counters["flow_buffer_cap_hits"] >= 1
    assert rec.gaps[:1] == [(1, 1000)]
    assert h.table.buffered_bytes <= 4096
    for port in (2001, 2002, 2003):
        h.feed(*Conversation(client=("10.7.7.7", port)).handshake().frames)
    assert len(h.table) == 2
    assert h.counters["flows_evicted_full"] == 2
