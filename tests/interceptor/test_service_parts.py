"""Interface choice, metrics and probes, the in-process output, settings, the command line."""

from __future__ import annotations

import queue
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from dsensor.v1 import pair_pb2

from sensor_core.http_probes import HttpProbes
from sensor_dim.interceptor.cli import main
from sensor_dim.interceptor.control import valid_addresses
from sensor_dim.interceptor.counters import COUNTER_HELP, COUNTER_NAMES, Counters
from sensor_dim.interceptor.flow_model import Endpoint
from sensor_dim.interceptor.live import choose_interfaces
from sensor_dim.interceptor.metrics import Health, build_registry
from sensor_dim.interceptor.output import InProcessOutput, producer_config
from sensor_dim.interceptor.pairing import destination_key
from sensor_dim.interceptor.settings import CaptureSettings, InterceptorSettings

AVAILABLE = ["lo", "eth0", "cni0", "veth1", "veth2", "docker0"]


def test_without_addresses_every_interface_but_the_skipped_ones_is_read() -> None:
    assert choose_interfaces(CaptureSettings(), [], AVAILABLE) == ["eth0", "veth1", "veth2"]


def test_explicit_interfaces_win_and_missing_ones_are_left_out() -> None:
    settings = CaptureSettings(interfaces=["veth2", "gone0"])
    assert choose_interfaces(settings, ["10.0.0.1"], AVAILABLE) == ["veth2"]


def test_addresses_choose_the_interface_they_are_routed_through() -> None:
    # loopback addresses route through lo, which is skipped: read every pod interface instead
    chosen = choose_interfaces(CaptureSettings(), ["127.0.0.1"], AVAILABLE)
    assert chosen == ["eth0", "veth1", "veth2"]
    settings = CaptureSettings(skipinterfaces=["docker0"])
    assert choose_interfaces(settings, ["127.0.0.1"], AVAILABLE) == ["lo"]


def test_address_lists_keep_valid_addresses_only() -> None:
    assert valid_addresses(["10.0.0.1", " fd00::1 ", "x", "300.1.1.1"]) == (
        ["10.0.0.1", "fd00::1"],
        2,
    )


def test_every_counter_has_help_text() -> None:
    assert set(COUNTER_HELP) == set(COUNTER_NAMES)


def test_metrics_and_probes_over_http() -> None:
    counters = Counters()
    counters.inc("packets", 5)
    health = Health()
    registry = build_registry(counters, lambda: {"flows_active": 3})
    server = HttpProbes(
        "127.0.0.1",
        0,
        registry,
        ready=lambda: health.alive and health.ready,
        alive=lambda: health.alive,
    )
    base = f"http://127.0.0.1:{server.port}"

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode()

    try:
        status, text = get("/metrics")
        assert status == 200
        assert "dsensor_interceptor_packets_total 5.0" in text
        assert "dsensor_interceptor_flows_active 3.0" in text
        assert get("/healthz")[0] == 200
        assert get("/readyz")[0] == 503
        health.ready = True
        assert get("/readyz")[0] == 200
        health.alive = False
        assert get("/healthz")[0] == 503
        assert get("/other")[0] == 404
    finally:
        server.stop()


def test_in_process_output_drops_and_counts_when_full() -> None:
    counters = Counters()
    bus: queue.Queue[tuple[bytes, bytes]] = queue.Queue(maxsize=2)
    output = InProcessOutput(bus, counters)
    value = pair_pb2.HttpPair(unix_nanos=1).SerializeToString()
    for _ in range(5):
        output.send(b"10.0.0.5:8080", value)
    assert (counters["pairs_queued"], counters["output_queue_drops"]) == (2, 3)
    assert bus.get_nowait() == (b"10.0.0.5:8080", value)


@pytest.mark.parametrize(
    ("server", "key"),
    [(Endpoint("10.1.2.3", 8080), b"10.1.2.3:8080"), (Endpoint("fd00::5", 80), b"[fd00::5]:80")],
)
def test_pairs_are_keyed_by_their_server_address(server: Endpoint, key: bytes) -> None:
    assert destination_key(server) == key


def test_producer_config_is_bounded_and_batched() -> None:
    config = producer_config(InterceptorSettings().kafka)
    assert config["queue.buffering.max.messages"] == 100_000
    assert config["batch.num.messages"] == 1000
    assert config["linger.ms"] == 100


def test_environment_overrides_reach_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sensor_core.settings import load_settings

    monkeypatch.setenv("SVRN_INTERCEPTOR_CAPTURE_INTERFACES", '["eth1"]')
    monkeypatch.setenv("SVRN_INTERCEPTOR_KAFKA_QUEUEMESSAGES", "10")
    config = tmp_path / "c.yaml"
    config.write_text("node: n1\nlimits: {messagecap: 2048}\n")
    settings = load_settings(InterceptorSettings, "INTERCEPTOR", config)
    assert settings.capture.interfaces == ["eth1"]
    assert settings.kafka.queuemessages == 10
    assert settings.limits.messagecap == 2048


def test_bad_configuration_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("capture: {snaplen: 10}\n")
    result = CliRunner().invoke(main, ["--config", str(config)])
    assert result.exit_code == 2
    assert "snaplen" in result.output
