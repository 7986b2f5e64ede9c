"""The `postgres` source kind: `crawl.database.postgres` (SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES).

A connection string without a database enumerates every database that allows connections
(listed through `defaultDBName`, else `postgres`). Sessions are read-only; every table is read
in its own transaction, so one failing table never stops the scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from plugins.postgres.catalog import Table, list_databases, list_tables
from plugins.postgres.sampler import reason_for, sample_table
from sensor_core.logs import get_logger
from sensor_dar import hookimpl
from sensor_dar.connections import PostgresConnection
from sensor_dar.model import (
    AssetRef,
    Connection,
    Sample,
    SampleLimits,
    SourceError,
    SourceKind,
)
from sensor_dar.settings import CrawlerSettings, SamplingSettings
from sensor_dar.source import Source

KIND = "postgres"
CONNECT_TIMEOUT_SECONDS = 10
log = get_logger("plugins.postgres")


@dataclass(frozen=True)
class PostgresTarget:
    connection: PostgresConnection
    sampling: SamplingSettings


class PostgresSource(Source):
    def __init__(self, connection: Connection, target: PostgresTarget) -> None:
        super().__init__(connection)
        self.target = target
        self._conninfo = target.connection.connection_string.get_secret_value()
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._conn_db: str | None = None

    def connect(self, database: str | None) -> psycopg.Connection[tuple[object, ...]]:
        """A read-only session on `database` (None: the string's own), reused while it lasts."""
        if self._conn is not None and not self._conn.closed and self._conn_db == database:
            return self._conn
        self._close_conn()
        extra = {} if database is None else {"dbname": database}
        try:
            conninfo = make_conninfo(self._conninfo, **extra)
            conn = psycopg.connect(
                conninfo,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                application_name="dsensor-crawler",
            )
        except psycopg.ProgrammingError:
            raise SourceError("invalid_connection_string") from None
        except psycopg.OperationalError as exc:
            raise SourceError(_connect_reason(exc)) from None
        conn.read_only = True
        self._conn, self._conn_db = conn, database
        return conn

    def databases(self) -> list[str]:
        try:
            named = conninfo_to_dict(self._conninfo).get("dbname")
        except psycopg.ProgrammingError:
            raise SourceError("invalid_connection_string") from None
        if named:
            return [str(named)]
        conn = self.connect(self.target.connection.default_db_name or "postgres")
        with conn.transaction():
            return list_databases(conn)

    def _close_conn(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._conn_db = None, None

    def close(self) -> None:
        self._close_conn()


def _connect_reason(exc: psycopg.OperationalError) -> str:
    # libpq reports connection failures without an SQLSTATE: classify by its message (which is
    # only read here, never logged: it can name the user)
    state = getattr(exc, "sqlstate", None)
    text = str(exc).lower()
    if state in ("28P01", "28000") or "authentication failed" in text:
        return "authentication_failed"
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return "database_not_found"
    if "no pg_hba.conf entry" in text or "permission denied" in text:
        return "access_denied"
    return "unreachable"


@hookimpl
def register_sources(register: Callable[[SourceKind], None]) -> None:
    register(SourceKind(KIND, "PostgreSQL: databases, schemas, tables and json/jsonb columns"))


@hookimpl
def configure_connections(settings: CrawlerSettings) -> Sequence[Connection]:
    return [
        Connection(KIND, c.instance_name(), PostgresTarget(c, settings.sampling), c.checkinterval)
        for c in settings.crawl.database.postgres
    ]


@hookimpl
def open_source(connection: Connection) -> Source | None:
    if connection.kind != KIND or not isinstance(connection.config, PostgresTarget):
        return None
    return PostgresSource(connection, connection.config)


@hookimpl
def discover_assets(source: Source) -> Iterable[AssetRef] | None:
    if not isinstance(source, PostgresSource):
        return None
    assets: list[AssetRef] = []
    databases = source.databases()
    timeout_ms = int(max(30.0, source.target.sampling.timeout * 3) * 1000)
    reasons: list[str] = []
    for database in databases:
        try:
            conn = source.connect(database)
            with conn.transaction():
                tables = list_tables(
                    conn, database, source.target.connection.includeviews, timeout_ms
                )
        except (SourceError, psycopg.Error) as exc:
            # one database that refuses the role is skipped; all of them fail the source
            reason = exc.reason if isinstance(exc, SourceError) else reason_for(exc)
            reasons.append(reason)
            log.warning("database_skipped", reason=reason)
            continue
        assets.extend(
            AssetRef(t.asset_name, t.fingerprint, t.rows_estimate, t.size_bytes, handle=t)
            for t in tables
        )
    if databases and len(reasons) == len(databases):
        raise SourceError(reasons[0])
    return assets


@hookimpl
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    if not isinstance(source, PostgresSource) or not isinstance(asset.handle, Table):
        return None
    table = asset.handle
    conn = source.connect(table.database)
    return sample_table(conn, table, limits, source.target.sampling.maxvaluechars)
