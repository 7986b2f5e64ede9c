from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from examples.sample_traffic import make_sample_pcap as sample
from sensor_dim.interceptor.capture import CaptureError, read_capture
from sensor_dim.interceptor.cli import main, pairs_command
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.pipeline import read_pairs
from tests.interceptor.packets import Conversation

DEMO = sample.OUTPUT
KEYS = ["ts", "src", "dst", "method", "host", "uri", "status", "request", "response", "flags"]


def test_pairs_command_prints_one_json_line_per_selected_pair() -> None:
    result = CliRunner().invoke(pairs_command, [str(DEMO)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == len(sample.expected_pairs(selected_only=True))
    first = lines[0]
    assert list(first) == KEYS
    assert first["src"] == "10.244.1.10:41000"
    assert first["dst"] == "10.244.2.20:8080"
    assert (first["method"], first["uri"], first["status"]) == ("POST", "/api/v1/users", 201)
    assert first["host"] == "10.244.2.20:8080"
    assert first["ts"].startswith("2024-05-01T10:00:00.")
    assert first["ts"].endswith("Z")
    assert first["request"] == {"content_type": "application/json", "body_len": 305}
    assert first["response"]["content_type"] == "application/json"
    assert first["flags"] == []
    assert sample.DEFAULT_CANARIES["email"] not in result.output


def test_all_option_includes_skipped_pairs() -> None:
    result = CliRunner().invoke(pairs_command, [str(DEMO), "--all"])
    uris = [json.loads(line)["uri"] for line in result.output.splitlines()]
    assert "/healthz" in uris
    assert "/index.html" in uris


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"this is not a capture", "not a pcap or pcapng file"), (b"", "not a pcap")],
)
def test_bad_file_exit_code_2_without_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(content)
    result = CliRunner().invoke(pairs_command, [str(bad)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_truncated_file_reports_how_far_it_got(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(DEMO.read_bytes()[:3000])
    result = CliRunner().invoke(pairs_command, [str(cut)])
    assert result.exit_code == 2
    assert "truncated" in result.output
    assert "after 17 complete packets" in result.output


def test_missing_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(pairs_command, ["/nonexistent/x.pcap"])
    assert result.exit_code == 2


def test_pcapng_and_nanosecond_pcap_read_the_same(tmp_path: Path) -> None:
    from scapy.utils import PcapNgWriter, rdpcap

    packets = rdpcap(str(DEMO))
    ng = tmp_path / "demo.pcapng"
    with PcapNgWriter(str(ng)) as writer:
        for pkt in packets:
            writer.write(pkt)
    frames = list(read_capture(DEMO, Counters()))
    frames_ng = list(read_capture(ng, Counters()))
    assert [f.data for f in frames_ng] == [f.data for f in frames]
    assert [f.ts_ns // 1000 for f in frames_ng] == [f.ts_ns // 1000 for f in frames]
    assert len(read_pairs(ng).pairs) == 8

    raw = bytearray(DEMO.read_bytes())
    raw[:4] = struct.pack("<I", 0xA1B23C4D)  # same records, timestamps read as nanoseconds
    nano = tmp_path / "nano.pcap"
    nano.write_bytes(bytes(raw))
    first = next(iter(read_capture(nano, Counters())))
    assert first.ts_ns % 1_000_000_000 == frames[0].ts_ns % 1_000_000_000 // 1000


def big_endian_copy(little: bytes) -> bytes:
    """A little-endian classic pcap rewritten in big-endian byte order (same records)."""
    out = bytearray(b"\xa1\xb2\xc3\xd4")
    out += struct.pack(">HHiIII", *struct.unpack_from("<HHiIII", little, 4))
    pos = 24
    while pos < len(little):
        header = struct.unpack_from("<IIII", little, pos)
        out += struct.pack(">IIII", *header)
        out += little[pos + 16 : pos + 16 + header[2]]
        pos += 16 + header[2]
    return bytes(out)


def test_big_endian_pcap_reads_the_same_frames_and_times(tmp_path: Path) -> None:
    swapped = tmp_path / "big.pcap"
    swapped.write_bytes(big_endian_copy(DEMO.read_bytes()))
    frames = list(read_capture(DEMO, Counters()))
    frames_big = list(read_capture(swapped, Counters()))
    assert [(f.ts_ns, f.linktype, f.data) for f in frames_big] == [
        (f.ts_ns, f.linktype, f.data) for f in frames
    ]
    assert len(read_pairs(swapped).pairs) == 8


def test_corrupt_pcapng_block_is_an_error(tmp_path: Path) -> None:
    from scapy.utils import PcapNgWriter, rdpcap

    ng = tmp_path / "demo.pcapng"
    with PcapNgWriter(str(ng)) as writer:
        for pkt in rdpcap(str(DEMO))[:10]:
            writer.write(pkt)
    data = ng.read_bytes()
    (tmp_path / "cut.pcapng").write_bytes(data[:-30])
    with pytest.raises(CaptureError, match="truncated or corrupt"):
        list(read_capture(tmp_path / "cut.pcapng", Counters()))


def test_interceptor_replay_uses_settings(tmp_path: Path) -> None:
    conv = Conversation().handshake()
    body = b'{"k": "' + b"v" * 3000 + b'"}'
    conv.send(
        0,
        b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body,
    )
    conv.send(1, b"HTTP/1.1 204 No Content\r\n\r\n")
    path = conv.close().pcap(tmp_path / "one.pcap")
    config = tmp_path / "interceptor.yaml"
    config.write_text("node: node-1\nlimits:\n  messagecap: 1024\n")
    result = CliRunner().invoke(main, ["--config", str(config), "replay", str(path)], env={})
    assert result.exit_code == 0, result.output
    line = json.loads(result.output)
    assert line["request"]["body_len"] == 1024
    assert line["flags"] == ["truncated"]
    bad = CliRunner().invoke(
        main, ["replay", str(path)], env={"SVRN_INTERCEPTOR_LIMITS_MESSAGECAP": "x"}
    )
    assert bad.exit_code == 2
    assert "SVRN_INTERCEPTOR_LIMITS_MESSAGECAP" in bad.output
