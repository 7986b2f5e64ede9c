from __future__ import annotations

import random
import struct

import pytest

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.frames import (
    LINKTYPE_ETHERNET,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_RAW,
    TCP_ACK,
    TCP_PSH,
    decode_frame,
)
from sensor_dim.interceptor.wire_numbers import be16, be32, le32
from tests.interceptor.packets import ACK, PSH, ether, ipv4, ipv6, sll, sll2, tcp

SEG = tcp(40000, 8080, 123456, 654321, PSH | ACK, b"GET / HTTP/1.1\r\n\r\n")
V4 = ipv4("10.1.2.3", "10.4.5.6", SEG)


@pytest.mark.parametrize(
    ("linktype", "frame"),
    [
        (LINKTYPE_ETHERNET, ether(V4)),
        (LINKTYPE_ETHERNET, ether(V4, vlans=(10,))),
        (LINKTYPE_ETHERNET, ether(V4, vlans=(10, 20))),
        (LINKTYPE_LINUX_SLL, sll(V4)),
        (LINKTYPE_LINUX_SLL2, sll2(V4)),
        (LINKTYPE_RAW, V4),
    ],
    ids=["ethernet", "vlan", "qinq", "sll", "sll2", "raw"],
)
def test_ipv4_tcp_is_decoded_on_every_link_type(linktype: int, frame: bytes) -> None:
    counters = Counters()
    seg = decode_frame(linktype, frame, 42, counters)
    assert seg is not None
    assert (seg.src_ip, seg.src_port, seg.dst_ip, seg.dst_port) == (
        "10.1.2.3",
        40000,
        "10.4.5.6",
        8080,
    )
    assert (seg.seq, seg.ack, seg.ts_ns) == (123456, 654321, 42)
    assert seg.flags & (TCP_PSH | TCP_ACK) == TCP_PSH | TCP_ACK
    assert seg.payload == b"GET / HTTP/1.1\r\n\r\n"


def test_ethernet_padding_is_not_payload() -> None:
    short = ipv4("10.0.0.1", "10.0.0.2", tcp(1, 2, 0, 0, ACK))
    seg = decode_frame(LINKTYPE_ETHERNET, ether(short) + b"\0" * 6, 0, Counters())
    assert seg is not None
    assert seg.payload == b""


@pytest.mark.parametrize("hop_by_hop", [False, True])
def test_ipv6_with_and_without_extension_header(hop_by_hop: bool) -> None:
    frame = ether(ipv6("fd00::1", "fd00::2", SEG, hop_by_hop), ethertype=0x86DD)
    seg = decode_frame(LINKTYPE_ETHERNET, frame, 0, Counters())
    assert seg is not None
    assert (seg.src_ip, seg.dst_ip) == ("fd00::1", "fd00::2")
    assert seg.payload.startswith(b"GET /")


def test_every_truncation_and_garbage_is_a_counted_drop() -> None:
    counters = Counters()
    frame = ether(V4)
    header_end = len(frame) - len(b"GET / HTTP/1.1\r\n\r\n")
    for cut in range(header_end):
        assert decode_frame(LINKTYPE_ETHERNET, frame[:cut], 0, counters) is None
    for junk in (b"\xff" * 60, bytes(range(256)), b"\x45" * 3):
        for linktype in (LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW):
            decode_frame(linktype, junk, 0, counters)
    drops = sum(v for k, v in counters.snapshot().items() if k.startswith("drop_"))
    assert drops >= header_end
    assert counters["tcp_segments"] == 0


def test_non_first_fragment_dropped_first_kept() -> None:
    counters = Counters()
    first = ether(ipv4("10.0.0.1", "10.0.0.2", SEG, frag=0x2000))
    later = ether(ipv4("10.0.0.1", "10.0.0.2", b"x" * 24, frag=0x0003))
    assert decode_frame(LINKTYPE_ETHERNET, first, 0, counters) is not None
    assert decode_frame(LINKTYPE_ETHERNET, later, 0, counters) is None
    assert counters["ipv4_fragments"] == 2
    assert counters["drop_ipv4_fragment"] == 1


def test_udp_arp_and_unknown_linktype_are_counted() -> None:
    counters = Counters()
    assert (
        decode_frame(
            LINKTYPE_ETHERNET, ether(ipv4("1.1.1.1", "2.2.2.2", b"\0" * 8, proto=17)), 0, counters
        )
        is None
    )
    assert decode_frame(LINKTYPE_ETHERNET, ether(b"\0" * 28, ethertype=0x0806), 0, counters) is None
    assert decode_frame(147, ether(V4), 0, counters) is None
    assert counters["not_tcp"] == 1
    assert counters["drop_not_ip"] == 1
    assert counters["drop_unknown_linktype"] == 1


def test_numbers_read_in_place_match_struct() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        data = rng.randbytes(12)
        at = rng.randrange(0, 8)
        assert be16(data, at) == struct.unpack_from("!H", data, at)[0]
        assert be32(data, at) == struct.unpack_from("!I", data, at)[0]
        assert le32(data, at) == struct.unpack_from("<I", data, at)[0]
    with pytest.raises(IndexError):
        be32(b"\x01\x02\x03", 0)
