"""Lost messages, pickup inside a message, traffic seen on two interfaces, uninspected flows."""

from __future__ import annotations

from pathlib import Path

from dsensor.v1 import metadata_pb2, pair_pb2

from sensor_dim.interceptor.capture import read_capture
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.pipeline import PairPipeline, decoded, read_pairs
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.interceptor.packets import Conversation


def req(path: str) -> bytes:
    body = b'{"q": 1}'
    return (
        f"POST {path} HTTP/1.1\r\nHost: svc\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def resp(status: int, body: bytes = b'{"ok": true}') -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def by_uri(pairs: list[pair_pb2.HttpPair]) -> dict[str, pair_pb2.HttpPair]:
    return {p.request.target: p for p in pairs}


def test_a_lost_response_does_not_shift_the_pairing(tmp_path: Path) -> None:
    conv = Conversation().handshake()
    conv.send(0, req("/one"))
    conv.ack(1)
    lost = conv.send(1, resp(201))  # never captured
    conv.send(0, req("/two"))
    conv.send(1, resp(202))
    conv.ack(0)  # acknowledges past the hole: the flow table declares the gap
    conv.close()
    conv.frames = [f for f in conv.frames if f not in lost]
    result = read_pairs(conv.pcap(tmp_path / "lost.pcap"), select=False)
    pairs = by_uri(result.pairs)
    assert pairs["/two"].response.status == 202
    assert pairs["/one"].unanswered
    assert result.counters["tcp_gaps"] == 1
    assert result.counters["responses_unmatched"] == 0


def test_a_lost_request_leaves_its_response_unmatched(tmp_path: Path) -> None:
    conv = Conversation().handshake()
    conv.send(0, req("/one"))
    conv.send(1, resp(201))
    lost = conv.send(0, req("/lost"))
    conv.send(0, req("/three"))
    conv.ack(1)
    conv.send(1, resp(299))  # answers /lost
    conv.send(1, resp(203))  # answers /three
    conv.close()
    conv.frames = [f for f in conv.frames if f not in lost]
    result = read_pairs(conv.pcap(tmp_path / "lostreq.pcap"), select=False)
    pairs = by_uri(result.pairs)
    assert pairs["/one"].response.status == 201
    assert "/lost" not in pairs
    # the server's ACK of the hole arrives with the response: the queue cannot know, so the
    # first response after a request-side gap is the one that is counted as a problem
    assert result.counters["http_gap_messages"] + result.counters["tcp_gaps"] >= 1


def test_pickup_inside_a_response_body_finds_the_next_exchange(tmp_path: Path) -> None:
    conv = Conversation()  # no handshake: the capture starts mid-connection
    conv.send(1, b'", "tail": "of an earlier response body that we only see the end of"}')
    conv.send(0, req("/next"))
    conv.send(1, resp(200))
    conv.close()
    result = read_pairs(conv.pcap(tmp_path / "mid.pcap"), select=False)
    assert [(p.request.target, p.response.status) for p in result.pairs] == [("/next", 200)]
    assert result.counters["flows_midstream"] == 1
    assert result.counters["connections_http1"] == 1


def test_pickup_inside_a_request_body_hunts_both_directions(tmp_path: Path) -> None:
    conv = Conversation()
    conv.send(0, b'tail of a request body, "x": [1, 2, 3]}')
    conv.send(1, resp(200))  # answers the request we saw the end of
    conv.send(0, req("/after"))
    conv.send(1, resp(201))
    conv.close()
    result = read_pairs(conv.pcap(tmp_path / "midreq.pcap"), select=False)
    assert [(p.request.target, p.response.status) for p in result.pairs] == [("/after", 201)]
    assert result.counters["responses_unmatched"] == 1


def test_traffic_seen_on_two_interfaces_is_reported_once(tmp_path: Path) -> None:
    conv = Conversation().handshake()
    conv.send(0, req("/pod-to-pod"))
    conv.send(1, resp(200))
    conv.close()
    frames = list(read_capture(conv.pcap(tmp_path / "veth.pcap"), Counters()))
    counters = Counters()
    pairs: list[pair_pb2.HttpPair] = []
    pipeline = PairPipeline(InterceptorLimits(), counters, decoded(pairs.append), select=False)
    for frame in frames:  # each frame leaves one veth and enters the other
        pipeline.frame(frame.linktype, frame.data, frame.ts_ns, iface=7)
        pipeline.frame(frame.linktype, frame.data, frame.ts_ns + 1000, iface=9)
    pipeline.close()
    assert [p.request.target for p in pairs] == ["/pod-to-pod"]
    # every copy is counted, those of the last FIN and ACK after the connection ended too
    assert counters["duplicate_interface_packets"] == len(frames)
    assert counters["flows_opened"] == 1
    assert counters["tcp_retransmitted"] == 0


def test_unreadable_connections_are_counted_per_address_pair(tmp_path: Path) -> None:
    tls = Conversation(("10.0.0.5", 41000), ("10.0.0.9", 443)).handshake()
    tls.send(0, bytes([0x16, 0x03, 0x01, 0x00, 0x50]) + b"\x01" * 80)
    tls.send(1, bytes([0x16, 0x03, 0x03, 0x00, 0x30]) + b"\x02" * 48)
    grpc = Conversation(("10.0.0.5", 41001), ("10.0.0.8", 50051)).handshake()
    grpc.send(0, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    grpc.send(0, b"\x00\x00\x20\x01\x04\x00\x00\x00\x01content-typeapplication/grpc")
    frames = [*tls.frames, *grpc.frames]
    counters = Counters()
    pipeline = PairPipeline(InterceptorLimits(), counters, lambda key, value: None)
    from tests.interceptor.packets import write_pcap

    path = write_pcap(tmp_path / "u.pcap", [(1.7e9 + i / 1000, f) for i, f in enumerate(frames)])
    for frame in read_capture(path, counters):
        pipeline.frame(frame.linktype, frame.data, frame.ts_ns)
    entries = {
        (e.source_ip, e.destination_ip, e.destination_port, e.reason): (e.connections, e.bytes)
        for e in pipeline.uninspected.to_proto()
    }
    tls_key = ("10.0.0.5", "10.0.0.9", 443, metadata_pb2.UNINSPECTED_REASON_TLS)
    grpc_key = ("10.0.0.5", "10.0.0.8", 50051, metadata_pb2.UNINSPECTED_REASON_GRPC)
    assert entries[tls_key] == (1, 85 + 53)
    assert entries[grpc_key][0] == 1
    assert counters["connections_tls"] == 1
    assert counters["connections_http2"] == 1
