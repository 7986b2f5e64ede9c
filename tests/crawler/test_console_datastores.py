"""A real crawl of PostgreSQL, S3 and Kafka into a real console: the data-stores API and page
show every asset the crawler scanned, with its fields, data types, counts and sizes."""

from __future__ import annotations

import html
import json
import secrets
import uuid
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console
from sensor_core.sections import LoggingSettings
from sensor_dar import hookimpl
from sensor_dar.manager import CrawlerPlugins
from sensor_dar.model import AssetResult
from sensor_dar.service import CrawlerService
from sensor_dar.settings import CrawlerSettings
from tests.console.builders import get, get_json
from tests.crawler.conftest import SeededPostgres
from tests.crawler.seed import People, csv_bytes, ndjson
from tests.harness.kafka import KafkaBroker
from tests.harness.s3 import S3Server


class Observer:
    """Keeps what the crawler handed on (through the `asset_scanned` hook)."""

    def __init__(self) -> None:
        self.results: list[AssetResult] = []

    @hookimpl
    def asset_scanned(self, result: AssetResult) -> None:
        self.results.append(result)


@pytest.fixture
def stores(
    seeded_postgres: SeededPostgres, s3_server: S3Server, kafka_broker: KafkaBroker, people: People
) -> dict[str, Any]:
    rows = people.people(12, start=700)
    bucket = f"stores-{uuid.uuid4().hex[:8]}"
    client = s3_server.client()
    client.create_bucket(Bucket=bucket)
    objects = {f"people/{1000 + i}.ndjson": ndjson(rows[i * 3 : i * 3 + 3]) for i in range(4)}
    objects["export/people.csv"] = csv_bytes(rows)
    for key, body in objects.items():
        client.put_object(Bucket=bucket, Key=key, Body=body)
    topic = kafka_broker.new_topic("stores")
    producer = Producer(kafka_broker.producer_config())
    for r in rows:
        producer.produce(topic, value=json.dumps({"contact": r["email"]}).encode())
    assert producer.flush(15) == 0
    admin = AdminClient({"bootstrap.servers": kafka_broker.bootstrap})
    partitions = len(admin.list_topics(topic, timeout=10).topics[topic].partitions)
    return {
        "crawl": {
            "database": {
                "postgres": [{"name": "pg", "connectionString": seeded_postgres.scanner_dsn,
                              "includeviews": True}]
            },
            "s3": [{"name": "lake", "url": s3_server.endpoint_url, "type": "minio",
                    "accesskeyid": s3_server.access_key,
                    "secretaccesskey": s3_server.secret_key, "buckets": [bucket]}],
            "kafka": [{"instancename": "bus", "brokers": [kafka_broker.bootstrap],
                       "topics": [topic]}],
        },
        "expected": {
            "bucket": bucket, "topic": topic, "partitions": partitions, "messages": len(rows),
            "ndjson_bytes": sum(len(v) for k, v in objects.items() if k.endswith(".ndjson")),
            "csv_bytes": len(objects["export/people.csv"]),
        },
    }  # fmt: skip


def _crawl_into_console(
    stores: dict[str, Any], tmp_path: Path
) -> tuple[list[AssetResult], dict[str, dict[str, Any]], str]:
    token = secrets.token_urlsafe(16)
    demo = DemoSettings(
        capture=bundled_capture(), data_dir=tmp_path / "console", log=LoggingSettings()
    )
    observer = Observer()
    with running_console(demo, token) as console:
        settings = CrawlerSettings.model_validate(
            {
                "crawl": stores["crawl"],
                "datadir": str(tmp_path / "crawler"),
                "http": {"host": "127.0.0.1", "port": 0},
                "statsclient": {"address": f"127.0.0.1:{console.grpc_port}", "token": token,
                                "sensorid": SENSOR_ID},
            }
        )  # fmt: skip
        plugins = CrawlerPlugins(extra=[("observer", observer)])
        CrawlerService(settings, plugins).run(max_passes=1)
        listed = get_json(console, "/api/v1/datastores?limit=1000")
        status, _, page = get(console, "/datastores?limit=1000")
    assert status == 200
    assert listed["total"] == len(listed["datastores"])
    by_name = {f"{d['source']}|{d['instance']}|{d['asset']}": d for d in listed["datastores"]}
    return observer.results, by_name, page.decode()


def test_every_scanned_asset_on_the_data_stores_page(
    stores: dict[str, Any], seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    results, shown, page = _crawl_into_console(stores, tmp_path)
    expected = stores["expected"]
    # the console shows exactly the assets the crawler scanned, with what the crawler found
    assert {r.source for r in results} == {"postgres", "s3", "kafka"}
    assert set(shown) == {f"{r.source}|{r.instance}|{r.asset}" for r in results}
    for r in results:
        d = shown[f"{r.source}|{r.instance}|{r.asset}"]
        assert d["sampled"] == r.sampled
        assert d["bytes_read"] == r.bytes_read
        assert d["errors"] == sorted(r.errors)
        for name, value in (
            ("estimated_records", r.records_estimate),
            ("size_bytes", r.size_bytes),
            ("objects", r.objects),
            ("partitions", r.partitions),
        ):
            assert d[name] == (value if value >= 0 else None), (r.asset, name)
        fields = {f["path"]: f for f in d["fields"]}
        assert set(fields) == {f.path for f in r.fields}
        for f in r.fields:
            assert fields[f.path]["seen"] == f.seen
            shown_types = {t["type_id"]: t for t in fields[f.path]["data_types"]}
            assert set(shown_types) == {x.type_id for x in f.findings}
            for x in f.findings:
                assert shown_types[x.type_id]["sensitivity"] == x.sensitivity
        # every asset is a row of the page
        assert f"<code>{html.escape(r.asset)}</code>" in page

    # counts and sizes are the stores' own figures
    db = seeded_postgres.database
    customers = shown[f"postgres|pg|{db}.shop.customers"]
    assert customers["estimated_records"] == 40
    assert customers["size_bytes"] > 0
    assert customers["partitions"] is None
    assert customers["objects"] is None
    email = next(f for f in customers["fields"] if f["path"] == "$.email")
    assert [t["type_id"] for t in email["data_types"]] == ["email"]
    assert shown[f"postgres|pg|{db}.shop.vault_secrets"]["errors"] == ["permission_denied"]
    view = shown[f"postgres|pg|{db}.shop.customer_emails"]
    assert (view["estimated_records"], view["size_bytes"]) == (None, None)

    bucket = expected["bucket"]
    ndjson_group = shown[f"s3|lake|{bucket}/people/{{id}}.ndjson"]
    assert ndjson_group["objects"] == 4
    assert ndjson_group["size_bytes"] == expected["ndjson_bytes"]
    assert ndjson_group["estimated_records"] is None
    assert 0 < ndjson_group["bytes_read"] <= expected["ndjson_bytes"]
    csv_group = shown[f"s3|lake|{bucket}/export/people.csv"]
    assert (csv_group["objects"], csv_group["size_bytes"]) == (1, expected["csv_bytes"])
    assert csv_group["bytes_read"] == expected["csv_bytes"]

    topic = shown[f"kafka|bus|{expected['topic']}"]
    assert topic["estimated_records"] == expected["messages"]
    assert topic["partitions"] == expected["partitions"]
    assert topic["size_bytes"] is None
    assert topic["bytes_read"] > 0
    assert [t["type_id"] for f in topic["fields"] for t in f["data_types"]] == ["email"]

    # the page's size column says the same
    assert f"~{expected['messages']:,} messages" in page
    assert f"{expected['partitions']:,} partitions" in page
    assert "4 objects" in page
    assert "~40 rows" in page
