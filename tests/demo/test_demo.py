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

from examples.sample_traffic import make_sample_pcap as sample
from tests.demo.conftest import DemoRun

# typed fields the ground truth does not list but that are right to report
ALSO_CORRECT = {
    ("users", "GET", "response", "$.address.postal_code", "postal_code"),
    ("orders", "GET", "response", "$.orders[*].customer.address.street", "street_address"),
    ("orders", "GET", "response", "$.orders[*].customer.address.postal_code", "postal_code"),
    ("orders", "POST", "request", "$.shipping_address.postal_code", "postal_code"),
    ("orders", "GET", "request", "query.customer_id", "user_id"),
    ("kyc", "POST", "request", "$.address.street", "street_address"),
    ("kyc", "POST", "request", "$.address.postal_code", "postal_code"),
    ("stripe-like", "POST", "request", "$.billing.address.street", "street_address"),
    ("stripe-like", "POST", "request", "$.billing.address.postal_code", "postal_code"),
    ("stripe-like", "POST", "response", "$.last4", "masked_card_number"),
    ("stripe-like", "POST", "response", "$.token", "generic_secret"),
    ("users", "POST", "request", "$.address.postal_code", "postal_code"),
}
EXTERNAL_NAMES = {"api.stripe-like.example": "stripe-like"}

Key = tuple[str, str, str, str, str]  # server, method, direction, path, type


def _expected() -> set[Key]:
    out: set[Key] = set()
    for pair in sample.expected_pairs(selected_only=True):
        for direction, types in (
            ("request", pair.request_types),
            ("response", pair.response_types),
        ):
            out.update((pair.server, pair.method, direction, p, t) for p, t in types.items())
    return out


def _found(run: DemoRun) -> set[Key]:
    out: set[Key] = set()
    for flow in run.result.flows:
        server = EXTERNAL_NAMES.get(flow["destination"]["name"], flow["destination"]["name"])
        for direction in ("request", "response"):
            for field in flow[direction]:
                out.update(
                    (server, flow["method"], direction, field["path"], t["type_id"])
                    for t in field["data_types"]
                )
    return out


def test_every_stage_ran_and_the_console_holds_every_flow(bundled_run: DemoRun) -> None:
    result = bundled_run.result
    assert result.digger["pairs"] == len(sample.expected_pairs(selected_only=True))
    assert result.statsclient["sent_batches"] >= 1
    assert result.statsclient["spooled_batches"] == 0
    endpoints = {(f["source"]["name"], f["method"], f["path_template"]) for f in result.flows}
    assert ("frontend", "GET", "/api/v1/users/{uuid}") in endpoints
    assert ("payments", "POST", "/v1/tokens") in endpoints
    external = [f["destination"] for f in result.flows if f["destination"]["external"]]
    assert [a["name"] for a in external] == ["api.stripe-like.example"]
    paths = {p for f in result.flows for p in (f["path_template"],)}
    assert not any("healthz" in p or "index.html" in p for p in paths)


def test_every_sensitive_data_type_of_the_sample_is_found(bundled_run: DemoRun) -> None:
    expected, found = _expected(), _found(bundled_run)
    assert {k[4] for k in expected} <= {k[4] for k in found}
    recall = len(expected & found) / len(expected)
    wrong = found - expected - ALSO_CORRECT
    precision = 1 - len(wrong) / len(found)
    assert recall >= 0.85, sorted(expected - found)
    assert precision >= 0.98, sorted(wrong)


def test_non_sensitive_fields_stay_untyped(bundled_run: DemoRun) -> None:
    typed = {k[3] for k in _found(bundled_run)}
    for path in ("$.order_id", "$.amount", "$.currency", "$.created_at", "$.status", "$.id"):
        assert path not in typed or path == "$.id"
    assert not any(p.endswith(".sku") or p.endswith(".price") for p in typed)


def test_console_api_and_page_show_the_data_types(bundled_run: DemoRun) -> None:
    url = bundled_run.console.url
    auth = {"Authorization": f"Bearer {bundled_run.result.api_token}"}
    request = urllib.request.Request(url + "/api/v1/datatypes", headers=auth)
    with urllib.request.urlopen(request, timeout=5) as response:
        types = {row["type_id"] for row in json.loads(response.read())["datatypes"]}
    assert {"email", "credit_card_number", "iban", "us_ssn"} <= types
    with urllib.request.urlopen(urllib.request.Request(url + "/", headers=auth), timeout=5) as r:
        page = r.read().decode()
    assert "credit_card_number" in page
    assert "api.stripe-like.example" in page


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
    assert "dsensor demo: 8 pairs from demo.pcap" in out
    assert "credit_card_number" in out
    assert "shop/orders -> compliance/kyc" in out
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
            assert len(json_module.loads(response.read())["flows"]) >= 7
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "stopping" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
