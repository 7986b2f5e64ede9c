"""Offline pipeline: capture file -> frames -> flows -> HTTP/1.x -> pairs -> selection."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.capture import read_capture
from sensor_dim.interceptor.connection import HttpConnection
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, FlowTable
from sensor_dim.interceptor.frames import decode_frame
from sensor_dim.interceptor.selection import keep_pair
from sensor_dim.interceptor.settings import InterceptorLimits


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

    def sink(pair: pair_pb2.HttpPair) -> None:
        if keep_pair(pair, stats) or not select:
            ready.append(pair)

    def factory(info: ConnectionInfo) -> HttpConnection:
        return HttpConnection(info, limits=limits, counters=stats, sink=sink, node=node)

    table = FlowTable(factory, limits, stats)
    last_ts = 0
    for frame in read_capture(path, stats):
        last_ts = max(last_ts, frame.ts_ns)
        segment = decode_frame(frame.linktype, frame.data, frame.ts_ns, stats)
        if segment is None:
            continue
        table.process(segment)
        if ready:
            yield from ready
            ready.clear()
    table.close_all(last_ts)
    yield from ready


def read_pairs(
    path: Path, *, settings: InterceptorLimits | None = None, select: bool = True
) -> PairReadResult:
    """Every pair of a capture file with the counters of the run. Raises CaptureError."""
    counters = Counters()
    pairs = list(iter_pairs(path, settings=settings, counters=counters, select=select))
    return PairReadResult(pairs, counters)
