"""The pair encoder writes exactly the bytes upb serializes for the same pair.

The reference below builds each pair as a upb message, field by field, as the interceptor
did before it wrote the wire format itself; random pairs (headers with Latin-1 text, empty
values, bodies whose lengths need one to three varint bytes, every flag, unanswered and
incomplete requests, IPv6 addresses, zero and large numbers) must come out byte for byte
the same, and parse back to the same message.
"""

from __future__ import annotations

import random

import pytest
from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.flow_model import Endpoint
from sensor_dim.interceptor.http1_events import FLAG_COUNTERS, HttpMessage
from sensor_dim.interceptor.http1_head import MessageHead
from sensor_dim.interceptor.pair_wire import addresses, pair_body, varint


def reference_message(
    out: pair_pb2.HttpMessage, head: MessageHead, msg: HttpMessage | None
) -> None:
    for name, value in head.headers:
        out.headers.add(name=name, value=value)
    out.content_type = head.content_type
    if msg is None:
        out.flags.append(pair_pb2.MESSAGE_FLAG_INCOMPLETE)
        return
    out.body = msg.body
    out.body_wire_length = msg.wire_length
    flags = [getattr(pair_pb2, f"MESSAGE_FLAG_{f.upper()}") for f in msg.flags]
    out.flags.extend(sorted(flags))
    out.first_byte_unix_nanos = msg.first_ts_ns
    out.last_byte_unix_nanos = msg.last_ts_ns


def reference_pair(
    client: Endpoint,
    server: Endpoint,
    request: tuple[MessageHead, HttpMessage | None, int],
    response: HttpMessage | None,
    node: str,
) -> pair_pb2.HttpPair:
    head, req_msg, first_ts = request
    pair = pair_pb2.HttpPair(node=node, unix_nanos=first_ts, unanswered=response is None)
    pair.source.ip, pair.source.port = client.ip, client.port
    pair.destination.ip, pair.destination.port = server.ip, server.port
    out = pair.request
    out.method, out.target, out.version = head.method, head.target, head.version
    reference_message(out.message, head, req_msg)
    if req_msg is None:
        out.message.first_byte_unix_nanos = first_ts
    if response is not None:
        answer = pair.response
        rh = response.head
        answer.status, answer.reason, answer.version = rh.status, rh.reason, rh.version
        reference_message(answer.message, rh, response)
    return pair


def random_text(rng: random.Random, longest: int) -> str:
    alphabet = "abcXYZ-_/:;= 09\t" + "".join(map(chr, range(0xA0, 0x100)))
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 5, longest])))


def random_head(rng: random.Random, is_request: bool) -> MessageHead:
    if is_request:
        head = MessageHead(
            True,
            rng.choice(["HTTP/1.1", "HTTP/1.0"]),
            method=rng.choice(["GET", "POST", "PATCH"]),
            target=rng.choice(["/", "/api/v1/users?id=7", "/" + random_text(rng, 300)]),
        )
    else:
        head = MessageHead(
            False,
            "HTTP/1.1",
            status=rng.choice([0, 100, 200, 404, 999]),
            reason=random_text(rng, 20),
        )
    head.headers = [
        (rng.choice(["Host", "Content-Type", "X-Ünïcode", "a"]), random_text(rng, 200))
        for _ in range(rng.choice([0, 1, 3, 12]))
    ]
    head.note_fields()
    return head


def random_message(rng: random.Random, head: MessageHead) -> HttpMessage:
    body = rng.randbytes(rng.choice([0, 1, 127, 128, 300, 20_000]))
    flags = set(rng.sample(sorted(FLAG_COUNTERS), rng.choice([0, 1, 3])))
    stamp = rng.choice([0, 1, 1_733_500_000_123_456_789, 2**63 - 10])
    wire = rng.choice([0, len(body), 2**40])
    return HttpMessage(head, body, wire, flags, stamp, stamp + rng.choice([0, 5]))


def test_random_pairs_are_written_as_upb_serializes_them() -> None:
    rng = random.Random(11)
    for _ in range(600):
        client = Endpoint(rng.choice(["10.0.0.1", "fd00::1:2"]), rng.choice([0, 1, 40000]))
        server = Endpoint(rng.choice(["10.9.8.7", "2001:db8::7"]), rng.choice([80, 65535]))
        request_head = random_head(rng, True)
        request_msg = random_message(rng, request_head) if rng.random() < 0.8 else None
        first_ts = rng.choice([0, 17, 1_733_500_000_000_000_000])
        response = None
        if rng.random() < 0.8:
            response = random_message(rng, random_head(rng, False))
        node = rng.choice(["", "node-a", "nöde"])
        request = (request_head, request_msg, first_ts)
        expected = reference_pair(client, server, request, response, node).SerializeToString()
        written = addresses(client, server) + pair_body(request, response, node)
        assert written == expected
        assert pair_pb2.HttpPair.FromString(written).SerializeToString() == expected


@pytest.mark.parametrize(
    "value", [0, 1, 127, 128, 300, 2**32 - 1, 2**63 - 1, 2**64 - 1, -1, -(2**63)]
)
def test_varints_match_upb(value: int) -> None:
    field = pair_pb2.HttpMessage.DESCRIPTOR.fields_by_name
    if value < 0:
        message = pair_pb2.HttpMessage(first_byte_unix_nanos=value)
        key = field["first_byte_unix_nanos"].number << 3
    else:
        message = pair_pb2.HttpMessage(body_wire_length=value)
        key = field["body_wire_length"].number << 3
    expected = message.SerializeToString()
    assert (bytes((key,)) + varint(value) if value else b"") == expected
