"""What the HTTP/1.x parser emits: complete messages, head events, anomalies, stops.

Flags are the lower-case `MessageFlag` names of pair.proto; `FLAG_COUNTERS` names the counter
each one bumps.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(slots=True)
class HttpMessage:
    """One complete message: head, decoded body (at most the message cap), flags."""

    head: MessageHead
    body: bytes
    wire_length: int
    flags: set[str]
    first_ts_ns: int
    last_ts_ns: int


@dataclass(frozen=True, slots=True)
class HeadParsed:
    head: MessageHead
    first_ts_ns: int


@dataclass(frozen=True, slots=True)
class MessageComplete:
    message: HttpMessage


@dataclass(frozen=True, slots=True)
class Anomaly:
    name: str


@dataclass(frozen=True, slots=True)
class ParsingStopped:
    reason: str  # "bad_start_line", "bad_framing", "header_too_large", "upgrade", "connect", ...


# anomaly emitted when a gap hides where messages start: whole messages may have been lost
MESSAGES_LOST = "messages_lost"

Event = HeadParsed | MessageComplete | Anomaly | ParsingStopped
