"""A bounded sample of one table, in a read-only transaction with a statement timeout.

Large tables are sampled with `TABLESAMPLE SYSTEM` (a few pages, not a scan), small ones and
views with `LIMIT`. Text is cut to `max_value_chars` in the server, oversized json/jsonb values
are skipped there, and bytea columns are never read. json/jsonb values arrive parsed, so they
are walked as documents (`$.profile.address.city`).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from plugins.postgres.catalog import JSON_TYPES, NUMBER_TYPES, SKIPPED_TYPES, Column, Table
from sensor_core.jsonpaths import ROOT, child_path
from sensor_dar.model import AssetError, Sample, SampleLimits

# a table this many times larger than the sample is sampled by pages
TABLESAMPLE_FACTOR = 20
ERROR_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (psycopg.errors.InsufficientPrivilege, "permission_denied"),
    (psycopg.errors.QueryCanceled, "timeout"),
    (psycopg.errors.LockNotAvailable, "timeout"),
    (psycopg.errors.UndefinedTable, "not_found"),
    (psycopg.errors.UndefinedColumn, "not_found"),
    (psycopg.errors.ObjectNotInPrerequisiteState, "not_readable"),
    (psycopg.errors.FeatureNotSupported, "not_readable"),
    (psycopg.OperationalError, "connection_lost"),
)


def reason_for(exc: Exception) -> str:
    for kind, reason in ERROR_REASONS:
        if isinstance(exc, kind):
            return reason
    return "query_failed"


def _column_expr(column: Column, index: int, max_chars: int) -> sql.Composed:
    ident = sql.Identifier(column.name)
    alias = sql.Identifier(f"c{index}")
    expr: sql.Composable
    if column.type_name in JSON_TYPES:
        expr = sql.SQL("CASE WHEN pg_column_size({c}) <= {n} THEN {c} END").format(
            c=ident, n=sql.Literal(max_chars * 4)
        )
    elif column.type_name in NUMBER_TYPES or column.type_name == "bool":
        expr = ident
    else:
        expr = sql.SQL("left({c}::text, {n})").format(c=ident, n=sql.Literal(max_chars))
    return sql.SQL("{} AS {}").format(expr, alias)


def readable_columns(table: Table) -> list[Column]:
    return [c for c in table.columns if c.type_name not in SKIPPED_TYPES]


def _query(
    table: Table, columns: list[Column], limit: int, max_chars: int, pages: bool
) -> sql.Composed:
    select = sql.SQL(", ").join(_column_expr(c, i, max_chars) for i, c in enumerate(columns))
    relation = sql.Identifier(table.schema, table.name)
    if pages:
        percent = min(100.0, max(0.0001, 100.0 * limit * 4 / max(table.rows_estimate, 1)))
        return sql.SQL("SELECT {} FROM {} TABLESAMPLE SYSTEM ({}) LIMIT {}").format(
            select, relation, sql.Literal(round(percent, 4)), sql.Literal(limit)
        )
    return sql.SQL("SELECT {} FROM {} LIMIT {}").format(select, relation, sql.Literal(limit))


def _fetch(
    conn: psycopg.Connection[tuple[object, ...]], query: sql.Composed, timeout_ms: int
) -> list[tuple[object, ...]]:
    with conn.transaction():
        ms = sql.Literal(timeout_ms)
        conn.execute(
            sql.SQL("SET LOCAL statement_timeout = {}; SET LOCAL lock_timeout = {}").format(ms, ms)
        )
        rows: list[tuple[object, ...]] = conn.execute(query).fetchall()
        return rows


def sample_table(
    conn: psycopg.Connection[tuple[object, ...]],
    table: Table,
    limits: SampleLimits,
    max_value_chars: int,
) -> Sample:
    """Rows of `table` as records {column: value}; AssetError with a reason code on failure."""
    columns = readable_columns(table)
    sample = Sample(declared_types={child_path(ROOT, c.name): c.json_type for c in columns})
    skipped = len(table.columns) - len(columns)
    if skipped:
        sample.add_error("binary_column_skipped", skipped)
    if not columns:
        return sample
    timeout_ms = max(1, int(limits.timeout_seconds * 1000))
    pages = table.kind in ("r", "m", "p") and (
        table.rows_estimate > TABLESAMPLE_FACTOR * limits.max_records
    )
    try:
        query = _query(table, columns, limits.max_records, max_value_chars, pages)
        rows = _fetch(conn, query, timeout_ms)
        if pages and len(rows) < limits.max_records // 2:
            query = _query(table, columns, limits.max_records, max_value_chars, False)
            rows = _fetch(conn, query, timeout_ms)
    except psycopg.Error as exc:
        raise AssetError(reason_for(exc)) from None
    names = [c.name for c in columns]
    budget = limits.max_bytes
    for row in rows:
        record = dict(zip(names, row, strict=True))
        cost = sum(len(v) for v in row if isinstance(v, str)) + 8 * len(row)
        budget -= cost
        sample.bytes_read += cost
        sample.records.append(record)
        if budget <= 0:
            sample.add_error("byte_cap_reached")
            break
    return sample
