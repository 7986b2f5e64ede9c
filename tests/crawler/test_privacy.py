"""Canary test: values planted in PostgreSQL, S3 and Kafka reach no output of the crawler —
not the console's database, the scan output, the scan state, the stats spool or the logs."""

from __future__ import annotations

import io
import json
import secrets
import sqlite3
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from confluent_kafka import Producer

from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings
from sensor_dar.cli import scan_command
from sensor_dar.service import CrawlerService
from sensor_dar.settings import CrawlerSettings
from tests.crawler.conftest import SeededPostgres
from tests.crawler.seed import Canaries, People, csv_bytes, gz, ndjson
from tests.harness.kafka import KafkaBroker
from tests.harness.s3 import S3Server


def _needles(canaries: Canaries, people: People) -> list[bytes]:
    pieces = {canaries.tag, *people.planted}
    for value in people.planted:
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 12:
            pieces.update({digits, digits[:8], digits[-8:]})
    return [p.encode() for p in pieces]


@pytest.fixture
def stores(
    seeded_postgres: SeededPostgres, s3_server: S3Server, kafka_broker: KafkaBroker, people: People
) -> dict[str, object]:
    rows = people.people(20, start=500)
    bucket = f"canary-{uuid.uuid4().hex[:8]}"
    client = s3_server.client()
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="people/a.ndjson.gz", Body=gz(ndjson(rows)))
    client.put_object(Bucket=bucket, Key="people/b.csv", Body=csv_bytes(rows))
    topic = kafka_broker.new_topic("canary")
    producer = Producer(kafka_broker.producer_config())
    for r in rows:
        producer.produce(topic, key=str(r["email"]).encode(), value=json.dumps(r).encode())
    assert producer.flush(15) == 0
    return {
        "crawl": {
            "database": {
                "postgres": [{"name": "pg", "connectionString": seeded_postgres.scanner_dsn}]
            },
            "s3": [{"name": "lake", "url": s3_server.endpoint_url, "type": "minio",
                    "accesskeyid": s3_server.access_key,
                    "secretaccesskey": s3_server.secret_key, "buckets": [bucket]}],
            "kafka": [{"instancename": "bus", "brokers": [kafka_broker.bootstrap],
                       "topics": [topic]}],
        }
    }  # fmt: skip


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_no_value_leaves_the_crawler(
    stores: dict[str, object], tmp_path: Path, canaries: Canaries, people: People
) -> None:
    logs = io.StringIO()
    configure_logging(LoggingSettings(level="debug", format="json"), stream=logs)
    token = secrets.token_urlsafe(16)
    console_dir, crawler_dir = tmp_path / "console", tmp_path / "crawler"
    demo = DemoSettings(capture=bundled_capture(), data_dir=console_dir, log=LoggingSettings())
    with running_console(demo, token) as console:
        settings = CrawlerSettings.model_validate(
            {
                **stores,
                "datadir": str(crawler_dir),
                "http": {"host": "127.0.0.1", "port": 0},
                "statsclient": {"address": f"127.0.0.1:{console.grpc_port}", "token": token,
                                "sensorid": SENSOR_ID},
            }
        )  # fmt: skip
        service = CrawlerService(settings)
        service.run(max_passes=1)
        with sqlite3.connect(console_dir / "console.db") as db:
            stored = db.execute("SELECT source, COUNT(*) FROM data_assets GROUP BY source")
            counts = dict(stored.fetchall())
            typed = db.execute("SELECT COUNT(*) FROM data_asset_field_types").fetchone()[0]
        db.close()
    # the run was real: every source reached the console, with data types
    assert set(counts) == {"postgres", "s3", "kafka"}
    assert typed > 10

    runner = CliRunner()
    env = {"SVRN_CRAWLER_CRAWL_" + k.upper(): json.dumps(v) for k, v in stores["crawl"].items()}  # type: ignore[attr-defined]
    env["SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES"] = json.dumps(
        stores["crawl"]["database"]["postgres"]  # type: ignore[index]
    )
    del env["SVRN_CRAWLER_CRAWL_DATABASE"]
    outputs = []
    state_args = ["--incremental", "--data-dir", str(crawler_dir / "scan")]
    for args in (["--format", "json", *state_args], ["--format", "table"]):
        result = runner.invoke(scan_command, [*args, "--log-level", "debug"], env=env)
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout + result.stderr)
    assert '"source":"postgres"' in outputs[0]
    assert "credit_card_number" in outputs[1]

    haystacks = {"logs": logs.getvalue().encode(), "json": outputs[0].encode(),
                 "table": outputs[1].encode()}  # fmt: skip
    for path in _files(console_dir) + _files(crawler_dir):
        haystacks[str(path)] = path.read_bytes()
    assert any("state.json" in name for name in haystacks)
    leaks = [
        (name, needle.decode())
        for name, hay in haystacks.items()
        for needle in _needles(canaries, people)
        if needle in hay
    ]
    assert leaks == []
