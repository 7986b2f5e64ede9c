"""The PostgreSQL plugin against a real throwaway cluster seeded with personal data."""

from __future__ import annotations

from pathlib import Path

import psycopg

from tests.crawler.conftest import BULK_TABLES, SeededPostgres
from tests.crawler.helpers import crawl_once, settings_for, types_at


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
