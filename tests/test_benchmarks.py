"""The benchmarks run at a smoke size in CI: they must keep working and print their figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.prereq import require_binary, require_root

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        (
            "detection.py",
            [
                "--documents",
                "40",
                "--tables",
                "5",
                "--presidio-fields",
                "30",
                "--batch",
                "10",
                "--quiet",
            ],
            [
                "detector build",
                "plain-Python build",
                "macro-F1",
                "fields per CPU-second",
                "presidio",
            ],
        ),
        ("api_payloads.py", ["--list"], ["macro-F1", "unlabelled fields flagged", "misses"]),
        (
            "api_payloads.py",
            ["--data", str(ROOT / "benchmarks" / "data" / "api_payloads_holdout.jsonl")],
            ["api_payloads_holdout.jsonl", "macro-F1", "unlabelled fields flagged"],
        ),
        ("digger.py", ["--pairs", "200"], ["sampling off", "sampling on", "pairs/s"]),
        (
            "digger.py",
            ["--pairs", "200", "--sampling", "on", "--budget", "5", "--diggers", "2"],
            ["sampling on", "analysed", "pairs/s", "2 diggers in one group"],
        ),
        (
            "crawler.py",
            ["--tables", "20", "--objects", "100"],
            ["assets/s", "records/s", "baseline"],
        ),
        (
            "interceptor.py",
            ["--packets", "2000", "--concurrent", "50", "--scapy-packets", "200"],
            ["packets/s per core", "Kafka producer", "plain Python", "scapy TCPSession", "tshark"],
        ),
        (
            "console.py",
            ["--batches", "2", "--assets", "20", "--fields", "400", "--rounds", "3"],
            ["fields/s", "baseline", "p95"],
        ),
    ],
)
def test_benchmark_smoke(script: str, args: list[str], expected: list[str]) -> None:
    run_and_check(script, args, expected)


@pytest.mark.slow
@pytest.mark.privileged
def test_e2e_benchmark_smoke() -> None:
    require_root("the end-to-end load benchmark builds network namespaces")
    require_binary("tcpreplay-edit")
    run_and_check(
        "e2e.py",
        ["--rates", "500", "--seconds", "1", "--drain", "30"],
        ["coverage", "captured", "baseline tcpreplay", "peak RSS"],
    )


def run_and_check(script: str, args: list[str], expected: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "proto"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for word in expected:
        assert word in done.stdout
