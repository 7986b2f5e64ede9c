"""`dsensor scan` and `crawler`: output formats, exit status, configuration errors, schedule."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from sensor_dar.cli import main, scan_command
from sensor_dar.service import CrawlerService
from sensor_dar.settings import CrawlerSettings
from tests.crawler.conftest import SeededPostgres

PASSWORD = "hunter2-Xq7-pw"
CONTRACT_KEYS = ["source", "instance", "asset", "sampled", "fields"]


def test_json_lines_are_exactly_the_contract(seeded_postgres: SeededPostgres) -> None:
    result = CliRunner().invoke(
        scan_command, ["--format", "json", "--postgres", seeded_postgres.scanner_dsn], env={}
    )
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(line) == CONTRACT_KEYS for line in lines)
    by_asset = {line["asset"]: line for line in lines}
    customers = by_asset[f"{seeded_postgres.database}.shop.customers"]
    assert customers["source"] == "postgres"
    assert customers["sampled"] == 40
    assert "email" in customers["fields"]["$.email"]
    assert "street_address" in customers["fields"]["$.profile.address.street"]
    assert all(types for types in customers["fields"].values())
    # the unreadable table is named on stderr, not in the JSON lines' format
    assert by_asset[f"{seeded_postgres.database}.shop.vault_secrets"]["sampled"] == 0


def test_table_for_people(seeded_postgres: SeededPostgres) -> None:
    result = CliRunner().invoke(
        scan_command, ["--postgres", seeded_postgres.scanner_dsn, "--max-records", "10"], env={}
    )
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0].split() == [
        "SOURCE", "ASSET", "FIELD", "DATA", "TYPES", "CONFIDENCE", "SENSITIVITY"
    ]  # fmt: skip
    assert "shop.customers" in out
    assert "$.card_number" in out
    assert "permission_denied" in out
    assert "sampled records:" in out


def test_unreachable_source_exits_1_and_says_why() -> None:
    result = CliRunner().invoke(
        scan_command,
        ["--format", "json", "--postgres", f"postgresql://u:{PASSWORD}@127.0.0.1:1/db"],
        env={},
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "postgres:127.0.0.1:1: not scanned (unreachable)" in result.stderr
    assert PASSWORD not in result.output


def test_bad_configuration_exits_2_without_echoing() -> None:
    runner = CliRunner()
    bad_env = {"SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES": json.dumps(
        [{"connectionString": f"mysql://root:{PASSWORD}@db/x"}])}  # fmt: skip
    for command in (scan_command, main):
        result = runner.invoke(command, [], env=bad_env)
        assert result.exit_code == 2
        assert "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES: entry 0 field 'connectionString'" in (
            result.stderr
        )
        assert PASSWORD not in result.output
    flag = runner.invoke(scan_command, ["--postgres", f"redis://x:{PASSWORD}@h"], env={})
    assert flag.exit_code == 2
    assert "--postgres entry 0" in flag.stderr
    assert PASSWORD not in flag.output


def test_nothing_to_scan_and_unknown_source_kind() -> None:
    runner = CliRunner()
    empty = runner.invoke(scan_command, [], env={})
    assert empty.exit_code == 2
    assert "nothing to scan" in empty.stderr
    unknown = runner.invoke(scan_command, ["--source", "mysql", "--kafka", "k:1"], env={})
    assert unknown.exit_code == 2
    assert "unknown source kind(s) mysql" in unknown.stderr


def test_service_schedules_by_checkinterval(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    now = [1_000_000.0]
    settings = CrawlerSettings.model_validate(
        {
            "datadir": str(tmp_path),
            "http": {"host": "127.0.0.1", "port": 0},
            "checkinterval": "1h",
            "statsclient": {"address": "127.0.0.1:1", "timeout": "200ms"},
            "crawl": {"database": {"postgres": [
                {"name": "pg", "connectionString": seeded_postgres.scanner_dsn,
                 "checkinterval": "2h"}]},
                "kafka": [{"instancename": "gone", "brokers": ["127.0.0.1:1"]}]},
            "sampling": {"timeout": "1s"},
        }
    )  # fmt: skip
    service = CrawlerService(settings, clock=lambda: now[0])
    pg, kafka = sorted(service.connections, key=lambda c: c.kind != "postgres")
    assert (service.due_in(pg), service.due_in(kafka)) == (0.0, 0.0)
    service.run(max_passes=1)
    assert service.due_in(pg) == 2 * 3600
    # the unreachable cluster is retried soon, not after its whole interval
    assert 0 < service.due_in(kafka) <= 30
    now[0] += 2 * 3600
    assert service.due_in(pg) == 0.0
    # unsent metadata waits in the spool under the data directory
    assert any((tmp_path / "spool").rglob("*"))


def test_service_serves_probes_and_stops_on_request(tmp_path: Path) -> None:
    settings = CrawlerSettings.model_validate(
        {
            "datadir": str(tmp_path),
            "statsclient": {"address": "127.0.0.1:1"},
            "http": {"host": "127.0.0.1", "port": 0},
        }
    )
    service = CrawlerService(settings)
    thread = threading.Thread(target=service.run)
    thread.start()
    deadline = time.monotonic() + 10
    while not service.http_port and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{service.http_port}"
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200
    with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
        assert b"dsensor_crawler_statsclient_total" in response.read()
    service.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_crawler_command_runs_until_sigterm_and_exits_0(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    import yaml

    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "datadir": str(tmp_path / "data"),
                "statsclient": {"address": "127.0.0.1:1"},
                "http": {"host": "127.0.0.1", "port": 0},
                "logging": {"format": "json"},
            }
        )
    )
    crawler = Path(sys.executable).with_name("crawler")
    proc = subprocess.Popen(
        [str(crawler), "--config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        time.sleep(2)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert b"crawler_stopping" in err
