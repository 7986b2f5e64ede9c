from __future__ import annotations

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.connection import HttpConnection
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, Endpoint
from sensor_dim.interceptor.pair_wire import flag_name
from sensor_dim.interceptor.pipeline import decoded
from sensor_dim.interceptor.settings import InterceptorLimits

CLIENT, SERVER = Endpoint("10.0.0.1", 40000), Endpoint("10.0.0.2", 8080)


def connection(
    midstream: bool = False, **limits: int
) -> tuple[HttpConnection, list[pair_pb2.HttpPair], Counters]:
    pairs: list[pair_pb2.HttpPair] = []
    counters = Counters()
    conn = HttpConnection(
        ConnectionInfo(CLIENT, SERVER, midstream),
        limits=InterceptorLimits(**limits),
        counters=counters,
        sink=decoded(pairs.append),
        node="node-a",
    )
    return conn, pairs, counters


def request(path: str, body: bytes = b"", extra: str = "") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: svc\r\nContent-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def response(status: int, body: bytes = b"") -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def test_pipelined_requests_pair_in_order() -> None:
    conn, pairs, counters = connection()
    conn.on_data(0, request("/a", b"1") + request("/b", b"22") + request("/c", b"333"), 10)
    conn.on_data(1, response(201, b'{"a":1}') + response(202), 20)
    conn.on_data(1, response(203, b"[]"), 30)
    conn.on_end(40, "fin")
    assert [(p.request.target, p.response.status) for p in pairs] == [
        ("/a", 201),
        ("/b", 202),
        ("/c", 203),
    ]
    first = pairs[0]
    assert (first.source.ip, first.source.port, first.destination.port) == ("10.0.0.1", 40000, 8080)
    assert first.request.message.body == b"1"
    assert first.response.message.body == b'{"a":1}'
    assert first.node == "node-a"
    assert first.unix_nanos == 10
    assert counters["pairs"] == 3


def test_a_pair_leaves_as_the_whole_message_serialized_at_once() -> None:
    sent: list[tuple[bytes, bytes]] = []
    conn = HttpConnection(
        ConnectionInfo(CLIENT, SERVER, False),
        limits=InterceptorLimits(),
        counters=Counters(),
        sink=lambda key, value: sent.append((key, value)),
        node="node-a",
    )
    conn.on_data(0, request("/a", b'{"a":1}', extra="X-Trace: 1\r\n"), 10)
    conn.on_data(1, response(201, b"{}"), 20)
    conn.on_data(0, request("/b"), 30)
    conn.on_end(40, "fin")  # the second is unanswered
    assert len(sent) == 2
    for key, value in sent:
        assert key == b"10.0.0.2:8080"
        pair = pair_pb2.HttpPair.FromString(value)
        assert (pair.source.ip, pair.destination.ip) == ("10.0.0.1", "10.0.0.2")
        # the addresses made once per connection come first, as fields 1 and 2 would
        assert pair.SerializeToString() == value
        assert pair.SerializeToString(deterministic=True) == value


def test_unmatched_response_counted_and_unanswered_request_emitted() -> None:
    conn, pairs, counters = connection()
    conn.on_data(1, response(200, b"{}"), 1)
    conn.on_data(0, request("/late", b"{}"), 2)
    conn.on_end(3, "idle")
    assert counters["responses_unmatched"] == 1
    (pair,) = pairs
    assert pair.unanswered
    assert not pair.HasField("response")
    assert counters["pairs_unanswered"] == 1


def test_100_continue_does_not_take_the_request() -> None:
    conn, pairs, counters = connection()
    head = (
        b"POST /upload HTTP/1.1\r\nExpect: 100-continue\r\n"
        b"Content-Type: application/json\r\nContent-Length: 7\r\n\r\n"
    )
    conn.on_data(0, head, 1)
    conn.on_data(1, b"HTTP/1.1 100 Continue\r\n\r\n", 2)
    conn.on_data(0, b'{"x":1}', 3)
    conn.on_data(1, response(201, b"{}"), 4)
    conn.on_end(5, "fin")
    (pair,) = pairs
    assert pair.response.status == 201
    assert pair.request.message.body == b'{"x":1}'
    assert counters["http_informational"] == 1


def test_pending_request_cap() -> None:
    conn, pairs, counters = connection(pendingrequests=2)
    conn.on_data(0, b"".join(request(f"/{i}") for i in range(5)), 1)
    assert counters["pairs_pending_overflow"] == 3
    assert [p.request.target for p in pairs] == ["/0", "/1", "/2"]
    assert all(p.unanswered for p in pairs)


def test_midstream_roles_come_from_content() -> None:
    conn, pairs, _ = connection(midstream=True)
    # the flow table guessed wrong: its "client" direction carries responses
    conn.on_data(1, request("/x", b"{}"), 1)
    conn.on_data(0, response(200, b"{}"), 2)
    conn.on_end(3, "eof")
    (pair,) = pairs
    assert (pair.source.ip, pair.destination.ip) == ("10.0.0.2", "10.0.0.1")


def test_tls_and_http2_are_recognised_and_not_parsed() -> None:
    for preface, counter in (
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "connections_tls"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "connections_http2"),
    ):
        conn, pairs, counters = connection()
        conn.on_data(0, preface, 1)
        conn.on_data(1, response(200, b"{}"), 2)
        conn.on_end(3, "fin")
        assert counters[counter] == 1  # type: ignore[index]
        assert pairs == []


def test_flags_reach_the_pair() -> None:
    conn, pairs, _ = connection(messagecap=1024)
    conn.on_data(0, request("/big", b"x" * 2000), 1)
    conn.on_data(1, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 2)
    conn.on_end(3, "rst")
    (pair,) = pairs
    assert [flag_name(f) for f in pair.request.message.flags] == ["truncated"]
    assert [flag_name(f) for f in pair.response.message.flags] == ["incomplete"]
