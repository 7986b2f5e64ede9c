"""Incremental HTTP/1.x parser for one direction of a connection; it emits events.

Feed it the direction's in-order bytes (`feed`), capture gaps (`gap`) and the end of the
direction (`finish`). It returns events: `HeadParsed` when a request/status line and its
headers are complete, `MessageComplete` with the (decoded, capped) body and flags,
`Anomaly` for counted problems, and `ParsingStopped` when the direction cannot or must not be
parsed further (bad framing, Upgrade, CONNECT). Memory per parser is bounded by the header cap
and the message cap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum, auto

from sensor_dim.interceptor.content_coding import decode_message_body
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1_chunked import ChunkedDecoder
from sensor_dim.interceptor.http1_events import (
    FLAG_COUNTERS,
    MESSAGES_LOST,
    Anomaly,
    Event,
    HeadParsed,
    HttpMessage,
    MessageComplete,
    ParsingStopped,
)
from sensor_dim.interceptor.http1_framing import Framing, choose_framing, is_informational
from sensor_dim.interceptor.http1_head import (
    HeadError,
    MessageHead,
    find_blank_line,
    find_message_start,
    looks_like_request_start,
    looks_like_response_start,
    parse_head,
    parse_header_lines,
    resync_keep_from,
)
from sensor_dim.interceptor.settings import InterceptorLimits


class _State(Enum):
    HEAD = auto()
    BODY_LENGTH = auto()
    CHUNKED = auto()
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
        self._chunked: ChunkedDecoder | None = None
        self._skipped = False  # RESYNC dropped bytes while looking for a message start
        self._start_ts = 0
        self._methods: deque[str] = deque()  # responses: methods of requests seen, in order
        self._events: list[Event] = []

    @property
    def buffered(self) -> int:
        """Bytes held: unparsed input plus the body of the message in progress."""
        return len(self._buf) + (len(self._cur.body) if self._cur is not None else 0)

    @property
    def stopped(self) -> bool:
        return self._state is _State.STOPPED

    def expect_response_to(self, method: str) -> None:
        """Tell a response parser a request was sent (HEAD and CONNECT change the framing)."""
        self._methods.append(method)

    def _starts_message(self, data: bytes) -> bool:
        if self.is_request:
            return looks_like_request_start(data)
        return looks_like_response_start(data)

    def hunt(self) -> None:
        """Begin by looking for a message start (a connection picked up inside a message)."""
        if self._state is _State.HEAD and self._cur is None:
            self._state = _State.RESYNC

    def stop(self, reason: str) -> list[Event]:
        if self._state is not _State.STOPPED:
            self._state = _State.STOPPED
            self._buf.clear()
            self._cur = None
            return [ParsingStopped(reason)]
        return []

    def feed(self, data: bytes, ts_ns: int) -> list[Event]:
        state = self._state
        if state is _State.BODY_LENGTH and not self._buf and len(data) < self._remaining:
            # the body goes on past this segment: take it without touching the buffer
            self._append_body(data)
            self._remaining -= len(data)
            return []
        if state is _State.STOPPED:
            return []
        if state is _State.HEAD and not self._buf:
            self._start_ts = ts_ns
        elif state is _State.RESYNC and self._buf and self._starts_message(data):
            # senders begin messages at segment boundaries: the unframed bytes before end here
            self._buf.clear()
            self._skipped = True
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
        self._chunked = None
        self._state = _State.RESYNC
        self._events.append(Anomaly(MESSAGES_LOST))
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
            elif state is _State.CHUNKED:
                progressed = self._chunked_step(ts)
            elif state is _State.BODY_CLOSE:
                self._append_body(bytes(self._buf))
                self._buf.clear()
                progressed = True
            else:
                progressed = self._resync(ts)
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
        end, sep = find_blank_line(self._buf)
        if (len(self._buf) if end < 0 else end) > self._limits.headercap:
            self._counters.inc("http_header_too_large")
            self._events.append(Anomaly("header_too_large"))
            self._events.extend(self.stop("header_too_large"))
            return False
        if end < 0:
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
        """Read the body as the head says (a response takes its request's method)."""
        head = cur.head
        method = ""
        if not head.is_request and not is_informational(head) and self._methods:
            method = self._methods.popleft()
        framing = choose_framing(head, method)
        cur.stop_after = framing.stop_after
        kind = framing.kind
        if kind is Framing.NONE:
            self._complete(ts)
        elif kind is Framing.LENGTH:
            self._remaining = framing.length
            self._state = _State.BODY_LENGTH
        elif kind is Framing.CHUNKED:
            self._chunked = ChunkedDecoder(self._limits.headercap)
            self._state = _State.CHUNKED
        elif kind is Framing.CLOSE:
            self._state = _State.BODY_CLOSE
        elif kind is Framing.BAD_CHUNKING:
            self._anomaly_stop("bad_chunking", "bad_framing", ts)
        else:
            self._anomaly_stop("bad_content_length", "bad_content_length", ts)

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

    def _chunked_step(self, ts: int) -> bool:
        chunked = self._chunked
        assert chunked is not None
        step = chunked.step(self._buf)
        if step.data:
            self._append_body(step.data)
        if step.error:
            self._anomaly_stop("bad_chunking", step.error, ts)
            return False
        if step.trailers is not None:
            if step.trailers:
                assert self._cur is not None
                parse_header_lines(step.trailers, self._cur.head)
            self._chunked = None
            self._complete(ts)
        return step.progressed

    def _resync(self, ts: int) -> bool:
        start = find_message_start(self._buf, self.is_request)
        if start < 0:
            keep_from = resync_keep_from(self._buf)
            if keep_from:
                del self._buf[:keep_from]
                self._skipped = True
            return False
        if start > 0 or self._skipped:
            self._counters.inc("http_resyncs")  # bytes were passed over to find this start
        del self._buf[:start]
        self._skipped = False
        self._start_ts = ts
        self._state = _State.HEAD
        return True

    def _complete(self, ts: int) -> None:
        cur = self._cur
        assert cur is not None
        head = cur.head
        body = bytes(cur.body)
        if body and head.values("content-encoding"):
            limit = min(self._limits.decompressioncap, self._limits.messagecap)
            body = decode_message_body(body, head.tokens("content-encoding"), limit, cur.flags)
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
