"""`dsensor demo --live`: the sample services in namespaces, captured live, cleaned up on every
exit; without root a clear refusal."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

import pytest
from click.testing import CliRunner

from examples.sample_traffic import record_services as services
from sensor_core import netns
from sensor_core.cli import main
from sensor_core.demo_live import SERVICES, WORKLOADS
from tests.demo.datamap import expected_key, expected_typed, flow_key, found_typed
from tests.harness.prereq import require_binary, require_root

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(["proto", "."])}


def _demo(*args: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "sensor_core", "demo", "--live", *args]
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV
    )


@pytest.fixture
def live_prerequisites() -> None:
    require_root("dsensor demo --live")
    require_binary("ip")


def _line(stream: IO[str], pattern: str, what: str) -> re.Match[str]:
    for line in stream:
        found = re.match(pattern, line)
        if found:
            return found
    raise AssertionError(f"the demo never printed {what}")


def _wait_gone(pid: int, timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := netns.existing(f"{netns.PREFIX}{pid}-")) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_live_names_the_services_as_the_recording_does() -> None:
    """Live and replay show one topology: the same console names for the same services."""
    live = {s: f"{ns}/{name}" for s, (ns, name, _) in WORKLOADS.items()}
    assert live == services.CONSOLE_NAMES
    assert sorted(SERVICES) == sorted(services.PODS)


def test_live_without_root_is_refused_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if os.geteuid() == 0:  # as root, the command is shown a user id that is not
        monkeypatch.setattr("sensor_core.demo_live.os.geteuid", lambda: 1000)
    result = CliRunner().invoke(main, ["demo", "--live", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "needs root" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # refused before anything started


def test_live_takes_no_capture_file(tmp_path: Path) -> None:
    capture = tmp_path / "x.pcap"
    capture.write_bytes(b"")
    result = CliRunner().invoke(main, ["demo", "--live", "--pcap", str(capture)])
    assert result.exit_code == 2
    assert "takes no --pcap" in result.output


@pytest.mark.privileged
@pytest.mark.slow
def test_live_demo_captures_the_services_and_cleans_up(
    live_prerequisites: None, tmp_path: Path
) -> None:
    proc = _demo("--seconds", "3", "--serve", "--port", "0", "--data-dir", str(tmp_path))
    try:
        assert proc.stdout is not None
        headline = _line(proc.stdout, r"dsensor demo --live: (\d+) pairs .*\((\d+) requests sent, "
                         r"(\d+) failed\)", "its headline")  # fmt: skip
        pairs, requests, failed = (int(g) for g in headline.groups())
        assert requests >= len(services.ROUND) // 2
        assert failed == 0
        # every request the driver sent, and the calls it caused, captured once (no duplicates
        # from the two veths each packet crosses)
        assert pairs == requests * 2, "a pair was lost or captured twice"
        url = _line(proc.stdout, r"console: (http://127\.0\.0\.1:\d+)  \(Ctrl-C", "its URL")[1]
        next(proc.stdout)
        token = _line(proc.stdout, r"API: curl -H 'Authorization: Bearer (\S+)'", "a token")[1]
        assert _wait_gone(proc.pid, 0) == []  # removed as soon as the capture ended
        request = urllib.request.Request(
            url + "/api/v1/flows?limit=1000", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            flows: list[dict[str, Any]] = json.loads(response.read())["flows"]
        assert {flow_key(f) for f in flows} == {expected_key(p) for p in services.ROUND}
        expected, found = expected_typed(), found_typed(flows)
        assert len(expected & found) / len(expected) >= 0.85, sorted(expected - found)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert _wait_gone(proc.pid, 0) == []


@pytest.mark.privileged
@pytest.mark.slow
def test_live_demo_cleans_up_on_sigterm_mid_capture(
    live_prerequisites: None, tmp_path: Path
) -> None:
    proc = _demo("--seconds", "120", "--data-dir", str(tmp_path))
    try:
        deadline = time.monotonic() + 40
        names: list[str] = []
        while len(names) < len(SERVICES) and time.monotonic() < deadline:
            time.sleep(0.2)
            names = netns.existing(f"{netns.PREFIX}{proc.pid}-")
        assert len(names) == len(SERVICES), "the demo never created its namespaces"
        time.sleep(2)  # services starting, capture running
        pids = [int(p) for name in names for p in netns.ip_cmd("netns", "pids", name).split()]
        assert pids, "no service runs in the namespaces"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err[-2000:]
        assert "namespaces and processes removed" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert _wait_gone(proc.pid, 0) == []
    assert not [p for p in pids if Path(f"/proc/{p}").exists()]


@pytest.mark.privileged
def test_namespaces_of_a_killed_run_are_removed(live_prerequisites: None) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = f"{netns.PREFIX}{gone.pid}-leftover"
    netns.ip_cmd("netns", "add", stale)
    try:
        assert stale in netns.existing()
        assert netns.remove_stale() >= 1
        assert stale not in netns.existing()
    finally:
        subprocess.run(["ip", "netns", "del", stale], capture_output=True, check=False)
