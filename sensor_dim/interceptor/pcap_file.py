"""Classic pcap files read in blocks, record headers read in place: the offline capture's hot
path.

`ClassicPcapReader` hands out frames in batches and is closed explicitly (compiled code does
not run a generator's clean-up when it is dropped unfinished, so the reader is a class and
`capture.read_capture`, plain Python, keeps the generator and its `finally`). `RawFrame` is
the frame every source produces; `CaptureError` what a source raises.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO, Final

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.wire_numbers import be32, le32

PCAP_MAGICS: Final = frozenset(
    {b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"}
)
_LITTLE_ENDIAN: Final = frozenset({b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"})
_NANOSECONDS: Final = frozenset({b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"})
MAX_RECORD: Final = 0xFFFF  # scapy's read size per record
# read size: below malloc's mmap threshold, so the buffers reuse memory instead of taking
# fresh pages from the kernel for every block (a 1 MiB block cost a page fault per 4 KiB)
_READ_CHUNK: Final = 64 * 1024


class CaptureError(Exception):
    """A capture file cannot be read (further). Names the file and the problem, no content."""


class RawFrame:
    """One captured frame: capture time in ns, link type, the frame's bytes, and for live
    capture the index of the interface it was read on (0 offline)."""

    __slots__ = ("data", "iface", "linktype", "ts_ns")

    def __init__(self, ts_ns: int, linktype: int, data: bytes, iface: int = 0) -> None:
        self.ts_ns = ts_ns
        self.linktype = linktype
        self.data = data
        self.iface = iface


class ClassicPcapReader:
    """The records of one classic pcap file (any byte order, micro- or nanosecond stamps).

    Frames and bytes are counted (`packets`, `bytes`) as each block is used up.
    """

    def __init__(self, path: Path, counters: Counters) -> None:
        self._path = path
        self._values = counters.values
        self._fh: BinaryIO = path.open("rb")
        header = self._fh.read(24)
        magic = header[:4]
        if len(header) < 24 or magic not in PCAP_MAGICS:
            self._fh.close()
            raise CaptureError(f"{path}: invalid capture file header (too short)")
        endian = "<" if magic in _LITTLE_ENDIAN else ">"
        self._little = magic in _LITTLE_ENDIAN
        self._nano = magic in _NANOSECONDS
        snaplen: int
        linktype: int
        snaplen, linktype = struct.unpack(endian + "II", header[16:24])
        self.linktype = linktype
        self._limit = max(snaplen, MAX_RECORD, 262_144)
        self._buf = b""
        self._pos = 0
        self._eof = False
        self._count = 0  # records read
        self._counted = 0  # of them added to the counters
        self._bytes = 0  # bytes read, not yet added to the counters

    def close(self) -> None:
        self._flush()
        self._fh.close()

    def _flush(self) -> None:
        values = self._values
        values["packets"] += self._count - self._counted
        values["bytes"] += self._bytes
        self._counted, self._bytes = self._count, 0

    def read(self, budget: int) -> list[RawFrame]:
        """Up to `budget` frames in file order; an empty list at the end of the file.

        Raises CaptureError on a corrupt or truncated record (frames before it were given).
        """
        frames: list[RawFrame] = []
        buf, pos = self._buf, self._pos
        size = len(buf)
        little = self._little
        limit, nano, linktype = self._limit, self._nano, self.linktype
        count = self._count
        nbytes = self._bytes
        while len(frames) < budget:
            if size - pos >= 16:
                # record header: seconds, fraction, captured length, original length
                caplen = le32(buf, pos + 8) if little else be32(buf, pos + 8)
                if caplen > limit:
                    self._pos, self._count, self._bytes = pos, count, nbytes
                    raise CaptureError(
                        f"{self._path}: corrupt record after {count} packets (length)"
                    )
                end = pos + 16 + caplen
                if end <= size:
                    if little:
                        sec, frac = le32(buf, pos), le32(buf, pos + 4)
                    else:
                        sec, frac = be32(buf, pos), be32(buf, pos + 4)
                    ts_ns = sec * 1_000_000_000 + (frac if nano else frac * 1000)
                    data = buf[pos + 16 : end]
                    pos = end
                    count += 1
                    nbytes += caplen
                    frames.append(RawFrame(ts_ns, linktype, data))
                    continue
            # the next record is not whole in the buffer: read on (only its bytes are copied)
            self._count, self._bytes = count, nbytes
            self._flush()
            nbytes = 0
            if self._eof:
                if pos < size:
                    self._pos = pos
                    raise CaptureError(
                        f"{self._path}: last record truncated after {count} complete packets"
                    )
                break
            more = self._fh.read(_READ_CHUNK)
            self._eof = not more
            buf = buf[pos:] + more
            pos, size = 0, len(buf)
        self._buf, self._pos, self._count, self._bytes = buf, pos, count, nbytes
        return frames
