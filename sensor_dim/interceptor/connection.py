"""One TCP connection's HTTP/1.x handling: recognise the protocol, run both parsers, pair.

It is the flow table's consumer for a connection. The protocol is recognised by content on
any port: a request line or a status line means HTTP/1.x (and tells which side is the
client, even for connections picked up mid-stream); TLS and HTTP/2 prefaces and anything else
are counted and not inspected.
"""

from __future__ import annotations

import re

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.flows import ConnectionInfo, StreamConsumer
from sensor_dim.interceptor.http1 import Http1Parser
from sensor_dim.interceptor.http1_events import (
    MESSAGES_LOST,
    Anomaly,
    Event,
    HeadParsed,
    MessageComplete,
    ParsingStopped,
)
from sensor_dim.interceptor.http1_head import looks_like_request_start, looks_like_response_start
from sensor_dim.interceptor.pairing import Pairer, PairFilter, PairSink
from sensor_dim.interceptor.settings import InterceptorLimits
from sensor_dim.interceptor.uninspected import UninspectedTable

HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n"
_SNIFF_BYTES = 16
# a connection picked up inside a message is searched this far for the next message start
HUNT_BYTES = 16 * 1024
# HTTP/2 client bytes searched for a gRPC content type (HPACK literals without Huffman)
GRPC_SNIFF_BYTES = 4096
_MESSAGE_START = re.compile(
    rb"(?:^|\n)(?:(HTTP/1\.[01] [0-9]{3}[ \r\n])|"
    rb"((?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [!-~]+ HTTP/1\.[01]\r?\n))"
)


def classify(data: bytes) -> str:
    """ "request", "response", "tls", "http2", "other", or "" when more bytes are needed."""
    if data.startswith(HTTP2_PREFACE[: len(data)]) and len(data) < len(HTTP2_PREFACE):
        return ""
    if data.startswith(HTTP2_PREFACE):
        return "http2"
    if len(data) >= 3 and data[0] == 0x16 and data[1] == 0x03 and data[2] <= 0x04:
        return "tls"
    if looks_like_response_start(data):
        return "response"
    if looks_like_request_start(data):
        return "request"
    if len(data) < _SNIFF_BYTES and b" " not in data:
        return ""
    return "other"


class HttpConnection(StreamConsumer):
    """StreamConsumer for one connection: parsers for both directions and a Pairer."""

    def __init__(
        self,
        info: ConnectionInfo,
        *,
        limits: InterceptorLimits,
        counters: Counters,
        sink: PairSink,
        node: str = "",
        uninspected: UninspectedTable | None = None,
        keep: PairFilter | None = None,
    ) -> None:
        self._keep = keep
        self.info = info
        self.protocol = ""  # "", "http1", "tls", "http2", "grpc", "other"
        self._uninspected = uninspected
        self._client_dir = 0  # direction the uninspected protocol's client sends in
        self._grpc_sniff = 0
        self._hunted = [0, 0]
        self._limits = limits
        self._counters = counters
        self._sink = sink
        self._node = node
        self._swap = False
        self._early: list[tuple[int, bytes, int]] = []
        self._sniff = [b"", b""]
        self._parsers: tuple[Http1Parser, Http1Parser] | None = None
        self._pairer: Pairer | None = None

    def on_data(self, direction: int, data: bytes, ts_ns: int) -> None:
        parsers = self._parsers
        if parsers is not None:  # HTTP/1.x: the common case first, without further calls
            events = parsers[direction ^ self._swap].feed(data, ts_ns)
            if events:
                self._handle(events, direction, ts_ns)
        elif not self.protocol:
            self._early.append((direction, data, ts_ns))
            self._sniff[direction] = (self._sniff[direction] + data)[:_SNIFF_BYTES]
            self._hunted[direction] += len(data)
            self._decide(direction)
        elif self._uninspected is not None:
            self._note_bytes(direction, data)

    def on_gap(self, direction: int, size: int, ts_ns: int) -> None:
        if self._parsers is not None:
            self._handle(self._parser(direction).gap(size, ts_ns), direction, ts_ns)
        elif not self.protocol:
            self._give_up("other")  # cannot recognise what we did not see

    def on_fin(self, direction: int, ts_ns: int) -> None:
        if self._parsers is not None:
            self._handle(self._parser(direction).finish(ts_ns), direction, ts_ns)

    def on_end(self, ts_ns: int, reason: str) -> None:
        if self._parsers is not None and self._pairer is not None:
            for direction in (0, 1):
                real = direction ^ self._swap
                self._handle(self._parsers[real].finish(ts_ns), direction, ts_ns)
            self._pairer.close()
        elif not self.protocol and self._early:
            self._give_up("other")

    def _decide(self, direction: int) -> None:
        kind = classify(self._sniff[direction])
        if not kind:
            return
        # picked up mid-stream, either side may begin inside a message: look for a start
        hunt = self.info.midstream
        if kind == "other" and self.info.midstream:
            found = self._find_message_start()
            if found is None:
                if sum(self._hunted) < HUNT_BYTES:
                    return  # maybe the next message starts in the next segments
            else:
                kind, direction = found
        if kind in ("request", "response"):
            self._swap = (kind == "request") == (direction == 1)
            self._start_http()
            early, self._early = self._early, []
            if hunt:
                for parser in self._parsers or ():
                    parser.hunt()
            for d, data, ts in early:
                self._feed(d, data, ts)
        else:
            self._client_dir = direction if kind in ("tls", "http2") else 0
            self._give_up(kind)

    def _find_message_start(self) -> tuple[str, int] | None:
        """("request" or "response", direction) of a message start inside the early bytes."""
        for d in (0, 1):
            data = b"".join(chunk for dd, chunk, _ in self._early if dd == d)[:HUNT_BYTES]
            m = _MESSAGE_START.search(data)
            if m is not None:
                return ("response" if m.group(1) else "request"), d
        return None

    def _give_up(self, kind: str) -> None:
        """Not HTTP/1.x: count the connection (per address pair too) and stop looking at it."""
        self.protocol = kind
        self._counters.inc(
            "connections_tls"
            if kind == "tls"
            else "connections_http2"
            if kind == "http2"
            else "connections_other"
        )
        early, self._early = self._early, []
        if self._uninspected is not None:
            self._uninspected.connection(*self._address_pair(), kind)
            for d, data, _ in early:
                self._note_bytes(d, data)

    def _address_pair(self) -> tuple[str, str, int]:
        client, server = self.info.client, self.info.server
        if self._client_dir == 1:
            client, server = server, client
        return client.ip, server.ip, server.port

    def _note_bytes(self, direction: int, data: bytes) -> None:
        assert self._uninspected is not None
        client, server, port = self._address_pair()
        sniffing = self.protocol == "http2" and self._grpc_sniff < GRPC_SNIFF_BYTES
        if sniffing and direction == self._client_dir:
            self._grpc_sniff += len(data)
            if b"application/grpc" in data:
                self._uninspected.reclassify(client, server, port, "http2", "grpc")
                self.protocol = "grpc"
        self._uninspected.add_bytes(client, server, port, self.protocol, len(data))

    def _start_http(self) -> None:
        self.protocol = "http1"
        self._counters.inc("connections_http1")
        info = self.info
        client, server = (info.server, info.client) if self._swap else (info.client, info.server)
        self._parsers = (
            Http1Parser(True, self._limits, self._counters),
            Http1Parser(False, self._limits, self._counters),
        )
        self._pairer = Pairer(
            client,
            server,
            max_pending=self._limits.pendingrequests,
            counters=self._counters,
            sink=self._sink,
            node=self._node,
            keep=self._keep,
        )

    def _parser(self, direction: int) -> Http1Parser:
        assert self._parsers is not None
        return self._parsers[direction ^ self._swap]

    def _feed(self, direction: int, data: bytes, ts_ns: int) -> None:
        self._handle(self._parser(direction).feed(data, ts_ns), direction, ts_ns)

    def _handle(self, events: list[Event], direction: int, ts_ns: int) -> None:
        assert self._parsers is not None
        assert self._pairer is not None
        from_client = (direction ^ self._swap) == 0
        requests, responses = self._parsers
        pairer = self._pairer
        for event in events:
            if type(event) is MessageComplete:
                if from_client:
                    pairer.request_complete(event.message)
                else:
                    pairer.response_complete(event.message)
            elif type(event) is HeadParsed:
                if from_client:
                    responses.expect_response_to(event.head.method)
                    pairer.request_started(event.head, event.first_ts_ns)
            elif isinstance(event, Anomaly) and event.name == MESSAGES_LOST:
                self._pairer.messages_lost(from_client)
            elif (
                isinstance(event, ParsingStopped)
                and not from_client
                and event.reason in ("upgrade", "connect")
            ):
                requests.stop(event.reason)
