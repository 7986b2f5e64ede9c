"""The `console` command as a process: starts from a config file, stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.console.builders import get


def test_console_command_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "console.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "grpc": {"host": "127.0.0.1", "port": 0},
                "http": {"host": "127.0.0.1", "port": 0},
                "datadir": str(tmp_path / "data"),
                "logging": {"format": "json"},
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVRN_")}
    env["SVRN_CONSOLE_SENSORTOKENS"] = '[{"sensorid": "s1", "token": "t-1"}]'
    proc = subprocess.Popen(
        [sys.executable, "-c", "from sensor_console.cli import main; main()", "--config", config],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert proc.stderr is not None
        started = None
        deadline = time.monotonic() + 30
        while started is None and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            event = json.loads(line)
            if event.get("event") == "console_started":
                started = event
        assert started is not None, "console did not start"
        assert started["sensors"] == 1
        status, _, body = get(f"http://127.0.0.1:{started['http_port']}/healthz")
        assert (status, body) == (200, b"ok\n")
        assert (tmp_path / "data" / "console.db").exists()
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        assert proc.wait(timeout=20) == 0
        assert "console_stopped" in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def test_console_command_reports_bad_config_without_values(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVRN_")}
    env["SVRN_CONSOLE_DATABASE_URL"] = "postgresql://user:hunter2@db/console"
    result = subprocess.run(
        [sys.executable, "-c", "from sensor_console.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "SVRN_CONSOLE_DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr
