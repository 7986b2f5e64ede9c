"""The privacy invariant, end to end: canary values planted in the capture appear nowhere
the pipeline writes — metadata, the console's database, API responses, the page, metrics, logs,
the stats spool or the command's output."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from examples.sample_traffic import record_services as services
from examples.services.fakedata import MIN_NEEDLE, Canaries
from tests.demo.conftest import DemoRun, run_demo
from tests.demo.datamap import expected_key, found_typed


def _needles(canaries: Canaries) -> dict[str, list[bytes]]:
    """Each canary, its hex digests (Canaries.needles) and its telling pieces: the digits of
    numbers, the distinctive words of text."""
    out: dict[str, list[bytes]] = {}
    for key, value in asdict(canaries).items():
        if len(value) < MIN_NEEDLE:  # a CVV or a postal code occurs anywhere by chance
            continue
        pieces = {value}
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 9:
            pieces.update({digits, digits[-8:], digits[:8]})
        pieces.update(
            word for word in value.replace("@", " ").replace(".", " ").split() if len(word) >= 8
        )
        out[key] = [p.encode() for p in pieces]
    out["digests"] = canaries.needles()
    return out


def record_capture(canaries: Canaries, directory: Path) -> Path:
    """The services recorded with `canaries` (in a process of its own, as the script runs)."""
    values, capture = directory / "canaries.json", directory / "canary.pcap"
    canaries.save(values)
    done = subprocess.run(
        [sys.executable, "-m", "examples.sample_traffic.record_services",
         "--canaries", str(values), "--output", str(capture), "--rounds", "3"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    values.unlink()
    return capture


@pytest.fixture(scope="module")
def canaries() -> Canaries:
    return Canaries.generate()


@pytest.fixture(scope="module")
def canary_run(tmp_path_factory: pytest.TempPathFactory, canaries: Canaries) -> Iterator[DemoRun]:
    base = tmp_path_factory.mktemp("canary")
    yield from run_demo(record_capture(canaries, base), base / "data")


def _assert_clean(where: str, data: bytes, canaries: Canaries) -> None:
    for key, needles in _needles(canaries).items():
        for needle in needles:
            assert needle not in data, f"{key} canary found in {where}"


def test_canaries_are_in_the_capture_and_typed(canary_run: DemoRun, canaries: Canaries) -> None:
    """The test is only meaningful if the values really went through the pipeline."""
    assert canaries.card_number.encode() in canary_run.capture.read_bytes()
    typed = found_typed(canary_run.result.flows)
    names = services.CONSOLE_NAMES
    for key, (client, server, place, type_id) in services.CANARY_FIELDS.items():
        flow = next(expected_key(p) for p in services.ROUND
                    if (names[p.client], names[p.server]) == (names[client], names[server])
                    and place in p.types)  # fmt: skip
        assert (flow, place, type_id) in typed, f"{key} at {place} was not detected"


def test_no_canary_leaves_the_detector(canary_run: DemoRun, canaries: Canaries) -> None:
    url = canary_run.console.url
    for route in ("/", "/api/v1/flows", "/api/v1/datatypes", "/api/v1/sensors", "/metrics"):
        headers = {"Authorization": f"Bearer {canary_run.result.api_token}"}
        request = urllib.request.Request(url + route, headers=headers)
        with urllib.request.urlopen(request, timeout=5) as response:
            _assert_clean(f"console {route}", response.read(), canaries)
    files = [p for p in canary_run.data_dir.rglob("*") if p.is_file()]
    assert any(p.name.startswith("console.db") for p in files)
    for path in files:
        _assert_clean(str(path.relative_to(canary_run.data_dir)), path.read_bytes(), canaries)
    logs = canary_run.logs.getvalue()
    assert "demo_run" in logs  # debug logging was on and captured
    _assert_clean("logs", logs.encode(), canaries)
    _assert_clean("result", repr(canary_run.result).encode(), canaries)


@pytest.mark.slow
def test_no_canary_in_the_command_output(tmp_path: Path, canaries: Canaries) -> None:
    capture = record_capture(canaries, tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["proto", "."])}
    done = subprocess.run(
        [sys.executable, "-m", "sensor_core", "demo", "--pcap", str(capture),
         "--data-dir", str(tmp_path / "data"), "--log-level", "debug"],
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"credit_card_number" in done.stdout
    _assert_clean("stdout", done.stdout, canaries)
    _assert_clean("stderr", done.stderr, canaries)
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            _assert_clean(str(path), path.read_bytes(), canaries)
