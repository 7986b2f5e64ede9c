"""How an HTTP/1.x message body ends (RFC 9112 section 6.3), decided from its head alone.

`choose_framing` looks at the request method, the status, Transfer-Encoding and
Content-Length; the parser then reads the body that way. Invalid framing is a decision too
(`BAD_CHUNKING`, `BAD_LENGTH`): the parser reports it and stops the direction.
"""

from __future__ import annotations

from typing import Final

from sensor_dim.interceptor.http1_head import MessageHead, content_length, list_tokens


class Framing:
    """How a body ends (int constants: compiled code compares them natively)."""

    NONE: Final = 1  # no body: the message is complete with its head
    LENGTH: Final = 2  # Content-Length bytes
    CHUNKED: Final = 3  # chunked transfer coding
    CLOSE: Final = 4  # until the sender closes the connection (responses only)
    BAD_CHUNKING: Final = 5  # a request with a transfer coding that is not chunked last
    BAD_LENGTH: Final = 6  # invalid, conflicting, negative or overflowing Content-Length


class BodyFraming:
    """A framing decision: its kind (`Framing`), the length with LENGTH, and whether parsing
    stops after this message ("upgrade" or "connect")."""

    __slots__ = ("kind", "length", "stop_after")

    def __init__(self, kind: int, length: int = 0, stop_after: str = "") -> None:
        self.kind = kind
        self.length = length
        self.stop_after = stop_after


_NO_BODY = BodyFraming(Framing.NONE)


def is_informational(head: MessageHead) -> bool:
    """A 1xx response: it does not answer the request (a final response follows)."""
    return not head.is_request and 100 <= head.status < 200


def choose_framing(head: MessageHead, request_method: str = "") -> BodyFraming:
    """The framing of a message; for a response, `request_method` is the request's method."""
    if head.is_request:
        if head.method == "CONNECT":
            return BodyFraming(Framing.NONE, stop_after="connect")
    else:
        if 100 <= head.status < 200:
            return BodyFraming(Framing.NONE, stop_after="upgrade" if head.status == 101 else "")
        if request_method == "HEAD" or head.status in (204, 304):
            return _NO_BODY
        if request_method == "CONNECT" and 200 <= head.status < 300:
            return BodyFraming(Framing.NONE, stop_after="connect")
    if head.transfer_encoding_values:
        codings = list_tokens(head.transfer_encoding_values)
        if codings and codings[-1] == "chunked":
            return BodyFraming(Framing.CHUNKED)
        if codings:
            return BodyFraming(Framing.BAD_CHUNKING if head.is_request else Framing.CLOSE)
    try:
        length = content_length(head)
    except ValueError:
        return BodyFraming(Framing.BAD_LENGTH)
    if length is None:
        return _NO_BODY if head.is_request else BodyFraming(Framing.CLOSE)
    if length == 0:
        return _NO_BODY
    return BodyFraming(Framing.LENGTH, length)
