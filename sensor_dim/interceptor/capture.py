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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sensor_dim.interceptor.counters import Counters

PCAP_MAGICS = {
    b"\xa1\xb2\xc3\xd4",
    b"\xd4\xc3\xb2\xa1",
    b"\xa1\xb2\x3c\x4d",
    b"\x4d\x3c\xb2\xa1",
}
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_MAX_RECORD = 0xFFFF  # scapy's read size per record
_READ_CHUNK = 1 << 20


class CaptureError(Exception):
    """A capture file cannot be read (further). Names the file and the problem, no content."""


@dataclass(slots=True)
class RawFrame:
    ts_ns: int
    linktype: int
    data: bytes


def _open_reader(path: Path, magic: bytes) -> Any:
    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader, RawPcapReader

    # scapy reports oddities through its own logger; our errors say what matters
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    # scapy types the argument as a name, but its readers take an open file object too
    cls: Any = RawPcapNgReader if magic == PCAPNG_MAGIC else RawPcapReader
    # the file is opened here so it is closed when scapy rejects the header
    fh = path.open("rb")
    try:
        return cls(fh)
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


def _read_classic(path: Path, magic: bytes, counters: Counters) -> Iterator[RawFrame]:
    """Frames of a classic pcap file, parsed with `struct` from large buffered reads."""
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    nano = magic in (b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1")
    record = struct.Struct(endian + "IIII")
    with path.open("rb") as fh:
        header = fh.read(24)
        if len(header) < 24:
            raise CaptureError(f"{path}: invalid capture file header (too short)")
        snaplen, linktype = struct.unpack(endian + "II", header[16:24])
        limit = max(snaplen, _MAX_RECORD, 262_144)
        values = counters.values
        buf = b""
        pos = count = 0
        while True:
            if len(buf) - pos < 16 + limit:
                more = fh.read(_READ_CHUNK)
                buf = buf[pos:] + more
                pos = 0
            if len(buf) - pos < 16:
                if pos < len(buf):
                    raise CaptureError(
                        f"{path}: last record truncated after {count} complete packets"
                    )
                return
            sec, frac, caplen, _wirelen = record.unpack_from(buf, pos)
            if caplen > limit:
                raise CaptureError(f"{path}: corrupt record after {count} packets (length)")
            end = pos + 16 + caplen
            if end > len(buf):
                raise CaptureError(f"{path}: last record truncated after {count} complete packets")
            data = buf[pos + 16 : end]
            pos = end
            count += 1
            values["packets"] += 1
            values["bytes"] += caplen
            yield RawFrame(sec * 1_000_000_000 + (frac if nano else frac * 1000), linktype, data)


def read_capture(path: Path, counters: Counters) -> Iterator[RawFrame]:
    """Every frame of a pcap or pcapng file, in file order. Raises CaptureError."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        size = os.path.getsize(path)
    except OSError as exc:
        raise CaptureError(f"{path}: cannot read ({exc.strerror})") from None
    if magic not in PCAP_MAGICS and magic != PCAPNG_MAGIC:
        raise CaptureError(f"{path}: not a pcap or pcapng file")
    if magic != PCAPNG_MAGIC:
        yield from _read_classic(path, magic, counters)
        return
    reader = _open_reader(path, magic)
    nano = bool(getattr(reader, "nano", False))
    linktype = int(getattr(reader, "linktype", 0))
    count = 0
    try:
        while True:
            start = reader.f.tell()
            try:
                data, meta = reader._read_packet()
            except EOFError:
                if magic == PCAPNG_MAGIC:
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
            if magic == PCAPNG_MAGIC:
                units = (meta.tshigh << 32) | meta.tslow
                ts_ns = units * 1_000_000_000 // int(meta.tsresol)
                frame_linktype = int(meta.linktype)
            else:
                if len(data) < min(meta.caplen, _MAX_RECORD):
                    raise CaptureError(
                        f"{path}: last record truncated after {count} complete packets"
                    )
                ts_ns = meta.sec * 1_000_000_000 + (meta.usec if nano else meta.usec * 1000)
                frame_linktype = linktype
            count += 1
            counters.inc("packets")
            counters.inc("bytes", len(data))
            yield RawFrame(ts_ns, frame_linktype, bytes(data))
    finally:
        reader.close()
