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
    env["SVRN_CONSOLE_DATABASE_URL"] = "mysql://user:hunter2@db/console"
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


def test_user_and_token_commands_write_the_console_database(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sensor_console.cli import main
    from sensor_console.server import ConsoleServer
    from tests.console.builders import console_settings, request

    settings = console_settings(tmp_path)
    config = tmp_path / "console.yaml"
    config.write_text(yaml.safe_dump({"datadir": str(settings.datadir)}))
    runner = CliRunner()
    added = runner.invoke(
        main,
        ["--config", str(config), "user", "add", "ops", "--role", "admin", "--password-stdin"],
        input="a sufficiently long password\n",
    )
    assert added.exit_code == 0, added.output
    assert "a sufficiently long password" not in added.output
    short = runner.invoke(
        main, ["--config", str(config), "user", "add", "ops2", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "a password needs 10 to 1024 characters" in short.output
    created = runner.invoke(main, ["--config", str(config), "token", "create", "ci"])
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    assert token.startswith("dsc_")
    again = runner.invoke(main, ["--config", str(config), "token", "create", "ci"])
    assert again.exit_code == 1
    assert "a token with this name exists" in again.output

    with ConsoleServer(settings) as console:
        assert request(console.url + "/api/v1/me", token=token)[0] == 200
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, _ = request(
            console.url + "/login",
            "POST",
            body=b"username=ops&password=a+sufficiently+long+password",
            headers=form,
        )
        assert status == 303


def test_retention_deletes_what_was_not_seen_for_too_long(tmp_path: Path) -> None:
    import time

    from sensor_console.storage import Store
    from tests.console.builders import batch, data_asset, flow

    store = Store(tmp_path / "c.db")
    now = time.time_ns()
    store.apply_batch(batch([flow("/old", first=now - 10**12, last=now - 10**12)]))
    store.apply_batch(batch([flow("/new", first=now, last=now)], assets=[data_asset()]))
    gone = store.purge(max_age=100.0, event_age=0.0)
    assert gone["endpoints"] == 1
    assert gone["data_assets"] == 1  # scanned at builders.NANOS, long ago
    assert [f.path_template for f in store.data_map()] == ["/new"]
    assert store.purge(max_age=0.0, event_age=0.0) == {}
    store.close()
