"""Crawler throughput: PostgreSQL tables and S3 objects (moto) sampled, assets/s and records/s.

Run: .venv/bin/python benchmarks/crawler.py [--tables 1000] [--columns 10] [--objects 10000]
Needs the Debian PostgreSQL binaries (a throwaway cluster is started) and moto[server].
Targets (issue 7): 1,000 tables of 10 columns in <= 60 s; 10,000 S3 objects listed and sampled
in <= 120 s. Baselines in the same run: PostgreSQL, reading every table in full (`SELECT *`,
no detection), which is what sampling avoids; S3, listing alone (the floor any crawler pays).
Memory: peak RSS growth of this process during each crawl (moto runs in-process too).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from tests.crawler.helpers import crawl_once, settings_for  # noqa: E402
from tests.harness.postgres import start_cluster  # noqa: E402
from tests.harness.s3 import S3Server, start_s3  # noqa: E402


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seed_postgres(dsn: str, tables: int, columns: int, rows: int) -> None:
    import psycopg
    from psycopg import sql

    cols = ", ".join(
        ["email text", "full_name text", "card text"] + [f"c{i} int" for i in range(columns - 3)]
    )
    values = ", ".join(
        ["'user' || g || '@example.org'", "'Ana Lopez'", "'4111111111111111'"]
        + ["g" for _ in range(columns - 3)]
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA bench")
        for i in range(1, tables + 1):
            table = sql.Identifier("bench", f"t{i}")
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(cols)))
            conn.execute(
                sql.SQL("INSERT INTO {} SELECT {} FROM generate_series(1, {}) g").format(
                    table, sql.SQL(values), sql.Literal(rows)
                )
            )
        conn.execute("ANALYZE")


def _full_read(dsn: str) -> tuple[float, int]:
    import psycopg
    from psycopg import sql

    started, rows = time.monotonic(), 0
    with psycopg.connect(dsn) as conn:
        names = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'bench'"
        ).fetchall()
        for (name,) in names:
            query = sql.SQL("SELECT * FROM {}").format(sql.Identifier("bench", name))
            rows += len(conn.execute(query).fetchall())
    return time.monotonic() - started, rows


def bench_postgres(tables: int, columns: int, rows: int, work: Path) -> None:
    cluster = start_cluster()
    try:
        dsn = cluster.create_database("bench")
        _seed_postgres(dsn, tables, columns, rows)
        settings = settings_for(
            work / "pg", crawl={"database": {"postgres": [{"connectionString": dsn}]}}
        )
        before = _rss_mib()
        started = time.monotonic()
        report, results = crawl_once(settings)
        seconds = time.monotonic() - started
        sampled = sum(r.sampled for r in results.values())
        assert not report.failures, report.failures
        print(
            f"postgres crawler: {len(results)} tables x {columns} columns in {seconds:.1f}s: "
            f"{len(results) / seconds:.1f} assets/s, {sampled / seconds:.0f} records/s "
            f"(sampled {sampled}), peak RSS +{_rss_mib() - before:.0f} MiB"
        )
        estimated = sum(max(0, r.records_estimate) for r in results.values())
        stored = sum(max(0, r.size_bytes) for r in results.values())
        print(
            f"postgres counts from statistics: ~{estimated} rows (seeded {tables * rows}), "
            f"{stored / 2**20:.1f} MiB stored, {sum(r.bytes_read for r in results.values())} "
            "bytes read by the samples"
        )
        base_seconds, base_rows = _full_read(dsn)
        print(
            f"postgres baseline (SELECT * of every table, no detection): {base_rows} rows in "
            f"{base_seconds:.1f}s: {tables / base_seconds:.1f} tables/s"
        )
    finally:
        cluster.stop()


def _seed_s3(s3: S3Server, bucket: str, objects: int) -> None:
    client = s3.client()
    client.create_bucket(Bucket=bucket)
    line = json.dumps({"email": "user@example.org", "name": "Ana Lopez", "n": 1}) + "\n"
    body = (line * 20).encode()
    prefixes = ["events/2024/05/{d:02d}/part-{i:05d}.ndjson", "users/{i}/profile.json",
                "exports/report-2024-05-{d:02d}-{i}.csv"]  # fmt: skip

    def put(i: int) -> None:
        key = prefixes[i % 3].format(d=1 + i % 28, i=i)
        data = body if not key.endswith(".csv") else b"email,name\nuser@example.org,Ana Lopez\n"
        client.put_object(Bucket=bucket, Key=key, Body=data)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, range(objects)))


def bench_s3(objects: int, work: Path) -> None:
    s3 = start_s3()
    try:
        bucket = "bench"
        _seed_s3(s3, bucket, objects)
        conn: dict[str, Any] = {
            "url": s3.endpoint_url, "type": "minio", "accesskeyid": s3.access_key,
            "secretaccesskey": s3.secret_key, "buckets": [bucket],
        }  # fmt: skip
        settings = settings_for(work / "s3", crawl={"s3": [conn]})
        before = _rss_mib()
        started = time.monotonic()
        report, results = crawl_once(settings)
        seconds = time.monotonic() - started
        assert not report.failures, report.failures
        sampled = sum(r.sampled for r in results.values())
        listed = sum(r.objects for r in results.values())
        print(
            f"s3 crawler: {listed} objects listed in {len(results)} key groups, "
            f"sampled in {seconds:.1f}s: {listed / seconds:.0f} objects/s, "
            f"{len(results) / seconds:.2f} assets/s, {sampled / seconds:.0f} records/s "
            f"(sampled {sampled}), peak RSS +{_rss_mib() - before:.0f} MiB"
        )
        client = s3.client()
        started = time.monotonic()
        count = 0
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            count += len(page.get("Contents", []))
        base = time.monotonic() - started
        print(f"s3 baseline (listing only): {count} objects in {base:.1f}s")
    finally:
        s3.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--columns", type=int, default=10)
    parser.add_argument("--rows", type=int, default=200, help="rows per table")
    parser.add_argument("--objects", type=int, default=10_000)
    args = parser.parse_args()
    if args.columns < 4:
        parser.error("--columns must be at least 4")
    from sensor_core.logs import configure_logging
    from sensor_core.sections import LoggingSettings

    configure_logging(LoggingSettings(level="error"))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    with tempfile.TemporaryDirectory(prefix="dsensor-bench-") as tmp:
        work = Path(tmp)
        if args.tables:
            bench_postgres(args.tables, args.columns, args.rows, work)
        if args.objects:
            bench_s3(args.objects, work)


if __name__ == "__main__":
    main()
