"""The pipeline's fast path (raw IPv4 address lookup) against the general decoding path.

The same IPv4 conversations are fed once as Ethernet frames (most segments take the fast
path) and once as raw IP packets (every segment is decoded in full): pairs and counters must
be the same, and the fast lookup must forget connections that end.
"""

from __future__ import annotations

import random

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.frames import LINKTYPE_ETHERNET, LINKTYPE_RAW
from sensor_dim.interceptor.pipeline import PairPipeline, decoded
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.packets import Conversation


def exchange(n: int) -> tuple[bytes, bytes]:
    body = b'{"n": %d, "pad": "%s"}' % (n, b"x" * (n * 37 % 3000))
    request = b"POST /items/%d HTTP/1.1\r\nContent-Type: application/json\r\n" % n
    request += b"Content-Length: %d\r\n\r\n" % len(body) + body
    response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    response += b"Content-Length: %d\r\n\r\n" % len(body) + body
    return request, response


def mixed_frames(seed: int) -> list[bytes]:
    """Interleaved conversations: handshakes, mid-stream pickups, reordering, loss, retransmits."""
    rng = random.Random(seed)
    conversations: list[list[bytes]] = []
    for index in range(12):
        conv = Conversation(client=(f"10.0.1.{index + 1}", 40000 + index))
        if index % 3:
            conv.handshake()
        for n in range(3):
            request, response = exchange(index * 10 + n)
            conv.send(0, request, mss=700)
            conv.send(1, response, mss=700)
            conv.ack(0)
        conv.close()
        frames = list(conv.frames)
        if index % 4 == 1:  # reorder two segments
            at = rng.randrange(3, len(frames) - 3)
            frames[at], frames[at + 1] = frames[at + 1], frames[at]
        if index % 4 == 2:  # lose one segment
            del frames[rng.randrange(4, len(frames) - 3)]
        if index % 4 == 3:  # retransmit one segment
            at = rng.randrange(3, len(frames) - 3)
            frames.insert(at + 2, frames[at])
        conversations.append(frames)
    out: list[bytes] = []
    while any(conversations):
        frames = rng.choice([c for c in conversations if c])
        out.append(frames.pop(0))
    return out


def run(frames: list[bytes], linktype: int) -> tuple[list[bytes], dict[str, int], PairPipeline]:
    counters = Counters()
    pairs: list[pair_pb2.HttpPair] = []
    pipeline = PairPipeline(InterceptorLimits(), counters, decoded(pairs.append), select=False)
    for i, frame in enumerate(frames):
        data = frame if linktype == LINKTYPE_ETHERNET else frame[14:]
        pipeline.frame(linktype, data, 1_700_000_000_000_000_000 + i * 1000)
    pipeline.close()
    return [p.SerializeToString() for p in pairs], counters.nonzero(), pipeline


def test_fast_path_gives_the_same_pairs_and_counters_as_full_decoding() -> None:
    for seed in range(4):
        frames = mixed_frames(seed)
        fast_pairs, fast_counters, _ = run(frames, LINKTYPE_ETHERNET)
        full_pairs, full_counters, _ = run(frames, LINKTYPE_RAW)
        assert fast_pairs == full_pairs
        assert fast_counters == full_counters
        assert fast_counters["pairs"] >= 30
        assert fast_counters.get("tcp_gaps", 0) >= 1


def test_fast_lookup_forgets_connections_that_end() -> None:
    frames = mixed_frames(9)
    counters = Counters()
    pipeline = PairPipeline(InterceptorLimits(), counters, lambda key, value: None)
    table = pipeline.table
    most = 0
    for i, frame in enumerate(frames):
        pipeline.frame(LINKTYPE_ETHERNET, frame, i * 1000)
        most = max(most, len(table._by_wire))
        assert len(table._by_wire) <= 2 * len(table)
    assert most > 0
    pipeline.close()
    assert len(table) == 0
    assert table._by_wire == {}
