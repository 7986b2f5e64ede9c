"""One set of named counters every interceptor stage increments.

The names are fixed here (a `Literal` type, so a typo fails mypy) and later exported as
Prometheus metrics and in the heartbeat. `COUNTER_HELP` documents each one.
"""

from __future__ import annotations

from typing import Literal, get_args

CounterName = Literal[
    # capture
    "packets",
    "bytes",
    "kernel_packets",
    "kernel_drops",
    "capture_errors",
    "duplicate_interface_packets",
    # frame decoding
    "drop_truncated",
    "drop_unknown_linktype",
    "drop_not_ip",
    "drop_bad_ipv4",
    "drop_bad_ipv6",
    "drop_ipv6_extension",
    "drop_bad_tcp",
    "ipv4_fragments",
    "drop_ipv4_fragment",
    "not_tcp",
    "vlan_tags",
    # TCP flows
    "tcp_segments",
    "tcp_payload_bytes",
    "tcp_out_of_order",
    "tcp_retransmitted",
    "tcp_overlap_bytes",
    "tcp_gaps",
    "tcp_gap_bytes",
    "flows_opened",
    "flows_closed",
    "flows_reset",
    "flows_evicted_idle",
    "flows_evicted_full",
    "flows_midstream",
    "flow_buffer_cap_hits",
    "global_buffer_drops",
    # protocol recognition
    "connections_http1",
    "connections_tls",
    "connections_http2",
    "connections_other",
    # HTTP/1.x
    "http_requests",
    "http_responses",
    "http_informational",
    "http_truncated",
    "http_gap_messages",
    "http_bad_content_length",
    "http_bad_chunking",
    "http_header_too_large",
    "http_bad_start_line",
    "http_bad_header_line",
    "http_obsolete_folding",
    "http_incomplete",
    "http_decompression_failed",
    "http_decompression_capped",
    "http_upgrades",
    "http_resyncs",
    # pairing and selection
    "pairs",
    "pairs_unanswered",
    "pairs_pending_overflow",
    "responses_unmatched",
    "pairs_selected",
    "pairs_skipped_path",
    "pairs_skipped_content_type",
    # output
    "pairs_queued",
    "pairs_delivered",
    "output_queue_drops",
    "kafka_errors",
    "heartbeats_sent",
    "iplist_updates",
]

COUNTER_NAMES: tuple[CounterName, ...] = get_args(CounterName)

COUNTER_HELP: dict[CounterName, str] = {
    "packets": "frames read from the capture",
    "bytes": "bytes of frames read from the capture",
    "kernel_packets": "frames the kernel passed to the capture sockets (live capture)",
    "kernel_drops": "frames the kernel dropped because a capture socket's buffer was full",
    "capture_errors": "errors reading a capture socket (the interface is reopened later)",
    "duplicate_interface_packets": "frames of a connection seen again on a second interface",
    "drop_truncated": "frames dropped: shorter than their headers say",
    "drop_unknown_linktype": "frames dropped: link type not decoded",
    "drop_not_ip": "frames dropped: neither IPv4 nor IPv6",
    "drop_bad_ipv4": "frames dropped: malformed IPv4 header",
    "drop_bad_ipv6": "frames dropped: malformed IPv6 header",
    "drop_ipv6_extension": "frames dropped: IPv6 fragment, ESP or unknown extension header",
    "drop_bad_tcp": "frames dropped: malformed TCP header",
    "ipv4_fragments": "IPv4 fragments seen",
    "drop_ipv4_fragment": "IPv4 fragments dropped (not the first one)",
    "not_tcp": "IP packets that are not TCP (ignored)",
    "vlan_tags": "802.1Q/802.1ad tags removed",
    "tcp_segments": "TCP segments decoded",
    "tcp_payload_bytes": "TCP payload bytes decoded",
    "tcp_out_of_order": "segments that arrived ahead of a missing one",
    "tcp_retransmitted": "segments entirely already seen",
    "tcp_overlap_bytes": "bytes seen twice in partly overlapping segments",
    "tcp_gaps": "holes in a byte stream skipped (never zero-filled)",
    "tcp_gap_bytes": "bytes missing in those holes",
    "flows_opened": "TCP connections tracked",
    "flows_closed": "connections ended by FIN",
    "flows_reset": "connections ended by RST",
    "flows_evicted_idle": "connections dropped after the idle timeout",
    "flows_evicted_full": "connections dropped because the flow table was full",
    "flows_midstream": "connections picked up without a handshake",
    "flow_buffer_cap_hits": "times a connection's out-of-order buffer hit its cap",
    "global_buffer_drops": "segments dropped because all buffers together hit the global cap",
    "connections_http1": "connections recognised as HTTP/1.x",
    "connections_tls": "connections recognised as TLS (not inspected)",
    "connections_http2": "connections recognised as HTTP/2 or gRPC (not inspected)",
    "connections_other": "connections with another protocol (not inspected)",
    "http_requests": "HTTP requests parsed",
    "http_responses": "final HTTP responses parsed",
    "http_informational": "1xx responses parsed",
    "http_truncated": "messages whose body was cut at the message cap",
    "http_gap_messages": "messages with a capture gap inside",
    "http_bad_content_length": "messages with an invalid Content-Length",
    "http_bad_chunking": "messages with invalid chunked encoding",
    "http_header_too_large": "header sections over the header cap",
    "http_bad_start_line": "request or status lines that are not HTTP/1.x",
    "http_bad_header_line": "header lines without a colon (skipped)",
    "http_obsolete_folding": "messages using obsolete header line folding",
    "http_incomplete": "messages cut by the end of their connection",
    "http_decompression_failed": "bodies whose content coding could not be decoded",
    "http_decompression_capped": "bodies whose decoded size hit the decompression cap",
    "http_upgrades": "connections switched to another protocol (Upgrade, CONNECT)",
    "http_resyncs": "times a parser skipped bytes to find the next message after a gap",
    "pairs": "request/response pairs built",
    "pairs_unanswered": "requests without a response at connection end",
    "pairs_pending_overflow": "requests given up because too many were waiting for responses",
    "responses_unmatched": "responses without a pending request",
    "pairs_selected": "pairs kept (JSON or form on either side)",
    "pairs_skipped_path": "pairs skipped for their path (/metrics, health checks)",
    "pairs_skipped_content_type": "pairs skipped: neither side JSON nor form",
    "pairs_queued": "pairs handed to the output (Kafka producer or in-process queue)",
    "pairs_delivered": "pairs the broker acknowledged",
    "output_queue_drops": "pairs dropped because the output queue was full",
    "kafka_errors": "Kafka delivery failures and client errors",
    "heartbeats_sent": "heartbeat messages produced",
    "iplist_updates": "address lists received for this node",
}


class Counters:
    """Named non-negative integer counters shared by every stage of one interceptor."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[str, int] = dict.fromkeys(COUNTER_NAMES, 0)

    @property
    def values(self) -> dict[str, int]:
        """The live dict, for hot loops that add without a method call (names as above)."""
        return self._values

    def inc(self, name: CounterName, amount: int = 1) -> None:
        self._values[name] += amount

    def __getitem__(self, name: CounterName) -> int:
        return self._values[name]

    def snapshot(self) -> dict[str, int]:
        """A copy of every counter (zeros included)."""
        return dict(self._values)

    def nonzero(self) -> dict[str, int]:
        return {k: v for k, v in self._values.items() if v}
