"""`dsensor.v1.HttpPair` messages written straight in protobuf's wire format.

The interceptor serializes every pair it keeps; building upb message objects field by field
and serializing them cost about 60,000 instructions a pair (a third of the offline
pipeline), writing the same bytes directly here (compiled) a fraction of that. The field
numbers come from the generated descriptors of pair.proto at import; the bytes are those
upb's `SerializeToString` gives for the same pair (fields in number order, defaults
left out, repeated enums packed), which tests/interceptor/test_pair_wire.py holds it to
on random pairs. A change to the message types of pair.proto fails that test until this
module follows.
"""

from __future__ import annotations

from typing import Any, Final

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.flow_model import Endpoint
from sensor_dim.interceptor.http1_events import FLAG_COUNTERS, HttpMessage
from sensor_dim.interceptor.http1_head import MessageHead

_VARINT: Final = 0
_LENGTH_DELIMITED: Final = 2
# every byte value as a bytes object, for one-byte keys and varints without allocating
_BYTES: Final = [bytes((value,)) for value in range(256)]


def _key(message: Any, field: str, wire_type: int) -> bytes:
    """The key of a field (its number and wire type), one byte: every field number of these
    messages is below 16."""
    number: int = message.DESCRIPTOR.fields_by_name[field].number
    key = number << 3 | wire_type
    if key >= 0x80:
        raise RuntimeError(f"{message.DESCRIPTOR.name}.{field}: key longer than one byte")
    return _BYTES[key]


_ADDRESS_IP: Final = _key(pair_pb2.SocketAddress, "ip", _LENGTH_DELIMITED)
_ADDRESS_PORT: Final = _key(pair_pb2.SocketAddress, "port", _VARINT)
_HEADER_NAME: Final = _key(pair_pb2.Header, "name", _LENGTH_DELIMITED)
_HEADER_VALUE: Final = _key(pair_pb2.Header, "value", _LENGTH_DELIMITED)
_MESSAGE_HEADERS: Final = _key(pair_pb2.HttpMessage, "headers", _LENGTH_DELIMITED)
_MESSAGE_BODY: Final = _key(pair_pb2.HttpMessage, "body", _LENGTH_DELIMITED)
_MESSAGE_WIRE_LENGTH: Final = _key(pair_pb2.HttpMessage, "body_wire_length", _VARINT)
_MESSAGE_CONTENT_TYPE: Final = _key(pair_pb2.HttpMessage, "content_type", _LENGTH_DELIMITED)
_MESSAGE_FLAGS: Final = _key(pair_pb2.HttpMessage, "flags", _LENGTH_DELIMITED)  # packed
_MESSAGE_FIRST_BYTE: Final = _key(pair_pb2.HttpMessage, "first_byte_unix_nanos", _VARINT)
_MESSAGE_LAST_BYTE: Final = _key(pair_pb2.HttpMessage, "last_byte_unix_nanos", _VARINT)
_REQUEST_METHOD: Final = _key(pair_pb2.HttpRequest, "method", _LENGTH_DELIMITED)
_REQUEST_TARGET: Final = _key(pair_pb2.HttpRequest, "target", _LENGTH_DELIMITED)
_REQUEST_VERSION: Final = _key(pair_pb2.HttpRequest, "version", _LENGTH_DELIMITED)
_REQUEST_MESSAGE: Final = _key(pair_pb2.HttpRequest, "message", _LENGTH_DELIMITED)
_RESPONSE_STATUS: Final = _key(pair_pb2.HttpResponse, "status", _VARINT)
_RESPONSE_REASON: Final = _key(pair_pb2.HttpResponse, "reason", _LENGTH_DELIMITED)
_RESPONSE_VERSION: Final = _key(pair_pb2.HttpResponse, "version", _LENGTH_DELIMITED)
_RESPONSE_MESSAGE: Final = _key(pair_pb2.HttpResponse, "message", _LENGTH_DELIMITED)
_PAIR_SOURCE: Final = _key(pair_pb2.HttpPair, "source", _LENGTH_DELIMITED)
_PAIR_DESTINATION: Final = _key(pair_pb2.HttpPair, "destination", _LENGTH_DELIMITED)
_PAIR_REQUEST: Final = _key(pair_pb2.HttpPair, "request", _LENGTH_DELIMITED)
_PAIR_RESPONSE: Final = _key(pair_pb2.HttpPair, "response", _LENGTH_DELIMITED)
_PAIR_NODE: Final = _key(pair_pb2.HttpPair, "node", _LENGTH_DELIMITED)
_PAIR_UNIX_NANOS: Final = _key(pair_pb2.HttpPair, "unix_nanos", _VARINT)
_PAIR_UNANSWERED: Final = _key(pair_pb2.HttpPair, "unanswered", _VARINT)


def flag_name(value: int) -> str:
    """The lower-case name of a pair.proto MessageFlag number ("truncated", "gap", ...)."""
    return str(pair_pb2.MessageFlag.Name(value)).removeprefix("MESSAGE_FLAG_").lower()


# the MessageFlag number of each flag name (every one below 128: one byte packed)
FLAG_NUMBERS: Final[dict[str, int]] = {
    flag_name(value.number): value.number
    for value in pair_pb2.MessageFlag.DESCRIPTOR.values
    if value.number
}
_INCOMPLETE: Final = _BYTES[FLAG_NUMBERS["incomplete"]]
_UNANSWERED: Final = _PAIR_UNANSWERED + _BYTES[1]
if set(FLAG_COUNTERS) - set(FLAG_NUMBERS):
    raise RuntimeError(f"flags missing from pair.proto: {set(FLAG_COUNTERS) - set(FLAG_NUMBERS)}")


def varint(value: int) -> bytes:
    """A varint; a negative value (int64) as its 64-bit two's complement, ten bytes."""
    if 0 <= value < 0x80:
        return _BYTES[value]
    if value < 0:
        value += 1 << 64
    if value < 0x4000:  # lengths
        return b"%b%b" % (_BYTES[value & 0x7F | 0x80], _BYTES[value >> 7])
    if value >> 56 and not value >> 63:  # nine bytes: times in nanoseconds since 1972
        return b"%b%b%b%b%b%b%b%b%b" % (
            _BYTES[value & 0x7F | 0x80],
            _BYTES[value >> 7 & 0x7F | 0x80],
            _BYTES[value >> 14 & 0x7F | 0x80],
            _BYTES[value >> 21 & 0x7F | 0x80],
            _BYTES[value >> 28 & 0x7F | 0x80],
            _BYTES[value >> 35 & 0x7F | 0x80],
            _BYTES[value >> 42 & 0x7F | 0x80],
            _BYTES[value >> 49 & 0x7F | 0x80],
            _BYTES[value >> 56],
        )
    groups: list[int] = []  # other sizes are rare (ports, long bodies, negative numbers)
    while value >= 0x80:
        groups.append(value & 0x7F | 0x80)
        value >>= 7
    groups.append(value)
    return bytes(groups)


def _field(key: bytes, data: bytes) -> bytes:
    """A length-delimited field (a string, bytes, an embedded message, packed numbers)."""
    return b"%b%b%b" % (key, varint(len(data)), data)


def _text(key: bytes, text: str) -> bytes:
    """A string field, nothing when empty (proto3)."""
    return _field(key, text.encode()) if text else b""


def _number(key: bytes, value: int) -> bytes:
    """An integer field, nothing when zero (proto3)."""
    return b"%b%b" % (key, varint(value)) if value else b""


def _stamp(key: bytes, value: int, known: int, known_varint: bytes) -> bytes:
    """A time field; `known_varint` is the varint of `known`, often the same time."""
    if not value:
        return b""
    return b"%b%b" % (key, known_varint if value == known else varint(value))


def addresses(client: Endpoint, server: Endpoint) -> bytes:
    """A pair's source and destination (fields 1 and 2): with `pair_body` after them, the
    bytes of the whole pair. The same for every pair of a connection."""
    source = _text(_ADDRESS_IP, client.ip) + _number(_ADDRESS_PORT, client.port)
    destination = _text(_ADDRESS_IP, server.ip) + _number(_ADDRESS_PORT, server.port)
    return _field(_PAIR_SOURCE, source) + _field(_PAIR_DESTINATION, destination)


def _header(name: str, value: str) -> bytes:
    """One header as a field of its message."""
    if not name or not value:
        return _field(_MESSAGE_HEADERS, _text(_HEADER_NAME, name) + _text(_HEADER_VALUE, value))
    name_bytes, value_bytes = name.encode(), value.encode()
    name_size, value_size = varint(len(name_bytes)), varint(len(value_bytes))
    size = 2 + len(name_size) + len(name_bytes) + len(value_size) + len(value_bytes)
    return b"%b%b%b%b%b%b%b%b" % (
        _MESSAGE_HEADERS,
        varint(size),
        _HEADER_NAME,
        name_size,
        name_bytes,
        _HEADER_VALUE,
        value_size,
        value_bytes,
    )


def _message(head: MessageHead, msg: HttpMessage | None, first_ts: int, first: bytes) -> bytes:
    """An HttpMessage: a complete message, or only the head of a request that never
    completed. `first` is the varint of `first_ts`, the time of the request's first byte."""
    headers = b"".join([_header(name, value) for name, value in head.headers])
    content_type = _text(_MESSAGE_CONTENT_TYPE, head.content_type)
    if msg is None:
        flags = _field(_MESSAGE_FLAGS, _INCOMPLETE)
        stamp = _stamp(_MESSAGE_FIRST_BYTE, first_ts, first_ts, first)
        return b"%b%b%b%b" % (headers, content_type, flags, stamp)
    body = _field(_MESSAGE_BODY, msg.body) if msg.body else b""
    flags = b""
    if msg.flags:
        flags = _field(_MESSAGE_FLAGS, bytes(sorted([FLAG_NUMBERS[f] for f in msg.flags])))
    start, end = msg.first_ts_ns, msg.last_ts_ns
    if start != first_ts:
        first_ts, first = start, varint(start)
    return b"%b%b%b%b%b%b%b" % (
        headers,
        body,
        _number(_MESSAGE_WIRE_LENGTH, msg.wire_length),
        content_type,
        flags,
        _stamp(_MESSAGE_FIRST_BYTE, start, first_ts, first),
        _stamp(_MESSAGE_LAST_BYTE, end, first_ts, first),
    )


def pair_body(
    request: tuple[MessageHead, HttpMessage | None, int],
    response: HttpMessage | None,
    node: str = "",
) -> bytes:
    """A serialized pair without its addresses (`addresses`): the request (head, message if
    it completed, time of its first byte) and the response, None when unanswered."""
    head, req_msg, first_ts = request
    first = varint(first_ts)
    out = b"%b%b%b%b" % (
        _text(_REQUEST_METHOD, head.method),
        _text(_REQUEST_TARGET, head.target),
        _text(_REQUEST_VERSION, head.version),
        _field(_REQUEST_MESSAGE, _message(head, req_msg, first_ts, first)),
    )
    answer = b""
    if response is not None:
        rh = response.head
        answer = b"%b%b%b%b" % (
            _number(_RESPONSE_STATUS, rh.status),
            _text(_RESPONSE_REASON, rh.reason),
            _text(_RESPONSE_VERSION, rh.version),
            _field(_RESPONSE_MESSAGE, _message(rh, response, first_ts, first)),
        )
        answer = _field(_PAIR_RESPONSE, answer)
    return b"%b%b%b%b%b" % (
        _field(_PAIR_REQUEST, out),
        answer,
        _text(_PAIR_NODE, node),
        _stamp(_PAIR_UNIX_NANOS, first_ts, first_ts, first),
        _UNANSWERED if response is None else b"",
    )
