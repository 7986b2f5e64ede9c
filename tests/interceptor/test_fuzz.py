"""Random and mutated input for the frame decoder, the HTTP/1.x parser and the flow table.

Seeded, so a failure reproduces. Properties: no exception escapes, memory stays within the
configured caps, every body respects the message cap.
"""

from __future__ import annotations

import gzip
import random

import pytest

from sensor_dim.interceptor.connection import HttpConnection
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, FlowTable
from sensor_dim.interceptor.frames import LINKTYPE_ETHERNET, TcpSegment, decode_frame
from sensor_dim.interceptor.http1 import Http1Parser
from sensor_dim.interceptor.http1_events import MessageComplete
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.packets import ether, ipv4, ipv6, tcp

LIMITS = InterceptorLimits(messagecap=4096, headercap=1024, decompressioncap=4096)
BODY = b'{"name": "x", "items": [1, 2, 3]}'
SEEDS = [
    b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY,
    b"GET /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 40\r\n\r\n"
    + gzip.compress(b"{" + b'"a": 1,' * 2000 + b'"b": 2}')[:40],
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 101 Up\r\n\r\nxx",
    b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
    b"POST /d HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randrange(1, 8)):
        op = rng.randrange(5)
        pos = rng.randrange(len(out) + 1)
        if op == 0 and out:
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif op == 1:
            out[pos:pos] = rng.choice([b"\r\n", b"\n", b":", b" ", b"0", b"chunked", b"\x00"])
        elif op == 2:
            del out[pos : pos + rng.randrange(1, 16)]
        elif op == 3:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        else:
            out = out[:pos]
    return bytes(out)


@pytest.mark.parametrize("seed", range(6))
def test_parser_survives_mutated_messages(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        data = mutate(rng, b"".join(rng.choice(SEEDS) for _ in range(rng.randrange(1, 4))))
        for is_request in (True, False):
            parser = Http1Parser(is_request, LIMITS, Counters())
            if not is_request:
                parser.expect_response_to(rng.choice(["GET", "HEAD", "CONNECT", "POST"]))
            events = []
            pos = 0
            while pos < len(data):
                step = rng.randrange(1, 200)
                if rng.random() < 0.05:
                    events += parser.gap(rng.randrange(1, 500), pos)
                events += parser.feed(data[pos : pos + step], pos)
                assert parser.buffered <= 2 * (LIMITS.headercap + LIMITS.messagecap)
                pos += step
            events += parser.finish(pos)
            for event in events:
                if isinstance(event, MessageComplete):
                    assert len(event.message.body) <= LIMITS.messagecap


def test_parser_memory_is_bounded_on_endless_input() -> None:
    for is_request in (True, False):
        for junk in (b"A" * 4096, b"GET /" + b"x" * 4096, b"\n" * 4096):
            parser = Http1Parser(is_request, LIMITS, Counters())
            for _ in range(500):  # 2 MB
                parser.feed(junk, 0)
                assert parser.buffered <= LIMITS.headercap + len(junk)


def test_frame_decoder_never_raises_on_damaged_frames() -> None:
    rng = random.Random(11)
    seg = tcp(40000, 8080, 1, 2, 0x18, b"payload")
    frames = [
        ether(ipv4("10.0.0.1", "10.0.0.2", seg)),
        ether(ipv6("fd00::1", "fd00::2", seg, hop_by_hop=True), 0x86DD),
        ether(ipv4("10.0.0.1", "10.0.0.2", seg), vlans=(5, 6)),
    ]
    counters = Counters()
    for _ in range(5000):
        frame = mutate(rng, rng.choice(frames))
        for linktype in (LINKTYPE_ETHERNET, 101, 113, 276, 0, 999):
            decode_frame(linktype, frame, 0, counters)
    assert counters["drop_truncated"] + counters["drop_bad_tcp"] + counters["drop_not_ip"] > 0


def test_flow_table_stays_within_its_caps_under_random_segments() -> None:
    rng = random.Random(5)
    limits = InterceptorLimits(flowbuffer=8192, globalbuffer=32768, maxflows=20)
    counters = Counters()

    def factory(info: ConnectionInfo) -> HttpConnection:
        return HttpConnection(info, limits=limits, counters=counters, sink=lambda key, value: None)

    table = FlowTable(factory, limits, counters)
    base = [rng.randrange(2**32) for _ in range(64)]
    for n in range(30_000):
        port = rng.randrange(64)
        forward = rng.random() < 0.5
        seq = (base[port] + rng.randrange(-2000, 200_000)) & 0xFFFFFFFF
        payload = rng.choice([b"", b"GET / HTTP/1.1\r\n\r\n", b"x" * rng.randrange(1, 1500)])
        flags = rng.choice([0x10, 0x18, 0x02, 0x12, 0x11, 0x04, 0x19])
        src, dst = ("10.0.0.1", 30000 + port), ("10.0.0.2", 80)
        if not forward:
            src, dst = dst, src
        seg = TcpSegment(n * 1000, src[0], dst[0], src[1], dst[1], seq, seq ^ 7, flags, payload)
        table.process(seg)
        assert len(table) <= limits.maxflows
        assert table.buffered_bytes <= limits.globalbuffer
    table.close_all(30_000_000)
    assert table.buffered_bytes == 0
    assert counters["tcp_gaps"] > 0
