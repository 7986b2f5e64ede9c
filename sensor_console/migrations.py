"""Ordered schema migrations of the console's SQLite store.

Append new migrations at the end; never edit one that has shipped. Each runs in one transaction
and records its version in `schema_migrations`.
"""

from __future__ import annotations

import sqlite3
import time

MIGRATIONS: list[tuple[int, str, tuple[str, ...]]] = [
    (
        1,
        "initial schema: batches, sensors, flows, data assets",
        (
            """CREATE TABLE batches (
                batch_id TEXT PRIMARY KEY,
                sensor_id TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                flows INTEGER NOT NULL,
                assets INTEGER NOT NULL
            )""",
            """CREATE TABLE sensors (
                sensor_id TEXT PRIMARY KEY,
                cluster TEXT NOT NULL,
                kind INTEGER NOT NULL,
                version TEXT NOT NULL DEFAULT '',
                last_heartbeat INTEGER NOT NULL DEFAULT 0,
                last_batch INTEGER NOT NULL DEFAULT 0,
                counters TEXT NOT NULL DEFAULT '{}',
                nodes TEXT NOT NULL DEFAULT '[]'
            )""",
            """CREATE TABLE assets (
                id INTEGER PRIMARY KEY,
                cluster TEXT NOT NULL,
                kind INTEGER NOT NULL,
                namespace TEXT NOT NULL,
                name TEXT NOT NULL,
                workload_kind TEXT NOT NULL,
                external INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (cluster, kind, namespace, name)
            )""",
            """CREATE TABLE endpoints (
                id INTEGER PRIMARY KEY,
                source_id INTEGER NOT NULL REFERENCES assets (id),
                destination_id INTEGER NOT NULL REFERENCES assets (id),
                method TEXT NOT NULL,
                host TEXT NOT NULL,
                port INTEGER NOT NULL,
                path_template TEXT NOT NULL,
                statuses TEXT NOT NULL DEFAULT '[]',
                observed INTEGER NOT NULL,
                analysed INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (source_id, destination_id, method, host, port, path_template)
            )""",
            """CREATE TABLE fields (
                id INTEGER PRIMARY KEY,
                endpoint_id INTEGER NOT NULL REFERENCES endpoints (id),
                direction TEXT NOT NULL CHECK (direction IN ('request', 'response')),
                path TEXT NOT NULL,
                content_type TEXT NOT NULL,
                json_types TEXT NOT NULL DEFAULT '[]',
                seen INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (endpoint_id, direction, path)
            )""",
            """CREATE TABLE field_types (
                field_id INTEGER NOT NULL REFERENCES fields (id),
                type_id TEXT NOT NULL,
                max_confidence REAL NOT NULL,
                sensitivity INTEGER NOT NULL,
                category INTEGER NOT NULL,
                reasons TEXT NOT NULL DEFAULT '[]',
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                PRIMARY KEY (field_id, type_id)
            )""",
            """CREATE TABLE data_assets (
                id INTEGER PRIMARY KEY,
                cluster TEXT NOT NULL,
                source TEXT NOT NULL,
                instance TEXT NOT NULL,
                asset TEXT NOT NULL,
                sampled INTEGER NOT NULL,
                scanned_at INTEGER NOT NULL,
                errors TEXT NOT NULL DEFAULT '[]',
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (cluster, source, instance, asset)
            )""",
            """CREATE TABLE data_asset_fields (
                id INTEGER PRIMARY KEY,
                data_asset_id INTEGER NOT NULL REFERENCES data_assets (id),
                path TEXT NOT NULL,
                json_types TEXT NOT NULL DEFAULT '[]',
                seen INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                UNIQUE (data_asset_id, path)
            )""",
            """CREATE TABLE data_asset_field_types (
                field_id INTEGER NOT NULL REFERENCES data_asset_fields (id),
                type_id TEXT NOT NULL,
                max_confidence REAL NOT NULL,
                sensitivity INTEGER NOT NULL,
                category INTEGER NOT NULL,
                reasons TEXT NOT NULL DEFAULT '[]',
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                PRIMARY KEY (field_id, type_id)
            )""",
            "CREATE INDEX field_types_by_type ON field_types (type_id)",
            "CREATE INDEX data_asset_field_types_by_type ON data_asset_field_types (type_id)",
        ),
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations the database lacks, in order. Returns the versions applied.

    The connection must be in autocommit mode (isolation_level=None).
    """
    applied = []
    for version, description, statements in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # read inside the write transaction: two processes never apply one migration twice
            if current_version(conn) >= version:
                conn.execute("COMMIT")
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                (version, description, time.time_ns()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
