from __future__ import annotations

import gzip
import zlib

import pytest

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1 import Http1Parser
from sensor_dim.interceptor.http1_events import (
    Anomaly,
    Event,
    HeadParsed,
    HttpMessage,
    MessageComplete,
    ParsingStopped,
)
from sensor_dim.interceptor.settings import InterceptorLimits


def messages(events: list[Event]) -> list[HttpMessage]:
    return [e.message for e in events if isinstance(e, MessageComplete)]


def parse(
    data: bytes, is_request: bool = False, step: int = 0, **limits: int
) -> tuple[list[Event], Counters]:
    """Feed `data` whole or in `step`-byte pieces, then end the direction."""
    counters = Counters()
    parser = Http1Parser(is_request, InterceptorLimits(**limits), counters)
    events: list[Event] = []
    pieces = [data] if not step else [data[i : i + step] for i in range(0, len(data), step)]
    for i, piece in enumerate(pieces):
        events += parser.feed(piece, i)
    events += parser.finish(len(pieces))
    return events, counters


REQ = (
    b"POST /api/users?x=1 HTTP/1.1\r\nHost: users\r\n"
    b"content-TYPE: application/json; charset=utf-8\r\nX-Dup: a\r\nx-dup: b\r\n"
    b'Content-Length: 13\r\n\r\n{"name":"Al"}'
)


@pytest.mark.parametrize("step", [0, 1, 7])
def test_request_with_content_length_in_any_split(step: int) -> None:
    events, counters = parse(REQ, is_request=True, step=step)
    assert isinstance(events[0], HeadParsed)
    (msg,) = messages(events)
    assert (msg.head.method, msg.head.target, msg.head.version) == (
        "POST",
        "/api/users?x=1",
        "HTTP/1.1",
    )
    assert msg.head.content_type == "application/json"
    assert msg.head.values("X-DUP") == ["a", "b"]
    assert msg.body == b'{"name":"Al"}'
    assert msg.flags == set()
    assert counters["http_requests"] == 1


def test_chunked_with_extensions_and_trailers() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
        b'5;ext=1\r\n{"a":\r\n3\r\n 1}\r\n0\r\nX-Checksum: abc\r\n\r\n'
    )
    for step in (0, 1, 4):
        (msg,) = messages(parse(raw, step=step)[0])
        assert msg.body == b'{"a": 1}'
        assert msg.head.first("x-checksum") == "abc"
        assert msg.wire_length == 8


def test_bad_chunk_size_flags_and_stops() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\nhello\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    )
    events, counters = parse(raw)
    (msg,) = messages(events)
    assert "bad_chunking" in msg.flags
    assert any(isinstance(e, ParsingStopped) for e in events)
    assert counters["http_bad_chunking"] == 1


@pytest.mark.parametrize("value", [b"-5", b"12abc", b"99999999999999999999999", b"5, 6", b""])
def test_invalid_content_length_flags_and_stops(value: bytes) -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: " + value + b"\r\n\r\nhello world"
    events, counters = parse(raw)
    (msg,) = messages(events)
    assert "bad_content_length" in msg.flags
    assert msg.body == b""
    assert any(isinstance(e, Anomaly) for e in events)
    assert counters["http_bad_content_length"] == 1


def test_head_204_304_have_no_body_and_pipelining_works() -> None:
    counters = Counters()
    parser = Http1Parser(False, InterceptorLimits(), counters)
    for method in ("HEAD", "GET", "GET", "GET"):
        parser.expect_response_to(method)
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
        b"HTTP/1.1 204 No Content\r\n\r\n"
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    msgs = messages(parser.feed(raw, 1))
    assert [m.head.status for m in msgs] == [200, 204, 304, 200]
    assert [m.body for m in msgs] == [b"", b"", b"", b"ok"]


def test_close_delimited_body_ends_with_the_connection() -> None:
    raw = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + b'{"k": "v"}' * 3
    counters = Counters()
    parser = Http1Parser(False, InterceptorLimits(), counters)
    assert messages(parser.feed(raw, 1)) == []
    (msg,) = messages(parser.finish(2))
    assert msg.body == b'{"k": "v"}' * 3
    assert "incomplete" not in msg.flags


def test_connection_end_inside_a_length_body_is_incomplete() -> None:
    events, counters = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort")
    (msg,) = messages(events)
    assert msg.flags == {"incomplete"}
    assert counters["http_incomplete"] == 1


def test_body_over_the_message_cap_is_cut_and_flagged() -> None:
    body = b"a" * 5000
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
        + body
        + b"HTTP/1.1 204 No Content\r\n\r\n"
    )
    events, _ = parse(raw, step=700, messagecap=1024)
    first, second = messages(events)
    assert first.body == body[:1024]
    assert first.wire_length == 5000
    assert first.flags == {"truncated"}
    assert second.head.status == 204


def test_gzip_and_deflate_are_decoded_and_a_bomb_is_capped() -> None:
    doc = b'{"email": "x"}'
    for coding, encoded in (("gzip", gzip.compress(doc)), ("deflate", zlib.compress(doc))):
        raw = (
            f"HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\n"
            f"Content-Length: {len(encoded)}\r\n\r\n"
        ).encode()
        (msg,) = messages(parse(raw + encoded)[0])
        assert msg.body == doc
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros in ~50 KB
    raw = (
        f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n".encode()
    )
    events, counters = parse(raw + bomb, decompressioncap=64 * 1024)
    (msg,) = messages(events)
    assert len(msg.body) == 64 * 1024
    assert "decompression_capped" in msg.flags
    assert counters["http_decompression_capped"] == 1


def test_corrupt_gzip_is_flagged() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!"
    (msg,) = messages(parse(raw)[0])
    assert "decompression_failed" in msg.flags


def test_oversized_header_section_stops_with_bounded_memory() -> None:
    raw = b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * 10_000
    events, counters = parse(raw, step=1000, headercap=4096)
    assert messages(events) == []
    assert any(isinstance(e, ParsingStopped) and e.reason == "header_too_large" for e in events)
    assert counters["http_header_too_large"] == 1


def test_not_http_and_upgrade_stop_the_parser() -> None:
    events, counters = parse(b"SSH-2.0-OpenSSH_9.6\r\n\r\n", is_request=True)
    assert any(isinstance(e, ParsingStopped) and e.reason == "bad_start_line" for e in events)
    assert counters["http_bad_start_line"] == 1
    raw = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello"
    events, _ = parse(raw)
    assert [m.head.status for m in messages(events)] == [101]
    assert any(isinstance(e, ParsingStopped) and e.reason == "upgrade" for e in events)


def test_gap_inside_a_body_is_flagged_and_parsing_resumes() -> None:
    counters = Counters()
    parser = Http1Parser(False, InterceptorLimits(), counters)
    events = parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", 1)
    events += parser.gap(3, 2)
    events += parser.feed(b"789HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 3)
    first, second = messages(events)
    assert first.flags == {"gap"}
    assert first.body == b"0123789"  # the hole is not filled in
    assert second.body == b"ok"
    events = parser.gap(50, 4)  # a hole between messages: skip to the next status line
    events += parser.feed(b"lost tail\r\nHTTP/1.1 204 No Content\r\n\r\n", 5)
    assert [m.head.status for m in messages(events)] == [204]
    assert counters["http_resyncs"] == 1


def test_obsolete_line_folding_is_joined_and_flagged() -> None:
    raw = b"GET / HTTP/1.1\r\nX-Long: part one\r\n  part two\r\n\r\n"
    (msg,) = messages(parse(raw, is_request=True)[0])
    assert msg.head.first("x-long") == "part one part two"
    assert msg.flags == {"obsolete_folding"}


def test_a_response_parser_remembers_at_most_the_pending_request_methods() -> None:
    # requests whose responses never come (lost, or never sent) do not grow the parser
    parser = Http1Parser(False, InterceptorLimits(pendingrequests=4), Counters())
    parser.expect_response_to("HEAD")
    for _ in range(1000):
        parser.expect_response_to("GET")
    assert len(parser._methods) == 4
    # the oldest went first: this response answers a GET, so its body is read
    events = parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 1)
    assert [m.body for m in messages(events)] == [b"{}"]
