"""The interceptor's pipeline: frames -> flows -> HTTP/1.x -> pairs -> selection -> a sink.

`PairPipeline` is shared by the live service and the offline readers (`iter_pairs`,
`read_pairs`, `dsensor pairs`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.capture import read_batches
from sensor_dim.interceptor.connection import HttpConnection
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, FlowTable
from sensor_dim.interceptor.frames import (
    ADDRESS_TEXT,
    ETHERTYPE_IPV4,
    IPPROTO_TCP,
    LINKTYPE_ETHERNET,
    PLAIN_ACK,
    PLAIN_DATA_OFFSET,
    PLAIN_DST_IP,
    PLAIN_DST_PORT,
    PLAIN_ETHERTYPE,
    PLAIN_FLAGS,
    PLAIN_FRAGMENT,
    PLAIN_IPV4_TCP_SIZE,
    PLAIN_PROTOCOL,
    PLAIN_SEQ,
    PLAIN_SRC_IP,
    PLAIN_SRC_PORT,
    PLAIN_TOTAL_LENGTH,
    PLAIN_VERSION_IHL,
    PLAIN_WIRE_KEY_END,
    PLAIN_WIRE_KEY_START,
    TcpSegment,
    address_text,
    decode_frame,
)
from sensor_dim.interceptor.http1_head import MessageHead
from sensor_dim.interceptor.pairing import PairSink
from sensor_dim.interceptor.pcap_file import RawFrame
from sensor_dim.interceptor.selection import keep_heads
from sensor_dim.interceptor.settings import InterceptorLimits
from sensor_dim.interceptor.uninspected import UninspectedTable
from sensor_dim.interceptor.wire_numbers import be16, be32


class PairPipeline:
    """Feed frames in capture order; selected pairs reach `sink` as they complete."""

    def __init__(
        self,
        limits: InterceptorLimits,
        counters: Counters,
        sink: PairSink,
        *,
        select: bool = True,
        node: str = "",
        uninspected: UninspectedTable | None = None,
    ) -> None:
        self.counters = counters
        self._values = counters.values
        self.uninspected = uninspected if uninspected is not None else UninspectedTable()

        def keep(request: MessageHead, response: MessageHead | None) -> bool:
            # counted either way; without `select` every pair goes on
            return keep_heads(request, response, counters) or not select

        def factory(info: ConnectionInfo) -> HttpConnection:
            return HttpConnection(
                info,
                limits=limits,
                counters=counters,
                sink=sink,
                keep=keep,
                node=node,
                uninspected=self.uninspected,
            )

        self.table = FlowTable(factory, limits, counters)
        self.last_ts = 0
        # segments and payload bytes of the fast path, added to the counters per batch
        self._segments = 0
        self._payload_bytes = 0

    def feed(self, frames: Iterable[RawFrame]) -> int:
        """Feed frames in capture order (a live batch, or a file's frames); returns how many."""
        count = 0
        frame = self.frame
        for raw in frames:
            frame(raw.linktype, raw.data, raw.ts_ns, raw.iface)
            count += 1
        self.flush_counters()
        return count

    def flush_counters(self) -> None:
        """Add what the fast path counted to the counters (`feed`, `expire` and `close` do)."""
        values = self._values
        values["tcp_segments"] += self._segments
        values["tcp_payload_bytes"] += self._payload_bytes
        self._segments = self._payload_bytes = 0

    def frame(self, linktype: int, data: bytes, ts_ns: int, iface: int = 0) -> None:
        if ts_ns > self.last_ts:
            self.last_ts = ts_ns
        if (
            linktype == LINKTYPE_ETHERNET
            and len(data) >= PLAIN_IPV4_TCP_SIZE
            and be16(data, PLAIN_ETHERTYPE) == ETHERTYPE_IPV4
            and data[PLAIN_VERSION_IHL] == 0x45  # without options
            and data[PLAIN_PROTOCOL] == IPPROTO_TCP
            and not be16(data, PLAIN_FRAGMENT) & 0x3FFF  # not a fragment
        ):
            # the common frame: its fields read in place, and a known direction found by its
            # raw address bytes without building objects
            end = 14 + be16(data, PLAIN_TOTAL_LENGTH)
            start = 34 + ((data[PLAIN_DATA_OFFSET] >> 4) << 2)
            if 54 <= start <= end <= len(data):
                payload = data[start:end]
                self._segments += 1
                self._payload_bytes += end - start
                wire_key = data[PLAIN_WIRE_KEY_START:PLAIN_WIRE_KEY_END]
                seq = be32(data, PLAIN_SEQ)
                ack = be32(data, PLAIN_ACK)
                flags = data[PLAIN_FLAGS]
                table = self.table
                if table.fast(wire_key, seq, ack, flags, payload, ts_ns, iface):
                    return
                src = data[PLAIN_SRC_IP:PLAIN_DST_IP]
                dst = data[PLAIN_DST_IP:PLAIN_SRC_PORT]
                texts = ADDRESS_TEXT
                src_ip = texts.get(src) or address_text(src)
                dst_ip = texts.get(dst) or address_text(dst)
                sport = be16(data, PLAIN_SRC_PORT)
                dport = be16(data, PLAIN_DST_PORT)
                segment = TcpSegment(
                    ts_ns, src_ip, dst_ip, sport, dport, seq, ack, flags, payload, iface
                )
                table.process(segment, wire_key)
                return
        decoded = decode_frame(linktype, data, ts_ns, self.counters)
        if decoded is not None:
            decoded.iface = iface
            self.table.process(decoded)

    def expire(self, now_ns: int) -> None:
        """End idle connections (the live service calls it with the wall clock)."""
        self.flush_counters()
        self.table.expire(now_ns)

    def close(self, reason: str = "eof") -> None:
        """End every connection: waiting requests become unanswered pairs."""
        self.flush_counters()
        self.table.close_all(self.last_ts, reason)


def decoded(sink: Callable[[pair_pb2.HttpPair], None]) -> PairSink:
    """A pipeline sink that hands each pair on as a message object (for readers of files)."""

    def parse(key: bytes, value: bytes) -> None:
        sink(pair_pb2.HttpPair.FromString(value))

    return parse


@dataclass(slots=True)
class PairReadResult:
    pairs: list[pair_pb2.HttpPair]
    counters: Counters = field(default_factory=Counters)


def iter_pairs(
    path: Path,
    *,
    settings: InterceptorLimits | None = None,
    counters: Counters | None = None,
    select: bool = True,
    node: str = "",
) -> Iterator[pair_pb2.HttpPair]:
    """Pairs of a pcap/pcapng file as they complete (selected ones unless `select=False`).

    Raises `capture.CaptureError` when the file cannot be read; pairs yielded before stay valid.
    """
    limits = settings if settings is not None else InterceptorLimits()
    stats = counters if counters is not None else Counters()
    ready: list[pair_pb2.HttpPair] = []
    pipeline = PairPipeline(limits, stats, decoded(ready.append), select=select, node=node)
    for frames in read_batches(path, stats):
        pipeline.feed(frames)
        if ready:
            yield from ready
            ready.clear()
    pipeline.close()
    yield from ready


def read_pairs(
    path: Path, *, settings: InterceptorLimits | None = None, select: bool = True
) -> PairReadResult:
    """Every pair of a capture file with the counters of the run. Raises CaptureError."""
    counters = Counters()
    pairs = list(iter_pairs(path, settings=settings, counters=counters, select=select))
    return PairReadResult(pairs, counters)
