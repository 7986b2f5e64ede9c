"""The PostgreSQL plugin against a real throwaway cluster seeded with personal data."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from secrets import token_hex

import psycopg

from tests.crawler.conftest import BULK_TABLES, SeededPostgres
from tests.crawler.helpers import crawl_once, settings_for, types_at
from tests.harness.postgres import PostgresCluster


def _pg(conn_string: str, **extra: object) -> dict[str, object]:
    return {
        "crawl": {
            "database": {"postgres": [{"name": "shopdb", "connectionString": conn_string, **extra}]}
        }
    }


def test_columns_and_jsonb_typed_failures_reported(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, **_pg(seeded_postgres.scanner_dsn))
    report, results = crawl_once(settings)
    db = seeded_postgres.database
    customers = results[f"{db}.shop.customers"]
    assert customers.source == "postgres"
    assert customers.instance == "shopdb"
    assert customers.sampled == 40
    assert "email" in types_at(customers, "$.email")
    assert "credit_card_number" in types_at(customers, "$.card_number")
    assert "person_name" in types_at(customers, "$.full_name")
    # the jsonb column is walked as a document
    assert "street_address" in types_at(customers, "$.profile.address.street")
    assert customers.errors == {"binary_column_skipped": 1}
    # the table the role cannot read is reported, and the scan went on past it
    secrets = results[f"{db}.shop.vault_secrets"]
    assert secrets.errors == {"permission_denied": 1}
    assert secrets.sampled == 0
    assert f"{db}.shop.orders" in results
    assert types_at(results[f"{db}.shop.orders"], "$.quantity") == []
    bulk = [name for name in results if ".bulk.t" in name]
    assert len(bulk) == BULK_TABLES
    # views only when asked for, system schemas never
    assert f"{db}.shop.customer_emails" not in results
    assert not any(".pg_catalog." in n or ".information_schema." in n for n in results)
    assert report.failures == []
    assert report.counters["assets_failed"] == 1


def test_views_included_on_request(seeded_postgres: SeededPostgres, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, **_pg(seeded_postgres.scanner_dsn, includeviews=True))
    _, results = crawl_once(settings)
    view = results[f"{seeded_postgres.database}.shop.customer_emails"]
    assert "email" in types_at(view, "$.email")


def test_every_database_enumerated_without_a_name(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    cluster = seeded_postgres.cluster
    dsn = f"postgresql://{cluster.user}:{cluster.password}@{cluster.host}:{cluster.port}"
    settings = settings_for(tmp_path, **_pg(dsn))
    _, results = crawl_once(settings)
    databases = {name.split(".")[0] for name in results}
    assert seeded_postgres.database in databases
    assert "template0" not in databases
    assert "template1" not in databases


def test_incremental_skips_unchanged_tables(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, **_pg(seeded_postgres.scanner_dsn))
    first, _ = crawl_once(settings, incremental=True)
    assert (tmp_path / "crawler" / "state.json").is_file()
    second, again = crawl_once(settings, incremental=True)
    # only the table that failed is tried again
    assert set(again) == {f"{seeded_postgres.database}.shop.vault_secrets"}
    assert second.counters["assets_unchanged"] == first.counters["assets_discovered"] - 1
    with psycopg.connect(seeded_postgres.superuser_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO shop.orders VALUES (1000, 'SKU-1000', 1)")
        conn.execute("SELECT pg_stat_force_next_flush()")
    _, changed = crawl_once(settings, incremental=True)
    assert f"{seeded_postgres.database}.shop.orders" in changed
    assert f"{seeded_postgres.database}.shop.customers" not in changed


def test_statement_timeout_reported_as_timeout(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    with psycopg.connect(seeded_postgres.superuser_dsn) as locker:
        locker.execute("LOCK TABLE shop.orders IN ACCESS EXCLUSIVE MODE")
        settings = settings_for(
            tmp_path, sampling={"timeout": "300ms"}, **_pg(seeded_postgres.scanner_dsn)
        )
        _, results = crawl_once(settings)
        locker.rollback()
    assert results[f"{seeded_postgres.database}.shop.orders"].errors == {"timeout": 1}
    assert results[f"{seeded_postgres.database}.shop.customers"].sampled == 40


def test_unreachable_and_refused_sources_reported(
    seeded_postgres: SeededPostgres, tmp_path: Path
) -> None:
    cluster = seeded_postgres.cluster
    wrong = f"postgresql://{cluster.user}:not-the-password@{cluster.host}:{cluster.port}/postgres"
    closed = "postgresql://u:p@127.0.0.1:1/postgres"
    settings = settings_for(
        tmp_path,
        crawl={"database": {"postgres": [
            {"name": "wrong", "connectionString": wrong},
            {"name": "closed", "connectionString": closed},
        ]}},
    )  # fmt: skip
    report, results = crawl_once(settings)
    assert results == {}
    reasons = {f.instance: f.reason for f in report.failures}
    assert reasons == {"wrong": "authentication_failed", "closed": "unreachable"}


def test_counts_and_sizes_from_statistics(postgres: PostgresCluster, tmp_path: Path) -> None:
    database = f"sizes_{uuid.uuid4().hex[:8]}"
    dsn = postgres.create_database(database)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE plain (id int, note text)")
        conn.execute("INSERT INTO plain SELECT g, repeat('n', 200) FROM generate_series(1, 300) g")
        # random documents too big to stay in the heap: their bytes live in the TOAST table
        conn.execute("CREATE TABLE docs (id int, doc jsonb)")
        for i in range(5):
            doc = json.dumps({"blob": token_hex(8000)})
            conn.execute("INSERT INTO docs VALUES (%s, %s)", (i, doc))
        conn.execute("CREATE TABLE events (day int, note text) PARTITION BY RANGE (day)")
        conn.execute("CREATE TABLE events_a PARTITION OF events FOR VALUES FROM (0) TO (10)")
        conn.execute("CREATE TABLE events_b PARTITION OF events FOR VALUES FROM (10) TO (20)")
        conn.execute("INSERT INTO events SELECT g % 10, 'x' FROM generate_series(1, 30) g")
        conn.execute("INSERT INTO events SELECT 10 + g % 10, 'y' FROM generate_series(1, 70) g")
        # VACUUM sets the page counts of TOAST tables too; figures are as of the last one
        conn.execute("VACUUM ANALYZE")
        main_forks = (
            "SELECT coalesce(sum(pg_relation_size(c.oid) + coalesce("
            "pg_relation_size(nullif(c.reltoastrelid, 0)), 0)), 0)"
            " FROM pg_class c WHERE c.relname = ANY(%s)"
        )
        sizes = [
            conn.execute(main_forks, (names,)).fetchone()
            for names in (["plain"], ["docs"], ["events_a", "events_b"])
        ]
        heap = conn.execute("SELECT pg_relation_size('docs')").fetchone()
    assert heap is not None
    docs_heap = int(str(heap[0]))
    plain_size, docs_size, events_size = (int(str(r[0])) for r in sizes if r is not None)
    _, results = crawl_once(settings_for(tmp_path, **_pg(dsn)))
    plain, docs, events = (results[f"{database}.public.{t}"] for t in ("plain", "docs", "events"))
    assert (plain.records_estimate, plain.size_bytes) == (300, plain_size)
    assert (docs.records_estimate, docs.size_bytes) == (5, docs_size)
    assert docs.size_bytes > docs_heap + 5 * 4000  # the TOAST table is counted
    # a partitioned table is one asset: its partitions' rows and bytes summed
    assert (events.records_estimate, events.size_bytes) == (100, events_size)
    assert f"{database}.public.events_a" not in results
    assert 0 < plain.bytes_read < plain.size_bytes
    assert (plain.objects, plain.partitions) == (-1, -1)


def test_partitioned_table_rescanned_when_a_partition_changes(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    database = f"parts_{uuid.uuid4().hex[:8]}"
    dsn = postgres.create_database(database)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE events (day int, note text) PARTITION BY RANGE (day)")
        conn.execute("CREATE TABLE events_a PARTITION OF events FOR VALUES FROM (0) TO (10)")
        conn.execute("CREATE TABLE quiet (id int)")
        conn.execute("INSERT INTO events VALUES (1, 'a')")
        conn.execute("SELECT pg_stat_force_next_flush()")
    settings = settings_for(tmp_path, **_pg(dsn))
    first, _ = crawl_once(settings, incremental=True)
    _, again = crawl_once(settings, incremental=True)
    assert again == {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO events_a VALUES (2, 'b')")
        conn.execute("SELECT pg_stat_force_next_flush()")
    _, changed = crawl_once(settings, incremental=True)
    assert set(changed) == {f"{database}.public.events"}
    assert first.counters["assets_discovered"] == 2
