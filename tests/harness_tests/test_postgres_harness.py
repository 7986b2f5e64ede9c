"""The PostgreSQL fixture: a real server reached with psycopg."""

from __future__ import annotations

import psycopg
import pytest

from tests.harness.postgres import PostgresCluster


def test_table_round_trip(postgres: PostgresCluster) -> None:
    with psycopg.connect(postgres.dsn) as conn:
        conn.execute("CREATE TABLE harness_people (id int PRIMARY KEY, email text)")
        conn.execute("INSERT INTO harness_people VALUES (1, 'a@example.org')")
        rows = conn.execute("SELECT id, email FROM harness_people").fetchall()
        conn.execute("DROP TABLE harness_people")
    assert rows == [(1, "a@example.org")]


def test_create_database_returns_a_usable_dsn(postgres: PostgresCluster) -> None:
    dsn = postgres.create_database("harness_db")
    with psycopg.connect(dsn) as conn:
        name = conn.execute("SELECT current_database()").fetchone()
    assert name == ("harness_db",)
    assert postgres.host == "127.0.0.1"
    assert f":{postgres.port}/" in dsn


def test_wrong_password_is_refused(postgres: PostgresCluster) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            host=postgres.host, port=postgres.port, user=postgres.user, password="wrong",
            dbname="postgres", connect_timeout=5,
        )  # fmt: skip
