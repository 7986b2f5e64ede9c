"""Ordered schema migrations of the console's SQLite store.

Append new migrations at the end; never edit one that has shipped. Each runs in one transaction
and records its version in `schema_migrations`.
"""

from __future__ import annotations

import time

from sensor_console.db import Connection

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
    (
        2,
        "users, API tokens, sessions, events, suppressions, custom types, masked shapes",
        (
            """CREATE TABLE users (
                username TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('readonly', 'admin')),
                created_at INTEGER NOT NULL
            )""",
            """CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('readonly', 'admin')),
                created_at INTEGER NOT NULL
            )""",
            """CREATE TABLE sessions (
                session_hash TEXT PRIMARY KEY,
                username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
                expires_at INTEGER NOT NULL
            )""",
            """CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                severity TEXT NOT NULL,
                title TEXT NOT NULL,
                details TEXT NOT NULL DEFAULT '{}',
                dedupe_key TEXT NOT NULL UNIQUE,
                delivered INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX events_by_time ON events (created_at)",
            """CREATE TABLE suppressions (
                id INTEGER PRIMARY KEY,
                type_id TEXT NOT NULL,
                asset TEXT NOT NULL,
                endpoint TEXT NOT NULL,
                path TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (type_id, asset, endpoint, path)
            )""",
            """CREATE TABLE custom_types (
                type_id TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            )""",
            "ALTER TABLE fields ADD COLUMN masked_shape TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE data_asset_fields ADD COLUMN masked_shape TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE endpoints ADD COLUMN max_sensitivity INTEGER NOT NULL DEFAULT 0",
            "UPDATE endpoints SET max_sensitivity = COALESCE((SELECT MAX(t.sensitivity)"
            " FROM fields x JOIN field_types t ON t.field_id = x.id"
            " WHERE x.endpoint_id = endpoints.id), 0)",
            "CREATE INDEX endpoints_by_rank ON endpoints (max_sensitivity DESC, id)",
            "CREATE INDEX endpoints_by_last_seen ON endpoints (last_seen)",
            "ALTER TABLE field_types ADD COLUMN endpoint_id INTEGER NOT NULL DEFAULT 0",
            "UPDATE field_types SET endpoint_id = (SELECT fields.endpoint_id FROM fields"
            " WHERE fields.id = field_types.field_id)",
            "CREATE INDEX field_types_by_type_endpoint ON field_types"
            " (type_id, endpoint_id, sensitivity, category)",
            "CREATE INDEX endpoints_by_destination ON endpoints (destination_id)",
            "CREATE INDEX fields_by_endpoint ON fields (endpoint_id)",
            "CREATE INDEX data_assets_by_last_seen ON data_assets (last_seen)",
        ),
    ),
    (
        3,
        "counts and sizes of data assets (NULL: the store does not say)",
        (
            "ALTER TABLE data_assets ADD COLUMN estimated_records INTEGER",
            "ALTER TABLE data_assets ADD COLUMN size_bytes INTEGER",
            "ALTER TABLE data_assets ADD COLUMN bytes_read INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE data_assets ADD COLUMN objects INTEGER",
            "ALTER TABLE data_assets ADD COLUMN partitions INTEGER",
        ),
    ),
]

LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def migrate(conn: Connection) -> list[int]:
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
