"""Traffic between two pods of one node crosses two veths: every pair is reported exactly once.

A frame from the client leaves through the client's veth (A) and then enters the server's
(B); a frame from the server crosses B first, then A. The capture reads each interface's
socket in turns, so the flow table gets the two first-in-first-out sequences merged in any
order the reader's batches make: whole connections of one interface before the other, one
direction's first copy on one interface and the other direction's on the other, the copies
of a SYN after data, copies that arrive after the connection ended.
"""

from __future__ import annotations

import random

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flow_ended import KEEP_NS
from sensor_dim.interceptor.frames import LINKTYPE_ETHERNET
from sensor_dim.interceptor.pipeline import PairPipeline, decoded
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.packets import Conversation

IFACE_A, IFACE_B = 11, 12  # client's veth, server's veth
BODY = b'{"user": {"email": "ann@example.org", "plan": "gold"}, "items": [1, 2, 3]}'


def req(target: str, body: bytes = BODY) -> bytes:
    head = f"POST {target} HTTP/1.1\r\nHost: svc\r\nContent-Type: application/json\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def resp(status: int, body: bytes = BODY) -> bytes:
    head = f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def conversation(targets: list[str], *, close: bool, port: int = 40000) -> list[tuple[int, bytes]]:
    """(direction, frame) of one keep-alive connection carrying one pair per target."""
    conv = Conversation(client=("10.0.0.1", port)).handshake()
    out = [(0, conv.frames[0]), (1, conv.frames[1]), (0, conv.frames[2])]
    for number, target in enumerate(targets):
        out += [(0, frame) for frame in conv.send(0, req(target), mss=60)]
        out.append((1, conv.ack(1)))
        out += [(1, frame) for frame in conv.send(1, resp(200 + number), mss=60)]
        out.append((0, conv.ack(0)))
    if close:
        before = len(conv.frames)
        conv.close()
        out += [(0, conv.frames[before]), (1, conv.frames[before + 1]), (0, conv.frames[-1])]
    return out


def per_interface(frames: list[tuple[int, bytes]]) -> tuple[list[bytes], list[bytes]]:
    """What each veth's socket holds: a lockstep conversation, so both in the same order."""
    in_order = [frame for _direction, frame in frames]
    return in_order, list(in_order)


def merge(a: list[bytes], b: list[bytes], turns: list[int]) -> list[tuple[int, bytes]]:
    """The reader's order: `turns` gives how many frames each turn takes, A first then B."""
    out: list[tuple[int, bytes]] = []
    queues = [(IFACE_A, list(a)), (IFACE_B, list(b))]
    turn = 0
    while queues[0][1] or queues[1][1]:
        iface, queue = queues[turn % 2]
        take = turns[turn % len(turns)] or (1 if turn >= len(turns) else 0)  # always ends
        out += [(iface, frame) for frame in queue[:take]]
        del queue[:take]
        turn += 1
    return out


def run(order: list[tuple[int, bytes]]) -> tuple[list[pair_pb2.HttpPair], Counters]:
    counters = Counters()
    pairs: list[pair_pb2.HttpPair] = []
    pipeline = PairPipeline(InterceptorLimits(), counters, decoded(pairs.append), select=False)
    for number, (iface, frame) in enumerate(order):
        pipeline.frame(LINKTYPE_ETHERNET, frame, 1_700_000_000_000_000_000 + number * 1000, iface)
    pipeline.close()
    return pairs, counters


def seen(pairs: list[pair_pb2.HttpPair]) -> list[tuple[str, int]]:
    return [(p.request.target, p.response.status) for p in pairs]


TARGETS = ["/a", "/b", "/c"]
EXPECTED = [("/a", 200), ("/b", 201), ("/c", 202)]
SCHEDULES = {
    "A then B": [10_000],
    "B then A": [0, 10_000],
    "turns of 1": [1],
    "turns of 3 and 2": [3, 2],
    "turns of 7": [7],
    "A ahead by 5": [5, 1, 1, 1],
}


def assert_once(order: list[tuple[int, bytes]], data_frames: int) -> Counters:
    pairs, counters = run(order)
    assert seen(pairs) == EXPECTED, counters.nonzero()
    assert counters["pairs"] == len(EXPECTED)
    assert counters["responses_unmatched"] == counters["pairs_unanswered"] == 0
    assert counters["tcp_gaps"] == counters["tcp_retransmitted"] == 0
    assert counters["flows_opened"] == 1
    # every frame with bytes was delivered once and its other copy counted
    assert counters["duplicate_interface_packets"] >= data_frames
    return counters


def test_closed_connection_read_in_any_turns_is_reported_once() -> None:
    frames = conversation(TARGETS, close=True)
    data = sum(1 for _d, f in frames if len(f) > 54)
    a, b = per_interface(frames)
    for name, turns in SCHEDULES.items():
        counters = assert_once(merge(a, b, turns), data)
        assert counters["flows_closed"] == 1, name


def test_keep_alive_connection_read_in_any_turns_is_reported_once() -> None:
    frames = conversation(TARGETS, close=False)
    data = sum(1 for _d, f in frames if len(f) > 54)
    a, b = per_interface(frames)
    for turns in SCHEDULES.values():
        assert_once(merge(a, b, turns), data)


def test_random_interleavings_of_the_two_sockets_report_each_pair_once() -> None:
    rng = random.Random(4)
    for close in (True, False):
        frames = conversation(TARGETS, close=close)
        data = sum(1 for _d, f in frames if len(f) > 54)
        a, b = per_interface(frames)
        for _ in range(150):
            turns = [rng.randint(0, 12) for _ in range(rng.randint(1, 6))]
            if not any(turns):
                turns.append(1)
            assert_once(merge(a, b, turns), data)


def test_each_copy_is_counted_once_when_the_second_interface_lags() -> None:
    frames = conversation(TARGETS, close=True)
    a, b = per_interface(frames)
    pairs, counters = run(merge(a, b, [1]))
    assert seen(pairs) == EXPECTED
    # every frame arrives twice: one copy is used, the other counted, none ignored unseen
    assert counters["duplicate_interface_packets"] == len(frames)


def test_a_new_connection_on_the_same_ports_after_the_copies_is_still_seen() -> None:
    first = conversation(["/a"], close=True)
    second = Conversation(isn=(900_000, 700_000)).handshake()
    second.send(0, req("/again"))
    second.send(1, resp(204, b""))
    second.close()
    a, b = per_interface(first)
    order = merge(a, b, [4])
    order += merge(second.frames, second.frames, [2])
    pairs, counters = run(order)
    assert seen(pairs) == [("/a", 200), ("/again", 204)]
    assert counters["flows_opened"] == 2
    assert counters["flows_closed"] == 2


def test_a_retransmission_on_one_interface_is_not_a_duplicate() -> None:
    conv = Conversation().handshake()
    conv.send(0, req("/a"))
    request = conv.frames[-1]
    conv.send(1, resp(200))
    conv.close()
    order = [(IFACE_A, f) for f in conv.frames[:4]] + [(IFACE_A, request)]
    order += [(IFACE_A, f) for f in conv.frames[4:]]
    pairs, counters = run(order)
    assert seen(pairs) == [("/a", 200)]
    assert counters["tcp_retransmitted"] == 1
    assert counters["duplicate_interface_packets"] == 0


def test_ended_connections_are_remembered_within_bounds() -> None:
    limits = InterceptorLimits(maxflows=5)
    counters = Counters()
    pipeline = PairPipeline(limits, counters, lambda key, value: None, select=False)
    ts = 1_700_000_000_000_000_000
    for port in range(40000, 40020):  # 20 short connections, each seen on one interface
        conv = Conversation(client=("10.0.0.1", port)).handshake()
        conv.send(0, req("/a"))
        conv.send(1, resp(200))
        conv.close()
        for frame in conv.frames:
            ts += 1000
            pipeline.frame(LINKTYPE_ETHERNET, frame, ts, IFACE_A)
    ended = pipeline.table._ended
    assert len(ended) == 5  # the oldest were forgotten
    pipeline.expire(ts + KEEP_NS + 1)
    assert len(ended) == 0
    assert counters["flows_closed"] == 20


def test_offline_captures_keep_no_memory_of_ended_connections() -> None:
    frames = conversation(TARGETS, close=True)
    counters = Counters()
    pipeline = PairPipeline(InterceptorLimits(), counters, lambda key, value: None, select=False)
    for number, (_direction, frame) in enumerate(frames):
        pipeline.frame(LINKTYPE_ETHERNET, frame, 1_700_000_000_000_000_000 + number * 1000)
    assert counters["flows_closed"] == 1
    assert len(pipeline.table._ended) == 0
