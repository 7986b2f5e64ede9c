"""Offline packet sources: pcap files parsed with `struct`, pcapng with scapy's raw reader.

A source yields `RawFrame`s (capture time in ns, link type, frame bytes); decoding is
`frames.decode_frame`'s job. Classic pcap files are read in large blocks without scapy (the
common case, and the fastest); pcapng goes through scapy's `RawPcapNgReader`. Live capture is
`live.LiveCapture`.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.pcap_file import (
    PCAP_MAGICS,
    CaptureError,
    ClassicPcapReader,
    RawFrame,
)

PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
BATCH = 256  # frames read at a time from a classic pcap file

__all__ = ["PCAP_MAGICS", "CaptureError", "RawFrame", "read_batches", "read_capture"]


def _open_pcapng(path: Path) -> Any:
    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader

    # scapy reports oddities through its own logger; our errors say what matters
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    # the file is opened here so it is closed when scapy rejects the header (scapy types the
    # argument as a name, but its readers take an open file object too)
    fh = path.open("rb")
    try:
        return RawPcapNgReader(fh)  # type: ignore[arg-type]
    except (Scapy_Exception, EOFError, OSError, ValueError) as exc:
        fh.close()
        raise CaptureError(f"{path}: invalid capture file header ({type(exc).__name__})") from None


def _pcapng_clean_length(path: Path, size: int) -> int:
    """How many leading bytes of a pcapng file form whole, consistent blocks."""
    pos = 0
    endian = "<"
    with path.open("rb") as fh:
        while pos + 12 <= size:
            fh.seek(pos)
            head = fh.read(12)
            if head[:4] == PCAPNG_MAGIC:
                endian = "<" if head[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
            length = struct.unpack(endian + "I", head[4:8])[0]
            if length < 12 or length % 4 or pos + length > size:
                return pos
            fh.seek(pos + length - 4)
            if struct.unpack(endian + "I", fh.read(4))[0] != length:
                return pos
            pos += length
    return pos


def _read_classic(path: Path, counters: Counters) -> Iterator[list[RawFrame]]:
    reader = ClassicPcapReader(path, counters)
    try:
        while frames := reader.read(BATCH):
            yield frames
    finally:  # also when the caller stops early: the file is closed, what was read counted
        reader.close()


def read_capture(path: Path, counters: Counters) -> Iterator[RawFrame]:
    """Every frame of a pcap or pcapng file, in file order. Raises CaptureError."""
    for frames in read_batches(path, counters):
        yield from frames


def read_batches(path: Path, counters: Counters) -> Iterator[list[RawFrame]]:
    """The frames of a pcap or pcapng file in file order, a batch at a time (what
    `PairPipeline.feed` takes). Raises CaptureError."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        size = os.path.getsize(path)
    except OSError as exc:
        raise CaptureError(f"{path}: cannot read ({exc.strerror})") from None
    if magic not in PCAP_MAGICS and magic != PCAPNG_MAGIC:
        raise CaptureError(f"{path}: not a pcap or pcapng file")
    if magic == PCAPNG_MAGIC:
        yield from _read_pcapng(path, size, counters)
    else:
        yield from _read_classic(path, counters)


def _read_pcapng(path: Path, size: int, counters: Counters) -> Iterator[list[RawFrame]]:
    """A pcapng file through scapy's raw reader, a frame at a time."""
    reader = _open_pcapng(path)
    count = 0
    try:
        while True:
            try:
                data, meta = reader._read_packet()
            except EOFError:
                start = _pcapng_clean_length(path, size)
                if start < size:
                    raise CaptureError(
                        f"{path}: truncated or corrupt after {count} packets "
                        f"(at byte {start} of {size})"
                    ) from None
                return
            except Exception as exc:  # scapy raises a variety on corrupt blocks
                raise CaptureError(
                    f"{path}: corrupt record after {count} packets ({type(exc).__name__})"
                ) from None
            units = (meta.tshigh << 32) | meta.tslow
            ts_ns = units * 1_000_000_000 // int(meta.tsresol)
            count += 1
            counters.inc("packets")
            counters.inc("bytes", len(data))
            yield [RawFrame(ts_ns, int(meta.linktype), bytes(data))]
    finally:
        reader.close()
