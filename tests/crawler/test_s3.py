"""The S3 plugin against moto's real HTTP server: every format, key groups, broken objects."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from plugins.s3.reader import object_reason
from sensor_dar.keygroups import key_pattern, objects_to_sample
from sensor_dar.model import AssetResult
from tests.crawler.helpers import crawl_once, settings_for, types_at
from tests.crawler.seed import People, csv_bytes, gz, ndjson, parquet_bytes
from tests.harness.s3 import S3Server


def _conn(s3: S3Server, buckets: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "crawl": {
            "s3": [
                {
                    "name": "lake",
                    "url": s3.endpoint_url,
                    "type": "minio",
                    "accesskeyid": s3.access_key,
                    "secretaccesskey": s3.secret_key,
                    "buckets": buckets,
                    "retrymaxattempts": 2,
                    "retrymaxbackoffdelay": "100ms",
                    **extra,
                }
            ]
        }
    }


@pytest.fixture(scope="module")
def lake(s3_server: S3Server, people: People) -> str:
    """A bucket with every format, a big key group and malformed objects."""
    bucket = f"lake-{uuid.uuid4().hex[:8]}"
    client = s3_server.client()
    client.create_bucket(Bucket=bucket)
    rows = people.people(30, start=100)
    puts = {
        "json/customers.json": json.dumps(rows).encode(),
        "ndjson/customers.ndjson": ndjson(rows),
        "csv/customers.csv": csv_bytes(rows),
        "tsv/customers.tsv": csv_bytes(rows, "\t"),
        "yaml/customers.yaml": "\n".join(
            f"- email: {r['email']}\n  card_number: '{r['card_number']}'" for r in rows
        ).encode(),
        "parquet/customers.parquet": parquet_bytes(rows),
        "gz/customers.ndjson.gz": gz(ndjson(rows)),
        "broken/bad.csv": b'full_name,email\n"unterminated,quote\n',
        "broken/truncated.ndjson.gz": gz(ndjson(rows))[:-20],
        "broken/accents.csv": "full_name,email\nJos\xe9 M\xfcller,jose@example.org\n".encode(
            "latin-1"
        ),
        "broken/huge.ndjson": b'{"a": "' + b"x" * 3_000_000 + b'"}\n',
        "broken/blob.bin": bytes(range(256)) * 4,
    }
    for key, body in puts.items():
        client.put_object(Bucket=bucket, Key=key, Body=body)
    keys = [f"events/2024/05/{d:02d}/part-{p:04d}.ndjson" for d in range(1, 15) for p in range(36)]

    def put(index_key: tuple[int, str]) -> None:
        i, key = index_key
        client.put_object(Bucket=bucket, Key=key, Body=ndjson(rows[i % 5 : i % 5 + 2]))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, enumerate(keys)))
    return bucket


@pytest.fixture(scope="module")
def lake_results(
    s3_server: S3Server, lake: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, AssetResult]:
    settings = settings_for(tmp_path_factory.mktemp("s3"), **_conn(s3_server, [lake]))
    return crawl_once(settings)[1]


def test_every_format_typed(lake: str, lake_results: dict[str, AssetResult]) -> None:
    results = lake_results
    for group in ("json/customers.json", "ndjson/customers.ndjson", "csv/customers.csv",
                  "tsv/customers.tsv", "yaml/customers.yaml", "parquet/customers.parquet",
                  "gz/customers.ndjson.gz"):  # fmt: skip
        result = results[f"{lake}/{group}"]
        assert result.source == "s3"
        assert "email" in types_at(result, "$.email"), group
        assert "credit_card_number" in types_at(result, "$.card_number"), group
        assert result.errors == {}, group
    nested = results[f"{lake}/json/customers.json"]
    assert "street_address" in types_at(nested, "$.profile.address.street")


def test_key_groups_sampled_by_log_of_size(
    s3_server: S3Server, lake: str, lake_results: dict[str, AssetResult]
) -> None:
    results = lake_results
    events = results[f"{lake}/events/{{date}}/part-{{id}}.ndjson"]
    pages = (
        s3_server.client().get_paginator("list_objects_v2").paginate(Bucket=lake, Prefix="events/")
    )
    sizes = [int(o["Size"]) for page in pages for o in page.get("Contents", [])]
    assert events.objects == len(sizes) == 14 * 36
    assert events.size_bytes == sum(sizes)
    assert events.records_estimate == -1  # S3 does not say how many records objects hold
    # the 9 sampled objects are read whole: between 9 of the smallest and 9 of the largest
    assert sum(sorted(sizes)[:9]) <= events.bytes_read <= sum(sorted(sizes)[-9:])
    # ceil(3 * log10(505)) = 9 objects of 2 records each
    assert events.sampled == 2 * objects_to_sample(504, 3.0, 20) == 18
    assert "email" in types_at(events, "$.email")
    assert not any("2024" in name for name in results)


def test_malformed_objects_counted_not_fatal(
    s3_server: S3Server, lake: str, tmp_path: Path
) -> None:
    _, results = crawl_once(settings_for(tmp_path, **_conn(s3_server, [lake])))
    assert results[f"{lake}/broken/bad.csv"].errors == {"invalid_csv": 1}
    assert "truncated_gzip" in results[f"{lake}/broken/truncated.ndjson.gz"].errors
    assert results[f"{lake}/broken/truncated.ndjson.gz"].sampled > 0
    latin = results[f"{lake}/broken/accents.csv"]
    assert latin.errors == {"not_utf8": 1}
    assert latin.sampled == 1
    huge = results[f"{lake}/broken/huge.ndjson"]
    assert huge.errors == {"record_too_large": 1}
    assert huge.bytes_read == 1024 * 1024
    assert results[f"{lake}/broken/blob.bin"].errors == {"unsupported_format": 1}


def test_missing_bucket_and_unreachable_endpoint(s3_server: S3Server, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, **_conn(s3_server, ["no-such-bucket-here"]))
    report, results = crawl_once(settings)
    assert results["no-such-bucket-here/"].errors == {"read_failed": 1}
    unreachable = {"crawl": {"s3": [{"url": "http://127.0.0.1:1", "accesskeyid": "a",
                                      "secretaccesskey": "b", "retrymaxattempts": 1}]}}  # fmt: skip
    report, results = crawl_once(settings_for(tmp_path, **unreachable))
    assert results == {}
    assert [f.reason for f in report.failures] == ["unreachable"]


def test_all_buckets_listed_when_none_named(s3_server: S3Server, lake: str, tmp_path: Path) -> None:
    _, results = crawl_once(settings_for(tmp_path, **_conn(s3_server, [])))
    assert f"{lake}/csv/customers.csv" in results


@pytest.mark.parametrize(
    ("key", "pattern"),
    [
        ("logs/2024/05/01/part-0001.json.gz", "logs/{date}/part-{id}.json.gz"),
        ("dt=2024-05-01/data.parquet", "dt={value}/data.parquet"),
        ("users/123/profile.json", "users/{id}/profile.json"),
        ("exports/jane.doe@example.org.csv", "exports/{email}.csv"),
        ("in/550e8400-e29b-41d4-a716-446655440000.json", "in/{uuid}.json"),
        ("daily/report-20240501.csv", "daily/report-{date}.csv"),
        ("a/b/readme.md", "a/b/readme.md"),
    ],
)
def test_key_patterns(key: str, pattern: str) -> None:
    assert key_pattern(key) == pattern


def test_objects_to_sample_grows_with_log() -> None:
    assert [objects_to_sample(n, 3.0, 20) for n in (0, 1, 9, 99, 999, 10**6)] == [0, 1, 3, 6, 9, 19]
    assert objects_to_sample(10**12, 3.0, 20) == 20


def test_assume_role_credentials_used(s3_server: S3Server, lake: str, tmp_path: Path) -> None:
    role = {"rolearn": "arn:aws:iam::123456789012:role/crawler", "rolesessionname": "scan"}
    settings = settings_for(tmp_path, **_conn(s3_server, [lake], **role))
    report, results = crawl_once(settings)
    assert report.failures == []
    assert "email" in types_at(results[f"{lake}/csv/customers.csv"], "$.email")


@pytest.mark.parametrize(
    ("code", "reason"),
    [("AccessDenied", "access_denied"), ("KMS.DisabledException", "encryption_error"),
     ("InvalidRequest", "encryption_error"), ("NoSuchKey", "not_found"),
     ("InvalidObjectState", "archived"), ("Teapot", "read_failed")],
)  # fmt: skip
def test_object_errors_become_reason_codes(code: str, reason: str) -> None:
    error = ClientError({"Error": {"Code": code, "Message": "secret text"}}, "GetObject")
    assert object_reason(error) == reason
