"""The message an HTTP/1.x parser is reading, how it is completed, and the one-segment case.

`MessageInProgress` holds the head, the (capped) body so far and the flags; `finish_message`
removes content codings and counts the result. `whole_message` is the parser's fast path:
a segment that holds exactly one message (its head and a Content-Length body, or a head
without a body), the common case of API traffic, read without buffering.
"""

from __future__ import annotations

from sensor_dim.interceptor.content_coding import decode_message_body
from sensor_dim.interceptor.http1_events import FLAG_COUNTERS, HttpMessage
from sensor_dim.interceptor.http1_framing import Framing, choose_framing
from sensor_dim.interceptor.http1_head import (
    HeadError,
    MessageHead,
    blank_line,
    list_tokens,
    parse_head_text,
)


class MessageInProgress:
    """The message being read: its head, the body so far (capped) and its flags."""

    __slots__ = ("body", "first_ts", "flags", "head", "stop_after", "wire_length")

    def __init__(self, head: MessageHead, first_ts: int) -> None:
        self.head = head
        self.first_ts = first_ts
        self.body = bytearray()
        self.wire_length = 0
        self.flags: set[str] = set()
        self.stop_after = ""


def finish_message(
    head: MessageHead,
    body: bytes,
    wire_length: int,
    flags: set[str],
    first_ts: int,
    ts: int,
    decode_limit: int,
    values: dict[str, int],
) -> HttpMessage:
    """The complete message with content codings removed (at most `decode_limit` bytes).

    Counts it and its flags in `values` (the counters' live dict); `flags` becomes the
    message's own set.
    """
    if body and head.content_encoding_values:
        codings = list_tokens(head.content_encoding_values)
        body = decode_message_body(body, codings, decode_limit, flags)
    for flag in flags:
        values[FLAG_COUNTERS[flag]] += 1
    if head.is_request:
        values["http_requests"] += 1
    elif head.status < 200:
        values["http_informational"] += 1
    else:
        values["http_responses"] += 1
    return HttpMessage(head, body, wire_length, flags, first_ts, ts)


class WholeMessage:
    """What `whole_message` found: the head, where the body starts and how long it is."""

    __slots__ = ("body_start", "head", "length")

    def __init__(self, head: MessageHead, body_start: int, length: int) -> None:
        self.head = head
        self.body_start = body_start
        self.length = length  # Content-Length, 0 without a body


def whole_message(
    data: bytes, is_request: bool, request_method: str, headercap: int, messagecap: int
) -> WholeMessage | None:
    """`data` as one message that starts it and needs nothing special, else None.

    Nothing special: no leading empty lines, a well-formed head within the header cap (no
    folding, no junk lines), no body or a Content-Length body within the message cap, and
    no Upgrade/CONNECT. The body may go on in later segments (`length` beyond the data).
    Anything else (and any error) is left to the parser's general path, which reads the same
    bytes again from the start: this function changes no state.
    """
    if not data or data[0] in (13, 10):
        return None
    # searched and parsed as text (a byte is a character), at most as far as a head can go
    window = headercap + 4
    text = (data if len(data) <= window else data[:window]).decode("latin-1")
    end, sep = blank_line(text)
    if end < 0 or end > headercap:
        return None
    head = parse_head_text(text[:end], is_request)
    if isinstance(head, HeadError) or head.bad_header_lines or head.obsolete_folding:
        return None
    framing = choose_framing(head, request_method)
    if framing.stop_after:
        return None
    kind = framing.kind
    if kind == Framing.NONE:
        length = 0
    elif kind == Framing.LENGTH and framing.length <= messagecap:
        length = framing.length
    else:
        return None
    start = end + sep
    if len(data) - start > length:
        return None  # a pipelined message follows in this segment
    return WholeMessage(head, start, length)
