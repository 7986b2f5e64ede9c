"""The `detection-tool` console script: starts from a config file, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

pytestmark = pytest.mark.integration

CONFIG = """
grpc: {host: 127.0.0.1, port: 0}
http: {host: 127.0.0.1, port: 0}
logging: {format: json}
"""


def test_service_runs_and_stops_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "detection-tool.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    code = "from detection_tool.cli import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--config", str(config)],
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        started = json.loads(first) if first.startswith("{") else {}
        assert started.get("event") == "detection_tool_started", first
        with grpc.insecure_channel(f"127.0.0.1:{started['grpc_port']}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=5
            )
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def test_bad_config_exits_2_and_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("grpc: {port: 70000}\n", encoding="utf-8")
    code = "from detection_tool.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", code, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert run.returncode == 2
    assert "grpc.port" in run.stderr
