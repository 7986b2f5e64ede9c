"""The console's SQLite store: WAL, one writer at a time, ordered schema migrations.

Writes go through one connection under a lock, each batch in one transaction. Reads open their
own short-lived read-only connection, so the API never waits for ingest (WAL readers do not block).
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from dsensor.v1 import metadata_pb2, stats_pb2

from sensor_console import reads
from sensor_console.db import (
    JSON_UNION_PG,
    Connection,
    DatabaseErrors,
    PgConnection,
    is_postgres,
)
from sensor_console.events import EventWriter
from sensor_console.migrations import LATEST_VERSION, current_version, migrate
from sensor_console.policy_model import PolicySettings
from sensor_console.registry import suppressions
from sensor_console.retention import purge
from sensor_console.rows import DataTypeRow, FlowRow, SensorRow, enum_label
from sensor_console.writes import MAX_COUNT, register_functions, write_batch

T = TypeVar("T")
MAX_KNOWN_EVENTS = 200_000
MAX_IDLE_READERS = 4


class StorageError(Exception):
    """The store cannot be opened or used. Messages name the problem, never stored contents."""


def _node_json(node: stats_pb2.NodeHealth) -> dict[str, object]:
    return {
        "node": node.node,
        "last_seen_unix_nanos": node.last_seen_unix_nanos,
        "counters": {k: min(v, MAX_COUNT) for k, v in sorted(node.counters.items())},
        "interfaces": list(node.interfaces),
        "uninspected": [
            {
                "source_ip": u.source_ip,
                "destination_ip": u.destination_ip,
                "destination_port": u.destination_port,
                "reason": enum_label(
                    metadata_pb2.UninspectedReason, u.reason, "UNINSPECTED_REASON_"
                ),
                "connections": min(u.connections, MAX_COUNT),
                "bytes": min(u.bytes, MAX_COUNT),
            }
            for u in node.uninspected
        ],
    }


class Store:
    """Console storage: one SQLite file (default) or a PostgreSQL database (`url`)."""

    def __init__(self, path: Path, policies: PolicySettings | None = None, url: str = "") -> None:
        self.path = path
        self.url = url
        self.policies = policies or PolicySettings()
        self.events_raised = threading.Event()  # set when a batch raised events (webhooks wait)
        self._known_events: set[str] = set()  # dedupe keys stored; cleared by purge
        self._readers: queue.LifoQueue[PgConnection] = queue.LifoQueue()
        where = "(postgresql)" if is_postgres(url) else str(path)
        try:
            if is_postgres(url):
                self._conn: Connection = PgConnection(url)
                self._conn.execute(JSON_UNION_PG)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = self._connect()
                self._conn.execute("PRAGMA journal_mode=WAL")
            found = current_version(self._conn)
            if found > LATEST_VERSION:
                self._conn.close()
                raise StorageError(
                    f"database {where}: schema version {found} is newer than this console "
                    f"supports ({LATEST_VERSION})"
                )
            self.applied_migrations = migrate(self._conn)
        except DatabaseErrors as exc:
            raise StorageError(f"database {where}: cannot open ({type(exc).__name__})") from None
        except OSError as exc:
            raise StorageError(f"database {where}: cannot open ({exc.strerror})") from None
        self._write_lock = threading.Lock()

    def _connect(self, readonly: bool = False) -> sqlite3.Connection:
        if readonly:
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, isolation_level=None, timeout=10
            )
        else:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=10, check_same_thread=False
            )
            register_functions(conn)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def schema_version(self) -> int:
        with self._write_lock:
            return current_version(self._conn)

    def _write(self, work: Callable[[Connection], T]) -> T:
        with self._write_lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return result

    def apply_batch(self, req: stats_pb2.PushBatchRequest) -> stats_pb2.PushBatchResponse:
        """Store one batch in one transaction; a batch id seen before writes nothing."""
        received = time.time_ns()

        def work(conn: Connection) -> bool:
            seen = conn.execute("SELECT 1 FROM batches WHERE batch_id = ?", (req.batch_id,))
            if seen.fetchone() is not None:
                return True
            events = EventWriter(
                conn,
                self.policies,
                [s for _, s in suppressions(conn)],
                received,
                self._known_events,
            )
            events.discovery(req)
            for flow in req.flows:
                events.flow(flow)
            for asset in req.assets:
                events.data_asset(asset)
            write_batch(conn, req, received)
            raised.update(events.keys)
            new_events.append(events.raised)
            return False

        raised: set[str] = set()
        new_events: list[int] = []
        duplicate = self._write(work)
        if any(new_events):
            self.events_raised.set()
        if len(self._known_events) > MAX_KNOWN_EVENTS:
            self._known_events.clear()
        self._known_events.update(raised)  # committed: the database holds these keys now
        if duplicate:
            return stats_pb2.PushBatchResponse(batch_id=req.batch_id, duplicate=True)
        return stats_pb2.PushBatchResponse(
            batch_id=req.batch_id,
            duplicate=False,
            accepted_flows=len(req.flows),
            accepted_assets=len(req.assets),
        )

    def record_heartbeat(self, req: stats_pb2.HeartbeatRequest) -> None:
        """The sensor's latest liveness, version, counters and node health (latest wins)."""
        counters = json.dumps({k: min(v, MAX_COUNT) for k, v in sorted(req.counters.items())})
        nodes = json.dumps([_node_json(n) for n in req.nodes])
        received = time.time_ns()

        def work(conn: Connection) -> None:
            conn.execute(
                "INSERT INTO sensors (sensor_id, cluster, kind, version, last_heartbeat,"
                " counters, nodes) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (sensor_id) DO UPDATE SET cluster = excluded.cluster,"
                " kind = excluded.kind, version = excluded.version,"
                " last_heartbeat = excluded.last_heartbeat, counters = excluded.counters,"
                " nodes = excluded.nodes",
                (
                    req.sensor_id,
                    req.cluster_name,
                    int(req.sensor_kind),
                    req.version,
                    received,
                    counters,
                    nodes,
                ),
            )

        self._write(work)

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction (rolled back when it raises)."""
        return self._write(work)

    def read(self, query: Callable[[Connection], T]) -> T:
        """Run `query` on a read-only connection of its own."""
        return self._read(query)

    def purge(self, max_age: float, event_age: float) -> dict[str, int]:
        """Delete what was last seen before now - max_age (and events older than event_age)."""
        if event_age > 0:
            self._known_events.clear()
        now = time.time_ns()
        return self._write(lambda conn: purge(conn, now, max_age, event_age))

    def _read(self, query: Callable[[Connection], T]) -> T:
        if not is_postgres(self.url):
            conn = self._connect(readonly=True)
            try:
                return query(conn)
            finally:
                conn.close()
        try:
            reader = self._readers.get_nowait()
        except queue.Empty:
            reader = PgConnection(self.url)
        try:
            result = query(reader)
        except BaseException:
            reader.close()
            raise
        if self._readers.qsize() < MAX_IDLE_READERS:
            self._readers.put(reader)
        else:
            reader.close()
        return result

    def data_map(self) -> list[FlowRow]:
        return self._read(reads.data_map)

    def data_types(self) -> list[DataTypeRow]:
        return self._read(reads.data_types)

    def sensors(self) -> list[SensorRow]:
        return self._read(reads.sensors)

    def batch_count(self) -> int:
        return self._read(lambda c: int(c.execute("SELECT COUNT(*) FROM batches").fetchone()[0]))

    def ping(self) -> bool:
        """True when the database answers a read."""
        try:
            return self._read(lambda c: c.execute("SELECT 1").fetchone() is not None)
        except DatabaseErrors:
            return False

    def close(self) -> None:
        with self._write_lock:
            self._conn.close()
        while not self._readers.empty():
            self._readers.get_nowait().close()
