"""Incremental HTTP/1.x parser for one direction of a connection; it emits events.

Feed it the direction's in-order bytes (`feed`), capture gaps (`gap`) and the end of the
direction (`finish`). It returns events: `HeadParsed` when a request/status line and its
headers are complete, `MessageComplete` with the (decoded, capped) body and flags,
`Anomaly` for counted problems, and `ParsingStopped` when the direction cannot or must not be
parsed further (bad framing, Upgrade, CONNECT). Memory per parser is bounded by the header cap
and the message cap.
"""

from __future__ import annotations

from sensor_dim.interceptor.http1_events import (
    MESSAGES_LOST,
    Anomaly,
    Event,
    HeadParsed,
    MessageComplete,
)
from sensor_dim.interceptor.http1_framing import is_informational
from sensor_dim.interceptor.http1_head import (
    HeadError,
    find_blank_line,
    find_message_start,
    looks_like_request_start,
    looks_like_response_start,
    parse_head,
    resync_keep_from,
)
from sensor_dim.interceptor.http1_message import (
    MessageInProgress,
    WholeMessage,
    finish_message,
    whole_message,
)
from sensor_dim.interceptor.http1_reader import MessageReader, ReadState


class Http1Parser(MessageReader):
    """Parses requests (`is_request`) or responses from one direction's byte stream."""

    @property
    def buffered(self) -> int:
        """Bytes held: unparsed input plus the body of the message in progress."""
        return len(self._buf) + (len(self._cur.body) if self._cur is not None else 0)

    @property
    def stopped(self) -> bool:
        return self._state == ReadState.STOPPED

    def expect_response_to(self, method: str) -> None:
        """Tell a response parser a request was sent (HEAD and CONNECT change the framing)."""
        methods = self._methods
        if len(methods) >= self._max_methods:
            del methods[0]  # its request is given up as unanswered too (`Pairer`)
        methods.append(method)

    def _starts_message(self, data: bytes) -> bool:
        if self.is_request:
            return looks_like_request_start(data)
        return looks_like_response_start(data)

    def hunt(self) -> None:
        """Begin by looking for a message start (a connection picked up inside a message)."""
        if self._state == ReadState.HEAD and self._cur is None:
            self._state = ReadState.RESYNC

    def feed(self, data: bytes, ts_ns: int) -> list[Event]:
        state = self._state
        if state == ReadState.BODY_LENGTH and not self._buf:
            size = len(data)
            if size < self._remaining:
                # the body goes on past this segment: take it without touching the buffer
                self._append_body(data)
                self._remaining -= size
                return []
            if size == self._remaining:  # the segment ends the body
                self._append_body(data)
                self._remaining = 0
                self._complete(ts_ns)
                return self._take()
        if state == ReadState.STOPPED:
            return []
        if state == ReadState.HEAD and not self._buf:
            self._start_ts = ts_ns
            methods = self._methods
            found = whole_message(
                data,
                self.is_request,
                methods[0] if methods else "",
                self._headercap,
                self._messagecap,
            )
            if found is not None:
                return self._whole(found, data, ts_ns)
        elif state == ReadState.RESYNC and self._buf and self._starts_message(data):
            # senders begin messages at segment boundaries: the unframed bytes before end here
            self._buf.clear()
            self._skipped = True
        self._buf += data
        self._run(ts_ns)
        return self._take()

    def _whole(self, found: WholeMessage, data: bytes, ts: int) -> list[Event]:
        """A segment that begins a message at a message boundary (see `whole_message`)."""
        head = found.head
        if not head.is_request and self._methods and not is_informational(head):
            del self._methods[0]
        events: list[Event] = [HeadParsed(head, ts)]
        start, length = found.body_start, found.length
        taken = len(data) - start
        if taken == length:
            body = data[start:] if length else b""
            message = finish_message(
                head, body, length, set(), ts, ts, self._decode_limit, self._values
            )
            events.append(MessageComplete(message))
            return events
        cur = MessageInProgress(head, ts)
        cur.body += memoryview(data)[start:]
        cur.wire_length = taken
        self._cur = cur
        self._remaining = length - taken
        self._state = ReadState.BODY_LENGTH
        return events

    def gap(self, size: int, ts_ns: int) -> list[Event]:
        """`size` bytes of this direction were never captured."""
        state = self._state
        cur = self._cur
        if state in (ReadState.STOPPED, ReadState.RESYNC):
            return []
        if state == ReadState.BODY_LENGTH and cur is not None and size <= self._remaining:
            cur.flags.add("gap")
            cur.wire_length += size
            self._remaining -= size
            if self._remaining == 0:
                self._complete(ts_ns)
                self._state = ReadState.HEAD
            return self._take()
        if state == ReadState.BODY_CLOSE and cur is not None:
            cur.flags.add("gap")
            cur.wire_length += size
            return []
        if cur is not None:
            cur.flags.add("gap")
            self._complete(ts_ns)
        self._buf.clear()
        self._chunked = None
        self._state = ReadState.RESYNC
        self._events.append(Anomaly(MESSAGES_LOST))
        return self._take()

    def finish(self, ts_ns: int) -> list[Event]:
        """The direction ended (FIN or end of the connection)."""
        if self._state == ReadState.BODY_CLOSE:
            self._complete(ts_ns)
        elif self._cur is not None:
            self._cur.flags.add("incomplete")
            self._complete(ts_ns)
        elif self._state == ReadState.HEAD and self._buf.strip():
            self._counters.inc("http_incomplete")
        self._state = ReadState.STOPPED
        self._buf.clear()
        return self._take()

    def _run(self, ts: int) -> None:
        while self._buf and self._state != ReadState.STOPPED:
            state = self._state
            if state == ReadState.HEAD:
                progressed = self._head(ts)
            elif state == ReadState.BODY_LENGTH:
                progressed = self._body_length(ts)
            elif state == ReadState.CHUNKED:
                progressed = self._chunked_step(ts)
            elif state == ReadState.BODY_CLOSE:
                self._append_body(bytes(self._buf))
                self._buf.clear()
                progressed = True
            else:
                progressed = self._resync(ts)
            if not progressed:
                return

    def _head(self, ts: int) -> bool:
        while self._buf and self._buf[0] in (13, 10):
            del self._buf[:1]  # stray empty lines between messages are allowed
        if not self._buf:
            return False
        end, sep = find_blank_line(self._buf)
        if (len(self._buf) if end < 0 else end) > self._headercap:
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
        cur = MessageInProgress(head, self._start_ts)
        if head.obsolete_folding:
            cur.flags.add("obsolete_folding")
        self._cur = cur
        self._events.append(HeadParsed(head, self._start_ts))
        self._frame_body(cur, ts)
        return True

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
        self._state = ReadState.HEAD
        return True
