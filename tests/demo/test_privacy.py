"""The privacy invariant, end to end: canary values planted in the capture appear nowhere
the pipeline writes — metadata, the console's database, API responses, the page, metrics, logs,
the stats spool or the command's output."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.sample_traffic import make_sample_pcap as sample
from tests.demo.conftest import DemoRun, run_demo


def _canaries() -> dict[str, str]:
    """Unique values, each still of its type so the detector types the field it sits in."""
    rng = random.Random()
    tag = "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    return {
        "person_name": f"Qor{tag.title()} Vexlimund",
        "email": f"{tag}.vexlimund@canary-mail.test",
        "phone_number": f"+1-415-555-{rng.randrange(1000, 9999)}",
        "password": f"Pw-{tag}-Zq9!",
        "bearer_token": f"tok{tag}{rng.randrange(10**12, 10**13)}abcDEF",
        "credit_card_number": sample.luhn_complete("4929", 16, rng),
        "iban": "GB82WEST12345698765432",
        "us_ssn": f"{rng.randrange(100, 600)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
    }


def _needles(canaries: dict[str, str]) -> dict[str, list[bytes]]:
    """Each canary and its telling pieces: digits of numbers, distinctive words of text."""
    out: dict[str, list[bytes]] = {}
    for key, value in canaries.items():
        pieces = {value}
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 9:
            pieces.update({digits, digits[-8:], digits[:8]})
        pieces.update(
            word for word in value.replace("@", " ").replace(".", " ").split() if len(word) >= 8
        )
        out[key] = [p.encode() for p in pieces]
    return out


@pytest.fixture(scope="module")
def canaries() -> dict[str, str]:
    return _canaries()


@pytest.fixture(scope="module")
def canary_run(
    tmp_path_factory: pytest.TempPathFactory, canaries: dict[str, str]
) -> Iterator[DemoRun]:
    base = tmp_path_factory.mktemp("canary")
    capture = sample.build_demo_capture(base / "canary.pcap", canaries)
    yield from run_demo(capture, base / "data")


def _assert_clean(where: str, data: bytes, canaries: dict[str, str]) -> None:
    for key, needles in _needles(canaries).items():
        for needle in needles:
            assert needle not in data, f"{key} canary found in {where}"


def test_canaries_are_in_the_capture_and_typed(
    canary_run: DemoRun, canaries: dict[str, str]
) -> None:
    """The test is only meaningful if the values really went through the pipeline."""
    raw = canary_run.result.flows
    typed = {
        (field["path"], t["type_id"])
        for flow in raw
        for direction in ("request", "response")
        for field in flow[direction]
        for t in field["data_types"]
    }
    for key, (_, _, path) in sample.CANARY_FIELDS.items():
        assert (path, key) in typed, f"{key} at {path} was not detected"


def test_no_canary_leaves_the_detector(canary_run: DemoRun, canaries: dict[str, str]) -> None:
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
def test_no_canary_in_the_command_output(tmp_path: Path, canaries: dict[str, str]) -> None:
    capture = sample.build_demo_capture(tmp_path / "canary.pcap", canaries)
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
