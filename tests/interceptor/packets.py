"""Hand-built frames and capture files for the interceptor tests (independent of the decoder)."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp(sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes = b"") -> bytes:
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def ipv4(src: str, dst: str, l4: bytes, proto: int = 6, frag: int = 0x4000) -> bytes:
    header = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(l4),
        1,
        frag,
        64,
        proto,
        0,
        socket.inet_aton(src),
        socket.inet_aton(dst),
    )
    return header + l4


def ipv6(src: str, dst: str, l4: bytes, hop_by_hop: bool = False) -> bytes:
    ext = b""
    next_header = 6
    if hop_by_hop:
        ext = bytes([6, 0]) + b"\x01\x04\x00\x00\x00\x00"  # next=TCP, len 0 (8 bytes), PadN
        next_header = 0
    header = struct.pack(
        "!IHBB16s16s",
        6 << 28,
        len(ext) + len(l4),
        next_header,
        64,
        socket.inet_pton(socket.AF_INET6, src),
        socket.inet_pton(socket.AF_INET6, dst),
    )
    return header + ext + l4


def ether(l3: bytes, ethertype: int = 0x0800, vlans: tuple[int, ...] = ()) -> bytes:
    out = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
    for vid in vlans:
        out += struct.pack("!HH", 0x8100, vid)
    return out + struct.pack("!H", ethertype) + l3


def sll(l3: bytes, ethertype: int = 0x0800) -> bytes:
    return struct.pack("!HHH8sH", 0, 1, 6, b"\x02" * 6 + b"\0\0", ethertype) + l3


def sll2(l3: bytes, ethertype: int = 0x0800) -> bytes:
    return struct.pack("!HHIHBB8s", ethertype, 0, 2, 1, 0, 6, b"\x02" * 6 + b"\0\0") + l3


def write_pcap(path: Path, frames: list[tuple[float, bytes]], linktype: int = 1) -> Path:
    """A classic little-endian microsecond pcap file."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for ts, frame in frames:
        sec = int(ts)
        usec = round((ts - sec) * 1e6)
        out += struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame
    path.write_bytes(out)
    return path


class Conversation:
    """Builds the Ethernet frames of one IPv4 TCP connection, with sequence numbers tracked."""

    def __init__(
        self,
        client: tuple[str, int] = ("10.0.0.1", 40000),
        server: tuple[str, int] = ("10.0.0.2", 8080),
        isn: tuple[int, int] = (1000, 5000),
    ) -> None:
        self.client, self.server = client, server
        self.seq = [isn[0], isn[1]]
        self.frames: list[bytes] = []

    def _frame(self, d: int, flags: int, payload: bytes = b"", seq: int | None = None) -> bytes:
        src, dst = (self.client, self.server) if d == 0 else (self.server, self.client)
        s = self.seq[d] if seq is None else seq
        seg = tcp(src[1], dst[1], s & 0xFFFFFFFF, self.seq[1 - d] & 0xFFFFFFFF, flags, payload)
        return ether(ipv4(src[0], dst[0], seg))

    def handshake(self) -> Conversation:
        self.frames.append(self._frame(0, SYN))
        self.seq[0] += 1
        self.frames.append(self._frame(1, SYN | ACK))
        self.seq[1] += 1
        self.frames.append(self._frame(0, ACK))
        return self

    def send(self, d: int, data: bytes, mss: int = 1000) -> list[bytes]:
        """Frames carrying `data` from direction d (0 = client), returned and recorded."""
        out = []
        for i in range(0, len(data), mss):
            out.append(self._frame(d, PSH | ACK, data[i : i + mss]))
            self.seq[d] += len(data[i : i + mss])
        self.frames.extend(out)
        return out

    def ack(self, d: int) -> bytes:
        frame = self._frame(d, ACK)
        self.frames.append(frame)
        return frame

    def close(self) -> Conversation:
        self.frames.append(self._frame(0, FIN | ACK))
        self.seq[0] += 1
        self.frames.append(self._frame(1, FIN | ACK))
        self.seq[1] += 1
        self.frames.append(self._frame(0, ACK))
        return self

    def pcap(self, path: Path) -> Path:
        return write_pcap(path, [(1_700_000_000 + i * 0.001, f) for i, f in enumerate(self.frames)])
