"""`dsensor demo` finds what the sample capture carries, and only that, through every stage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from examples.sample_traffic import record_services as services
from sensor_dim.interceptor.pipeline import read_pairs
from tests.demo.conftest import DemoRun
from tests.demo.datamap import (
    FlowKey,
    Typed,
    expected_key,
    expected_typed,
    flow_key,
    found_typed,
)

_USERS = ("shop/orders", "shop/users", "GET", "/users/{id}")
_HEALTH = ("shop/frontend", "shop/users", "GET", "/users/{id}/health")
_ORDERS = ("shop/frontend", "shop/orders", "POST", "/orders")
_CHARGES = ("payments/payments", "external/api.paygate.example", "POST", "/v1/charges")
# typed fields the ground truth does not list but that are right to report
ALSO_CORRECT: set[Typed] = {
    (_ORDERS, "req:$.user_id", "user_id"),
    (_HEALTH, "resp:$.patient_id", "user_id"),
    (_USERS, "resp:$.id", "user_id"),
    (_CHARGES, "resp:$.last4", "masked_card_number"),
}
# types that must never appear on a flow (an over-reaching detector, or mixed-up flows)
FORBIDDEN: dict[FlowKey, set[str]] = {
    ("shop/frontend", "shop/users", "POST", "/login"): {"credit_card_number", "iban", "us_ssn"},
    _USERS: {"credit_card_number", "password", "iban"},
    _ORDERS: {"credit_card_number", "card_cvv", "iban"},
}


def test_bundled_capture_holds_the_services_traffic() -> None:
    """Every pair of the capture is one the services send, between the right pods."""
    result = read_pairs(services.OUTPUT, select=False)
    expected = services.expected_pairs()
    ips = services.PODS
    got = [
        (p.source.ip, p.destination.ip, p.request.method, p.response.status) for p in result.pairs
    ]
    assert got == [(ips[e.client], ips[e.server], e.method, e.status) for e in expected]
    assert result.counters["tcp_gaps"] == 0
    assert not any(p.unanswered for p in result.pairs)
    assert services.OUTPUT.stat().st_size < 300_000


@pytest.mark.slow
def test_bundled_capture_is_reproducible(tmp_path: Path) -> None:
    fresh = tmp_path / "services.pcap"
    done = subprocess.run(
        [sys.executable, "-m", "examples.sample_traffic.record_services", "--output", str(fresh)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert fresh.read_bytes() == services.OUTPUT.read_bytes(), "run record_services to refresh"


def test_every_stage_ran_and_the_console_holds_every_flow(bundled_run: DemoRun) -> None:
    result = bundled_run.result
    assert result.digger["pairs"] == len(services.expected_pairs())
    assert result.statsclient["sent_batches"] >= 1
    assert result.statsclient["spooled_batches"] == 0
    found = {flow_key(f) for f in result.flows}
    # the same topology the end-to-end suite asserts: nothing unnamed, nothing extra
    assert found == {expected_key(p) for p in services.ROUND}


def test_every_sensitive_data_type_of_the_services_is_found(bundled_run: DemoRun) -> None:
    expected, found = expected_typed(), found_typed(bundled_run.result.flows)
    assert {k[2] for k in expected} <= {k[2] for k in found}
    recall = len(expected & found) / len(expected)
    wrong = found - expected - ALSO_CORRECT
    precision = 1 - len(wrong) / len(found)
    assert recall >= 0.85, sorted(expected - found)
    assert precision >= 0.98, sorted(wrong)
    for key, forbidden in FORBIDDEN.items():
        assert not {t for k, _, t in found if k == key} & forbidden, key


def test_non_sensitive_fields_stay_untyped(bundled_run: DemoRun) -> None:
    typed = {place for _, place, _ in found_typed(bundled_run.result.flows)}
    for place in (
        "resp:$.order_id",
        "resp:$.status",
        "resp:$.payment_id",
        "req:$.amount",
        "req:$.currency",
        "resp:$.token_type",
        "resp:$.expires_in",
        "req:$.order_ref",
    ):
        assert place not in typed, place  # fmt: skip
    assert not any(p.endswith(".sku") or p.endswith(".qty") for p in typed)


def test_console_api_and_page_show_the_data_types(bundled_run: DemoRun) -> None:
    url = bundled_run.console.url
    auth = {"Authorization": f"Bearer {bundled_run.result.api_token}"}
    request = urllib.request.Request(url + "/api/v1/datatypes", headers=auth)
    with urllib.request.urlopen(request, timeout=5) as response:
        types = {row["type_id"] for row in json.loads(response.read())["datatypes"]}
    assert {"email", "credit_card_number", "iban", "us_ssn", "medication"} <= types
    with urllib.request.urlopen(urllib.request.Request(url + "/", headers=auth), timeout=5) as r:
        page = r.read().decode()
    assert "credit_card_number" in page
    assert "api.paygate.example" in page


@pytest.mark.slow
def test_demo_command_prints_the_summary(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["proto", "."])}
    done = subprocess.run(
        [sys.executable, "-m", "sensor_core", "demo", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "dsensor demo: 48 pairs from services.pcap" in out
    assert "credit_card_number" in out
    assert "payments/payments -> external/api.paygate.example" in out
    assert "console: http://127.0.0.1:" in out
    assert (tmp_path / "data" / "console.db").exists()


def test_demo_reports_a_broken_capture_clearly(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sensor_core.cli import main

    broken = tmp_path / "broken.pcap"
    broken.write_bytes(b"\xd4\xc3\xb2\xa1" + b"\x00" * 10)
    result = CliRunner().invoke(main, ["demo", "--pcap", str(broken), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "demo failed" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_demo_serve_keeps_the_dashboard_up_until_sigterm(tmp_path: Path) -> None:
    import json as json_module
    import re
    import signal

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["proto", "."])}
    argv = [sys.executable, "-m", "sensor_core", "demo", "--serve", "--port", "0"]
    argv += ["--data-dir", str(tmp_path)]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        url = ""
        for line in proc.stdout:
            found = re.match(r"console: (http://127\.0\.0\.1:\d+)  \(Ctrl-C to stop\)", line)
            if found:
                url = found.group(1)
                break
        assert url, "the demo never printed its console URL"
        login = re.match(r"log in as admin with password (\S+)", next(proc.stdout))
        token = re.search(r"Bearer (\S+)'", next(proc.stdout))
        assert login is not None, "the demo did not say how to log in"
        assert token is not None, "the demo did not print its API token"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/api/v1/flows", timeout=5).close()
        assert refused.value.code == 401
        refused.value.close()
        headers = {"Authorization": f"Bearer {token.group(1)}"}
        flows_request = urllib.request.Request(url + "/api/v1/flows", headers=headers)
        with urllib.request.urlopen(flows_request, timeout=5) as response:
            assert len(json_module.loads(response.read())["flows"]) == len(services.ROUND)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopping" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
