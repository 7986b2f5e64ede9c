"""What the HTTP/1.x parser emits: complete messages, head events, anomalies, stops.

Flags are the lower-case `MessageFlag` names of pair.proto; `FLAG_COUNTERS` names the counter
each one bumps.
"""

from __future__ import annotations

from sensor_dim.interceptor.counters import CounterName
from sensor_dim.interceptor.http1_head import MessageHead

# flag names (lower-case MessageFlag names of pair.proto) and the counter each one bumps
FLAG_COUNTERS: dict[str, CounterName] = {
    "truncated": "http_truncated",
    "gap": "http_gap_messages",
    "bad_content_length": "http_bad_content_length",
    "bad_chunking": "http_bad_chunking",
    "decompression_failed": "http_decompression_failed",
    "decompression_capped": "http_decompression_capped",
    "obsolete_folding": "http_obsolete_folding",
    "incomplete": "http_incomplete",
}


class HttpMessage:
    """One complete message: head, decoded body (at most the message cap), flags."""

    __slots__ = ("body", "first_ts_ns", "flags", "head", "last_ts_ns", "wire_length")

    def __init__(
        self,
        head: MessageHead,
        body: bytes,
        wire_length: int,
        flags: set[str],
        first_ts_ns: int,
        last_ts_ns: int,
    ) -> None:
        self.head = head
        self.body = body
        self.wire_length = wire_length
        self.flags = flags
        self.first_ts_ns = first_ts_ns
        self.last_ts_ns = last_ts_ns


# The events are plain classes, not dataclasses: compiled (mypyc), their constructors are
# native, and a parser makes several per message.


class HeadParsed:
    __slots__ = ("first_ts_ns", "head")

    def __init__(self, head: MessageHead, first_ts_ns: int) -> None:
        self.head = head
        self.first_ts_ns = first_ts_ns


class MessageComplete:
    __slots__ = ("message",)

    def __init__(self, message: HttpMessage) -> None:
        self.message = message


class Anomaly:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class ParsingStopped:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        # "bad_start_line", "bad_framing", "header_too_large", "upgrade", "connect", ...
        self.reason = reason


# anomaly emitted when a gap hides where messages start: whole messages may have been lost
MESSAGES_LOST = "messages_lost"

Event = HeadParsed | MessageComplete | Anomaly | ParsingStopped
