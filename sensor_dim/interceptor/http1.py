"""Incremental HTTP/1.x parser for one direction of a connection; it emits events.

Feed it the direction's in-order bytes (`feed`), capture gaps (`gap`) and the end of the
direction (`finish`). It returns events: `HeadParsed` when a request/status line and its
headers are complete, `MessageComplete` with the (decoded, capped) body and flags,
`Anomaly` for counted problems, and `ParsingStopped` when the direction cannot or must not be
parsed further (bad framing, Upgrade, CONNECT). Memory per parser is bounded by the header cap
and the message cap.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from enum import Enum, auto

from sensor_dim.interceptor.content_coding import decode_body
from sensor_dim.interceptor.counters import CounterName, Counters
from sensor_dim.interceptor.http1_head import HeadError, MessageHead, content_length, parse_head
from sensor_dim.interceptor.http1_head import parse_header_lines as _parse_trailers
from sensor_dim.interceptor.settings import InterceptorLimits

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
MAX_CHUNK_LINE = 1024
_RESYNC_REQUEST = re.compile(
    rb"(?:^|\n)((?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^\s]+ HTTP/1\.[01]\r?\n)"
)
_RESYNC_RESPONSE = re.compile(rb"(?:^|\n)(HTTP/1\.[01] [0-9]{3}[^\n]*\n)")
_RESYNC_KEEP = 64


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


Event = HeadParsed | MessageComplete | Anomaly | ParsingStopped


class _State(Enum):
    HEAD = auto()
    BODY_LENGTH = auto()
    CHUNK_SIZE = auto()
    CHUNK_DATA = auto()
    CHUNK_CRLF = auto()
    TRAILERS = auto()
    BODY_CLOSE = auto()
    RESYNC = auto()
    STOPPED = auto()


@dataclass(slots=True)
class _Current:
    head: MessageHead
    first_ts: int
    body: bytearray = field(default_factory=bytearray)
    wire_length: int = 0
    flags: set[str] = field(default_factory=set)
    stop_after: str = ""


class Http1Parser:
    """Parses requests (`is_request`) or responses from one direction's byte stream."""

    def __init__(self, is_request: bool, limits: InterceptorLimits, counters: Counters) -> None:
        self.is_request = is_request
        self._limits = limits
        self._counters = counters
        self._buf = bytearray()
        self._state = _State.HEAD
        self._cur: _Current | None = None
        self._remaining = 0
        self._start_ts = 0
        self._methods: deque[str] = deque()  # responses: methods of requests seen, in order
        self._events: list[Event] = []

    @property
    def stopped(self) -> bool:
        return self._state is _State.STOPPED

    def expect_response_to(self, method: str) -> None:
        """Tell a response parser a request was sent (HEAD and CONNECT change the framing)."""
        self._methods.append(method)

    def stop(self, reason: str) -> list[Event]:
        if self._state is not _State.STOPPED:
            self._state = _State.STOPPED
            self._buf.clear()
            self._cur = None
            return [ParsingStopped(reason)]
        return []

    def feed(self, data: bytes, ts_ns: int) -> list[Event]:
        if self._state is _State.STOPPED:
            return []
        if self._state is _State.HEAD and not self._buf:
            self._start_ts = ts_ns
        self._buf += data
        self._run(ts_ns)
        return self._take()

    def gap(self, size: int, ts_ns: int) -> list[Event]:
        """`size` bytes of this direction were never captured."""
        state = self._state
        cur = self._cur
        if state in (_State.STOPPED, _State.RESYNC):
            return []
        if state is _State.BODY_LENGTH and cur is not None and size <= self._remaining:
            cur.flags.add("gap")
            cur.wire_length += size
            self._remaining -= size
            if self._remaining == 0:
                self._complete(ts_ns)
                self._state = _State.HEAD
            return self._take()
        if state is _State.BODY_CLOSE and cur is not None:
            cur.flags.add("gap")
            cur.wire_length += size
            return []
        if cur is not None:
            cur.flags.add("gap")
            self._complete(ts_ns)
        self._buf.clear()
        self._state = _State.RESYNC
        return self._take()

    def finish(self, ts_ns: int) -> list[Event]:
        """The direction ended (FIN or end of the connection)."""
        if self._state is _State.BODY_CLOSE:
            self._complete(ts_ns)
        elif self._cur is not None:
            self._cur.flags.add("incomplete")
            self._complete(ts_ns)
        elif self._state is _State.HEAD and self._buf.strip():
            self._counters.inc("http_incomplete")
        self._state = _State.STOPPED
        self._buf.clear()
        return self._take()

    def _take(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def _run(self, ts: int) -> None:
        while self._buf and self._state is not _State.STOPPED:
            state = self._state
            if state is _State.HEAD:
                progressed = self._head(ts)
            elif state is _State.BODY_LENGTH:
                progressed = self._body_length(ts)
            elif state is _State.CHUNK_SIZE:
                progressed = self._chunk_size(ts)
            elif state is _State.CHUNK_DATA:
                progressed = self._chunk_data()
            elif state is _State.CHUNK_CRLF:
                progressed = self._chunk_crlf(ts)
            elif state is _State.TRAILERS:
                progressed = self._trailers(ts)
            elif state is _State.BODY_CLOSE:
                self._append_body(bytes(self._buf))
                self._buf.clear()
                progressed = True
            else:
                progressed = self._resync()
            if not progressed:
                return

    def _anomaly_stop(self, flag: str, reason: str, ts: int) -> None:
        self._events.append(Anomaly(reason))
        if self._cur is not None:
            self._cur.flags.add(flag)
            self._complete(ts)
        self._events.extend(self.stop(reason))

    def _head(self, ts: int) -> bool:
        while self._buf and self._buf[0] in (13, 10):
            del self._buf[:1]  # stray empty lines between messages are allowed
        if not self._buf:
            return False
        end, sep = _find_blank_line(self._buf)
        if end < 0:
            if len(self._buf) > self._limits.headercap:
                self._counters.inc("http_header_too_large")
                self._events.append(Anomaly("header_too_large"))
                self._events.extend(self.stop("header_too_large"))
            return False
        if end > self._limits.headercap:
            self._counters.inc("http_header_too_large")
            self._events.append(Anomaly("header_too_large"))
            self._events.extend(self.stop("header_too_large"))
            return False
        block = bytes(self._buf[:end])
        del self._buf[: end + sep]
        head = parse_head(block, self.is_request)
        if isinstance(head, HeadError):
            self._counters.inc("http_bad_start_line")
            self._events.append(Anomaly("bad_start_line"))
            self._events.extend(self.stop("bad_start_line"))
            return False
        if head.bad_header_lines:
            self._counters.inc("http_bad_header_line", head.bad_header_lines)
        cur = _Current(head, self._start_ts)
        if head.obsolete_folding:
            cur.flags.add("obsolete_folding")
        self._cur = cur
        self._events.append(HeadParsed(head, self._start_ts))
        self._frame_body(cur, ts)
        return True

    def _frame_body(self, cur: _Current, ts: int) -> None:
        """Choose how the body ends (RFC 9112 section 6.3)."""
        head = cur.head
        codings = head.tokens("transfer-encoding")
        if head.is_request:
            if head.method == "CONNECT":
                cur.stop_after = "connect"
                self._complete(ts)
                return
        else:
            if 100 <= head.status < 200:
                if head.status == 101:
                    cur.stop_after = "upgrade"
                self._complete(ts)
                return
            method = self._methods.popleft() if self._methods else ""
            if method == "HEAD" or head.status in (204, 304):
                self._complete(ts)
                return
            if method == "CONNECT" and 200 <= head.status < 300:
                cur.stop_after = "connect"
                self._complete(ts)
                return
        if codings:
            if codings[-1] == "chunked":
                self._state = _State.CHUNK_SIZE
            elif head.is_request:
                self._anomaly_stop("bad_chunking", "bad_framing", ts)
            else:
                self._state = _State.BODY_CLOSE
            return
        try:
            length = content_length(head)
        except ValueError:
            self._anomaly_stop("bad_content_length", "bad_content_length", ts)
            return
        if length is None:
            if head.is_request:
                self._complete(ts)
            else:
                self._state = _State.BODY_CLOSE
        elif length == 0:
            self._complete(ts)
        else:
            self._remaining = length
            self._state = _State.BODY_LENGTH

    def _append_body(self, data: bytes) -> None:
        cur = self._cur
        assert cur is not None
        cur.wire_length += len(data)
        room = self._limits.messagecap - len(cur.body)
        if len(data) > room:
            cur.flags.add("truncated")
            data = data[: max(room, 0)]
        cur.body += data

    def _body_length(self, ts: int) -> bool:
        n = min(self._remaining, len(self._buf))
        self._append_body(bytes(self._buf[:n]))
        del self._buf[:n]
        self._remaining -= n
        if self._remaining == 0:
            self._complete(ts)
        return True

    def _chunk_size(self, ts: int) -> bool:
        nl = self._buf.find(b"\n")
        if nl < 0:
            if len(self._buf) > MAX_CHUNK_LINE:
                self._anomaly_stop("bad_chunking", "bad_framing", ts)
            return False
        line = bytes(self._buf[:nl]).rstrip(b"\r")
        del self._buf[: nl + 1]
        text = line.split(b";", 1)[0].strip()
        if not text or len(text) > 15 or not all(c in b"0123456789abcdefABCDEF" for c in text):
            self._anomaly_stop("bad_chunking", "bad_framing", ts)
            return False
        size = int(text, 16)
        if size == 0:
            self._state = _State.TRAILERS
        else:
            self._remaining = size
            self._state = _State.CHUNK_DATA
        return True

    def _chunk_data(self) -> bool:
        n = min(self._remaining, len(self._buf))
        self._append_body(bytes(self._buf[:n]))
        del self._buf[:n]
        self._remaining -= n
        if self._remaining == 0:
            self._state = _State.CHUNK_CRLF
        return True

    def _chunk_crlf(self, ts: int) -> bool:
        if self._buf.startswith(b"\n"):
            del self._buf[:1]
        elif self._buf.startswith(b"\r\n"):
            del self._buf[:2]
        elif len(self._buf) == 1 and self._buf[0] == 13:
            return False
        else:
            self._anomaly_stop("bad_chunking", "bad_framing", ts)
            return False
        self._state = _State.CHUNK_SIZE
        return True

    def _trailers(self, ts: int) -> bool:
        for blank in (b"\r\n", b"\n"):
            if self._buf.startswith(blank):
                del self._buf[: len(blank)]
                self._complete(ts)
                return True
        if len(self._buf) == 1 and self._buf[0] == 13:
            return False
        end, sep = _find_blank_line(self._buf)
        if end < 0:
            if len(self._buf) > self._limits.headercap:
                self._anomaly_stop("bad_chunking", "header_too_large", ts)
            return False
        assert self._cur is not None
        lines = bytes(self._buf[:end]).split(b"\n")
        _parse_trailers([ln.rstrip(b"\r") for ln in lines], self._cur.head)
        del self._buf[: end + sep]
        self._complete(ts)
        return True

    def _resync(self) -> bool:
        pattern = _RESYNC_REQUEST if self.is_request else _RESYNC_RESPONSE
        m = pattern.search(self._buf)
        if m is None:
            if len(self._buf) > _RESYNC_KEEP:
                del self._buf[: len(self._buf) - _RESYNC_KEEP]
            return False
        del self._buf[: m.start(1)]
        self._counters.inc("http_resyncs")
        self._state = _State.HEAD
        return True

    def _complete(self, ts: int) -> None:
        cur = self._cur
        assert cur is not None
        head = cur.head
        body = bytes(cur.body)
        codings = head.tokens("content-encoding")
        if codings and body:
            limit = min(self._limits.decompressioncap, self._limits.messagecap)
            decoded = decode_body(body, codings, limit)
            body = decoded.body
            if decoded.failed:
                cur.flags.add("decompression_failed")
            if decoded.capped:
                cur.flags.add("decompression_capped")
        for flag in cur.flags:
            self._counters.inc(FLAG_COUNTERS[flag])
        if head.is_request:
            self._counters.inc("http_requests")
        elif head.status < 200:
            self._counters.inc("http_informational")
        else:
            self._counters.inc("http_responses")
        message = HttpMessage(head, body, cur.wire_length, set(cur.flags), cur.first_ts, ts)
        self._events.append(MessageComplete(message))
        self._cur = None
        self._state = _State.HEAD
        self._start_ts = ts
        if cur.stop_after:
            if not head.is_request:
                self._counters.inc("http_upgrades")
            self._events.extend(self.stop(cur.stop_after))


def _find_blank_line(buf: bytearray) -> tuple[int, int]:
    """(end of the header block, length of the separator) or (-1, 0)."""
    best, sep = -1, 0
    for pattern in (b"\r\n\r\n", b"\n\n", b"\n\r\n"):
        i = buf.find(pattern)
        if i >= 0 and (best < 0 or i < best):
            best, sep = i, len(pattern)
    return best, sep
