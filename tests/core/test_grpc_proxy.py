"""Which gRPC channels take the environment's HTTPS proxy (the integration test with a real
CONNECT proxy is in tests/console/test_stats_client.py)."""

from __future__ import annotations

import pytest

from sensor_core.grpc_proxy import proxy_options

DIRECT = [("grpc.enable_http_proxy", 0)]
PROXY = [("grpc.http_proxy", "http://proxy.corp:3128")]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("grpc_proxy", "https_proxy", "http_proxy", "no_grpc_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def test_no_proxy_set_means_a_direct_channel() -> None:
    assert proxy_options("console.example:8443") == DIRECT


@pytest.mark.parametrize("name", ["https_proxy", "HTTPS_PROXY", "grpc_proxy", "http_proxy"])
@pytest.mark.parametrize("value", ["http://proxy.corp:3128", "proxy.corp:3128"])
def test_either_spelling_of_the_proxy_is_taken(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert proxy_options("console.example:8443") == PROXY


@pytest.mark.parametrize(
    ("address", "no_proxy", "direct"),
    [
        ("dsensor-console.dsensor.svc:9090", ".svc,.cluster.local", True),
        ("dsensor-console.dsensor.svc.cluster.local:9090", ".svc,.cluster.local", True),
        ("dsensor-console.dsensor.svc:9090", "svc", True),
        ("console.example:8443", ".svc,.cluster.local", False),
        ("notsvc:8443", ".svc", False),
        ("10.96.0.12:9090", "10.0.0.0/8", True),
        ("10.96.0.12:9090", "10.96.0.12", True),
        ("10.96.0.12:9090", "192.168.0.0/16,not-a-network/99", False),
        ("[fd00::12]:9090", "fd00::/8", True),
        ("console.example:8443", "console.example:8443", True),
        ("console.example:8443", "*", True),
        ("console.example:8443", "", False),
        ("dns:///console.example:8443", "console.example", True),
    ],
)
def test_no_proxy_entries(
    monkeypatch: pytest.MonkeyPatch, address: str, no_proxy: str, direct: bool
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert proxy_options(address) == (DIRECT if direct else PROXY)


def test_the_lower_case_no_proxy_wins_as_it_does_for_grpc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.corp:3128")
    monkeypatch.setenv("NO_PROXY", "console.example")
    monkeypatch.setenv("no_proxy", "other.example")
    assert proxy_options("console.example:8443") == PROXY


@pytest.mark.parametrize(
    ("address", "proxy", "no_proxy"),
    [
        ("[fd00::12", "http://proxy.corp:3128", "[fd00::12, ,,"),
        ("console.example:8443", "::::", "10.0.0.0/99,/,[,*.example"),
        ("", "proxy.corp:3128", "\xff\u200b,ü.example"),
        ("dns:///", "http://", "."),
    ],
)
def test_garbage_in_the_environment_gives_an_answer_not_an_error(
    monkeypatch: pytest.MonkeyPatch, address: str, proxy: str, no_proxy: str
) -> None:
    """A broken variable must not stop a sensor from starting: the channel gets a proxy option
    or none, and a proxy that does not work shows as an unreachable console (spooled)."""
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    options = proxy_options(address)
    assert options == DIRECT or [name for name, _ in options] == ["grpc.http_proxy"]
