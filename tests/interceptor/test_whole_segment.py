"""The parser's one-segment fast path against its general path: same events, same counters.

A message that arrives as exactly one segment (or a head segment followed by body segments)
is read without buffering; the same bytes cut at every few bytes take the general path.
Whatever the bytes (well-formed, mutated, pipelined), both must produce the same events and
counters.
"""

from __future__ import annotations

import random

import pytest

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1 import Http1Parser
from sensor_dim.interceptor.http1_events import (
    Anomaly,
    Event,
    HeadParsed,
    MessageComplete,
    ParsingStopped,
)
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.test_fuzz import SEEDS, mutate

LIMITS = InterceptorLimits(messagecap=4096, headercap=1024, decompressioncap=4096)


def _request(rng: random.Random, n: int) -> bytes:
    body = b'{"n": %d, "pad": "%s"}' % (n, b"x" * rng.randrange(0, 6000))
    headers = b"Host: h\r\nContent-Type: application/json\r\n"
    if rng.random() < 0.2:
        headers += b"X-Empty:\r\nX-Spaces: \t a b \t\r\n"
    return b"POST /r/%d HTTP/1.1\r\n%sContent-Length: %d\r\n\r\n%s" % (n, headers, len(body), body)


def _response(rng: random.Random, n: int) -> bytes:
    if rng.random() < 0.2:
        return b"HTTP/1.1 204 No Content\r\nX-N: %d\r\n\r\n" % n
    body = b'{"n": %d, "pad": "%s"}' % (n, b"y" * rng.randrange(0, 3000))
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
        len(body),
        body,
    )


def _describe(event: Event) -> tuple[object, ...]:
    if isinstance(event, HeadParsed):
        head = event.head
        return ("head", head.method, head.target, head.status, tuple(head.headers))
    if isinstance(event, MessageComplete):
        m = event.message
        return ("message", m.body, m.wire_length, tuple(sorted(m.flags)), m.first_ts_ns)
    if isinstance(event, Anomaly):
        return ("anomaly", event.name)
    assert isinstance(event, ParsingStopped)
    return ("stopped", event.reason)


Outcome = tuple[list[tuple[object, ...]], dict[str, int]]


def _run(is_request: bool, segments: list[bytes]) -> Outcome:
    counters = Counters()
    parser = Http1Parser(is_request, LIMITS, counters)
    events: list[Event] = []
    for segment in segments:
        if not is_request:
            parser.expect_response_to("GET")
        events.extend(parser.feed(segment, 7))
    events.extend(parser.finish(7))
    # described at the end: a head event's head gains the trailer fields of its message
    return [_describe(e) for e in events], counters.snapshot()


def _cut(data: bytes, step: int) -> list[bytes]:
    return [data[i : i + step] for i in range(0, len(data), step)]


def _segments_of(messages: list[bytes], rng: random.Random) -> list[bytes]:
    """Each message as one segment, or as a head-and-some-body segment plus MSS-sized rest."""
    out: list[bytes] = []
    for message in messages:
        if rng.random() < 0.5:
            out.append(message)
        else:
            out.extend(_cut(message, 1448))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_well_formed_messages_read_the_same_in_whole_segments_and_in_pieces(seed: int) -> None:
    rng = random.Random(seed)
    for is_request, make in ((True, _request), (False, _response)):
        messages = [make(rng, n) for n in range(25)]
        whole = _run(is_request, _segments_of(messages, rng))
        pieces = _run(is_request, _cut(b"".join(messages), rng.choice((1, 5, 13, 97))))
        assert whole == pieces
        assert whole[1]["http_requests" if is_request else "http_responses"] == 25


@pytest.mark.parametrize("seed", range(4))
def test_mutated_messages_read_the_same_in_whole_segments_and_in_pieces(seed: int) -> None:
    rng = random.Random(1000 + seed)
    for _ in range(150):
        message = mutate(rng, rng.choice(SEEDS))
        for is_request in (True, False):
            assert _run(is_request, [message]) == _run(is_request, _cut(message, 3))
