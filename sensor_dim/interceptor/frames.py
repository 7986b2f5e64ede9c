"""Decode raw link-layer frames to TCP segments by hand (struct), without scapy dissection.

Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked capture v1 and v2, raw IP.
Anything malformed or truncated is counted as a drop and returns None; no exception escapes
`decode_frame`.
"""

from __future__ import annotations

import socket
import struct
from typing import Final

from sensor_dim.interceptor.counters import Counters

LINKTYPE_NULL: Final = 0
LINKTYPE_ETHERNET: Final = 1
LINKTYPE_RAW: Final = 101
LINKTYPE_LINUX_SLL: Final = 113
LINKTYPE_IPV4: Final = 228
LINKTYPE_IPV6: Final = 229
LINKTYPE_LINUX_SLL2: Final = 276

ETHERTYPE_IPV4: Final = 0x0800
ETHERTYPE_IPV6: Final = 0x86DD
VLAN_ETHERTYPES: Final = frozenset({0x8100, 0x88A8, 0x9100})
MAX_VLAN_TAGS: Final = 4

IPPROTO_TCP: Final = 6
# IPv6 extension headers walked over: hop-by-hop, routing, destination options
_IPV6_SKIPPABLE: Final = frozenset({0, 43, 60})
_IPV6_AH: Final = 51

TCP_FIN: Final = 0x01
TCP_SYN: Final = 0x02
TCP_RST: Final = 0x04
TCP_PSH: Final = 0x08
TCP_ACK: Final = 0x10

_U16: Final = struct.Struct("!H")
_IPV4: Final = struct.Struct("!BBHHHBBH4s4s")
_IPV6: Final = struct.Struct("!IHBB16s16s")
_TCP: Final = struct.Struct("!HHIIBB")
# The common frame (the pipeline's fast path): Ethernet, IPv4 without options, TCP. Its
# fields are read in place at these offsets (`wire_numbers`): the Ethernet type, IPv4
# version/IHL, total length, fragment field, protocol, source and destination address, then
# TCP ports, sequence and acknowledgement numbers, data offset and flags.
PLAIN_ETHERTYPE: Final = 12
PLAIN_VERSION_IHL: Final = 14
PLAIN_TOTAL_LENGTH: Final = 16
PLAIN_FRAGMENT: Final = 20
PLAIN_PROTOCOL: Final = 23
PLAIN_SRC_IP: Final = 26
PLAIN_DST_IP: Final = 30
PLAIN_SRC_PORT: Final = 34
PLAIN_DST_PORT: Final = 36
PLAIN_SEQ: Final = 38
PLAIN_ACK: Final = 42
PLAIN_DATA_OFFSET: Final = 46
PLAIN_FLAGS: Final = 47
PLAIN_IPV4_TCP_SIZE: Final = 54  # the headers without options
# the raw IPv4 source address, destination address, source and destination port
PLAIN_WIRE_KEY_START: Final = PLAIN_SRC_IP
PLAIN_WIRE_KEY_END: Final = PLAIN_SEQ


class TcpSegment:
    """One TCP segment: addresses as text, sequence numbers as sent, payload bytes.

    `iface` is the index of the interface a live frame was read on (0 offline).
    """

    __slots__ = (
        "ack",
        "dst_ip",
        "dst_port",
        "flags",
        "iface",
        "payload",
        "seq",
        "src_ip",
        "src_port",
        "ts_ns",
    )

    def __init__(
        self,
        ts_ns: int,
        src_ip: str,
        dst_ip: str,
        src_port: int,
        dst_port: int,
        seq: int,
        ack: int,
        flags: int,
        payload: bytes,
        iface: int = 0,
    ) -> None:
        self.ts_ns = ts_ns
        self.src_ip = src_ip
        self.dst_ip = dst_ip
        self.src_port = src_port
        self.dst_port = dst_port
        self.seq = seq
        self.ack = ack
        self.flags = flags
        self.payload = payload
        self.iface = iface


ADDRESS_TEXT: Final[dict[bytes, str]] = {}
_ADDRESS_CACHE_MAX: Final = 65_536


def address_text(raw: bytes) -> str:
    """An IPv4 or IPv6 address as text, from a small cache (a node talks to few addresses)."""
    text = ADDRESS_TEXT.get(raw)
    if text is None:
        if len(ADDRESS_TEXT) >= _ADDRESS_CACHE_MAX:
            ADDRESS_TEXT.clear()
        family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
        text = ADDRESS_TEXT[raw] = socket.inet_ntop(family, raw)
    return text


def decode_frame(linktype: int, frame: bytes, ts_ns: int, counters: Counters) -> TcpSegment | None:
    """The TCP segment in one captured frame, or None (counted) for anything else."""
    try:
        return _decode(linktype, frame, ts_ns, counters)
    except (struct.error, IndexError, ValueError, OSError):
        counters.inc("drop_truncated")
        return None


def _decode(linktype: int, frame: bytes, ts_ns: int, counters: Counters) -> TcpSegment | None:
    if linktype == LINKTYPE_ETHERNET:
        if len(frame) < 14:
            counters.inc("drop_truncated")
            return None
        ethertype = _U16.unpack_from(frame, 12)[0]
        offset = 14
        tags = 0
        while ethertype in VLAN_ETHERTYPES:
            tags += 1
            if tags > MAX_VLAN_TAGS or len(frame) < offset + 4:
                counters.inc("drop_truncated")
                return None
            ethertype = _U16.unpack_from(frame, offset + 2)[0]
            offset += 4
        if tags:
            counters.inc("vlan_tags", tags)
    elif linktype == LINKTYPE_LINUX_SLL:
        if len(frame) < 16:
            counters.inc("drop_truncated")
            return None
        ethertype = _U16.unpack_from(frame, 14)[0]
        offset = 16
    elif linktype == LINKTYPE_LINUX_SLL2:
        if len(frame) < 20:
            counters.inc("drop_truncated")
            return None
        ethertype = _U16.unpack_from(frame, 0)[0]
        offset = 20
    elif linktype in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6, 12, 14):
        if not frame:
            counters.inc("drop_truncated")
            return None
        version = frame[0] >> 4
        ethertype = ETHERTYPE_IPV4 if version == 4 else ETHERTYPE_IPV6 if version == 6 else 0
        offset = 0
    elif linktype == LINKTYPE_NULL:
        if len(frame) < 5:
            counters.inc("drop_truncated")
            return None
        version = frame[4] >> 4
        ethertype = ETHERTYPE_IPV4 if version == 4 else ETHERTYPE_IPV6 if version == 6 else 0
        offset = 4
    else:
        counters.inc("drop_unknown_linktype")
        return None
    if ethertype == ETHERTYPE_IPV4:
        return _ipv4(frame, offset, ts_ns, counters)
    if ethertype == ETHERTYPE_IPV6:
        return _ipv6(frame, offset, ts_ns, counters)
    counters.inc("drop_not_ip")
    return None


def _ipv4(frame: bytes, offset: int, ts_ns: int, counters: Counters) -> TcpSegment | None:
    if len(frame) < offset + 20:
        counters.inc("drop_truncated")
        return None
    ver_ihl, _tos, total, _ident, frag, _ttl, proto, _csum, src, dst = _IPV4.unpack_from(
        frame, offset
    )
    ihl = (ver_ihl & 0x0F) * 4
    if ver_ihl >> 4 != 4 or ihl < 20 or total < ihl:
        counters.inc("drop_bad_ipv4")
        return None
    end = offset + total
    if len(frame) < end:
        counters.inc("drop_truncated")
        return None
    more_fragments = frag & 0x2000
    frag_offset = frag & 0x1FFF
    if more_fragments or frag_offset:
        counters.inc("ipv4_fragments")
        if frag_offset:
            counters.inc("drop_ipv4_fragment")
            return None
    if proto != IPPROTO_TCP:
        counters.inc("not_tcp")
        return None
    return _tcp(frame, offset + ihl, end, address_text(src), address_text(dst), ts_ns, counters)


def _ipv6(frame: bytes, offset: int, ts_ns: int, counters: Counters) -> TcpSegment | None:
    if len(frame) < offset + 40:
        counters.inc("drop_truncated")
        return None
    vtf, payload_len, next_header, _hops, src, dst = _IPV6.unpack_from(frame, offset)
    if vtf >> 28 != 6:
        counters.inc("drop_bad_ipv6")
        return None
    pos = offset + 40
    end = pos + payload_len
    if payload_len == 0 or len(frame) < end:
        # a zero length means a jumbogram; not seen on pod networks
        counters.inc("drop_truncated")
        return None
    while next_header != IPPROTO_TCP:
        if next_header in _IPV6_SKIPPABLE or next_header == _IPV6_AH:
            if end < pos + 8:
                counters.inc("drop_truncated")
                return None
            length = frame[pos + 1]
            size = (length + 2) * 4 if next_header == _IPV6_AH else (length + 1) * 8
            next_header = frame[pos]
            pos += size
            if pos > end:
                counters.inc("drop_truncated")
                return None
        elif next_header in (44, 50, 59):
            counters.inc("drop_ipv6_extension")
            return None
        else:
            counters.inc("not_tcp")
            return None
    return _tcp(frame, pos, end, address_text(src), address_text(dst), ts_ns, counters)


def _tcp(
    frame: bytes, pos: int, end: int, src: str, dst: str, ts_ns: int, counters: Counters
) -> TcpSegment | None:
    if end < pos + 20:
        counters.inc("drop_truncated")
        return None
    sport, dport, seq, ack, data_offset, flags = _TCP.unpack_from(frame, pos)
    header_len = (data_offset >> 4) * 4
    if header_len < 20 or pos + header_len > end:
        counters.inc("drop_bad_tcp")
        return None
    payload = frame[pos + header_len : end]
    values = counters.values
    values["tcp_segments"] += 1
    values["tcp_payload_bytes"] += len(payload)
    return TcpSegment(ts_ns, src, dst, sport, dport, seq, ack, flags, payload)
