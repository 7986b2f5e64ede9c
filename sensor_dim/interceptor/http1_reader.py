"""Reading an HTTP/1.x message body after its head: framing, caps, completion, stopping.

`MessageReader` is the state of one direction's parser (`http1.Http1Parser` adds the feeding,
the heads and resynchronisation): the buffer, the message in progress, the body framing
chosen from the head, and the events produced so far.
"""

from __future__ import annotations

from typing import Final

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1_chunked import ChunkedDecoder
from sensor_dim.interceptor.http1_events import Anomaly, Event, MessageComplete, ParsingStopped
from sensor_dim.interceptor.http1_framing import Framing, choose_framing, is_informational
from sensor_dim.interceptor.http1_head import parse_header_lines
from sensor_dim.interceptor.http1_message import MessageInProgress, finish_message
from sensor_dim.interceptor.settings import InterceptorLimits


class ReadState:
    """Where a parser is in its direction's byte stream (int constants)."""

    HEAD: Final = 1
    BODY_LENGTH: Final = 2
    CHUNKED: Final = 3
    BODY_CLOSE: Final = 4
    RESYNC: Final = 5
    STOPPED: Final = 6


class MessageReader:
    """One direction's parser state and the body half of its work."""

    def __init__(self, is_request: bool, limits: InterceptorLimits, counters: Counters) -> None:
        self.is_request = is_request
        self._limits = limits
        self._messagecap = limits.messagecap
        self._decode_limit = min(limits.decompressioncap, limits.messagecap)
        self._headercap = limits.headercap
        self._counters = counters
        self._values = counters.values
        self._buf = bytearray()
        self._state: int = ReadState.HEAD
        self._cur: MessageInProgress | None = None
        self._remaining = 0
        self._chunked: ChunkedDecoder | None = None
        self._skipped = False  # RESYNC dropped bytes while looking for a message start
        self._start_ts = 0
        # responses: methods of the requests seen, in order, at most `pendingrequests` (as
        # many as wait for their responses); a list, not a deque: a deque takes 600 bytes
        # even empty, and there are thousands of connections
        self._methods: list[str] = []
        self._max_methods = limits.pendingrequests
        self._events: list[Event] = []

    def stop(self, reason: str) -> list[Event]:
        if self._state != ReadState.STOPPED:
            self._state = ReadState.STOPPED
            self._buf.clear()
            self._cur = None
            return [ParsingStopped(reason)]
        return []

    def _take(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def _anomaly_stop(self, flag: str, reason: str, ts: int) -> None:
        self._events.append(Anomaly(reason))
        if self._cur is not None:
            self._cur.flags.add(flag)
            self._complete(ts)
        self._events.extend(self.stop(reason))

    def _frame_body(self, cur: MessageInProgress, ts: int) -> None:
        """Read the body as the head says (a response takes its request's method)."""
        head = cur.head
        method = ""
        if not head.is_request and not is_informational(head) and self._methods:
            method = self._methods.pop(0)
        framing = choose_framing(head, method)
        cur.stop_after = framing.stop_after
        kind = framing.kind
        if kind == Framing.NONE:
            self._complete(ts)
        elif kind == Framing.LENGTH:
            self._remaining = framing.length
            self._state = ReadState.BODY_LENGTH
        elif kind == Framing.CHUNKED:
            self._chunked = ChunkedDecoder(self._limits.headercap)
            self._state = ReadState.CHUNKED
        elif kind == Framing.CLOSE:
            self._state = ReadState.BODY_CLOSE
        elif kind == Framing.BAD_CHUNKING:
            self._anomaly_stop("bad_chunking", "bad_framing", ts)
        else:
            self._anomaly_stop("bad_content_length", "bad_content_length", ts)

    def _append_body(self, data: bytes | bytearray) -> None:
        cur = self._cur
        assert cur is not None
        size = len(data)
        cur.wire_length += size
        room = self._messagecap - len(cur.body)
        if size > room:
            cur.flags.add("truncated")
            data = data[: max(room, 0)]
        cur.body += data

    def _body_length(self, ts: int) -> bool:
        buf = self._buf
        n = self._remaining
        if len(buf) <= n:
            n = len(buf)
            self._append_body(buf)
            buf.clear()
        else:
            self._append_body(buf[:n])
            del buf[:n]
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

    def _complete(self, ts: int) -> None:
        cur = self._cur
        assert cur is not None
        head = cur.head
        message = finish_message(
            head,
            bytes(cur.body),
            cur.wire_length,
            cur.flags,  # the parser lets go of `cur`: the set becomes the message's
            cur.first_ts,
            ts,
            self._decode_limit,
            self._values,
        )
        self._events.append(MessageComplete(message))
        self._cur = None
        self._state = ReadState.HEAD
        self._start_ts = ts
        if cur.stop_after:
            if not head.is_request:
                self._counters.inc("http_upgrades")
            self._events.extend(self.stop(cur.stop_after))
