"""Seeded stores for the crawler tests (session servers from tests/conftest.py, unique names)."""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass

import pytest

from tests.crawler.seed import Canaries, People
from tests.harness.postgres import PostgresCluster

BULK_TABLES = 120


@dataclass
class SeededPostgres:
    cluster: PostgresCluster
    database: str
    scanner_dsn: str  # a read-only role that cannot read shop.vault_secrets
    superuser_dsn: str
    people: People


@pytest.fixture(scope="session")
def canaries() -> Canaries:
    return Canaries()


@pytest.fixture(scope="session")
def people(canaries: Canaries) -> People:
    return People(canaries)


def _seed(dsn: str, people: People, role: str, password: str) -> None:
    import psycopg
    from psycopg import sql

    rows = people.people(40)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA shop")
        conn.execute(
            "CREATE TABLE shop.customers (id int PRIMARY KEY, full_name text, email text,"
            " phone text, card_number text, profile jsonb, avatar bytea, active bool)"
        )
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO shop.customers VALUES (%s, %s, %s, %s, %s, %s, %s, true)",
                [
                    (
                        r["id"], r["full_name"], r["email"], r["phone"], r["card_number"],
                        json.dumps(r["profile"]), b"\x00\x01",
                    )
                    for r in rows
                ],
            )  # fmt: skip
        conn.execute("CREATE TABLE shop.orders (id int, sku text, quantity int)")
        conn.execute(
            "INSERT INTO shop.orders SELECT g, 'SKU-' || g, g % 5 FROM generate_series(1, 50) g"
        )
        conn.execute("CREATE TABLE shop.vault_secrets (id int, secret_email text)")
        conn.execute("INSERT INTO shop.vault_secrets VALUES (1, %s)", (people.canaries.email(999),))
        people.planted.add(people.canaries.email(999))
        conn.execute("CREATE VIEW shop.customer_emails AS SELECT email FROM shop.customers")
        conn.execute("CREATE SCHEMA bulk")
        conn.execute(
            "DO $$ BEGIN FOR i IN 1.." + str(BULK_TABLES) + " LOOP "
            "EXECUTE format('CREATE TABLE bulk.t%s (id int, note text)', i); END LOOP; END $$"
        )
        r = sql.Identifier(role)
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(r, sql.Literal(password)))
        db = sql.Identifier(conn.info.dbname)
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, r))
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA shop, bulk TO {}").format(r))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA shop, bulk TO {}").format(r))
        conn.execute(sql.SQL("REVOKE SELECT ON shop.vault_secrets FROM {}").format(r))
        conn.execute("ANALYZE")


@pytest.fixture(scope="session")
def seeded_postgres(postgres: PostgresCluster, people: People) -> SeededPostgres:
    database = f"shop_{uuid.uuid4().hex[:8]}"
    superuser_dsn = postgres.create_database(database)
    role = f"scanner_{uuid.uuid4().hex[:8]}"
    password = secrets.token_hex(12)
    _seed(superuser_dsn, people, role, password)
    scanner = f"postgresql://{role}:{password}@{postgres.host}:{postgres.port}/{database}"
    return SeededPostgres(postgres, database, scanner, superuser_dsn, people)
