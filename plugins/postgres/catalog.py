"""What a PostgreSQL database holds: user tables (and views), their columns, types and counters.

One catalog query per database; system schemas are skipped, partitions are crawled through
their parent table. The fingerprint of a table is its row counters and column types, so an
incremental scan skips tables whose statistics show no change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")
NUMBER_TYPES = frozenset({"int2", "int4", "int8", "float4", "float8", "oid"})
JSON_TYPES = frozenset({"json", "jsonb"})
SKIPPED_TYPES = frozenset({"bytea"})

# every figure comes from the catalog and the statistics views: no lock is taken on any table
_TABLES = """
SELECT c.oid::bigint, n.nspname, c.relname, c.relkind::text,
       (c.relpages::bigint + coalesce(toast.relpages, 0)::bigint),
       greatest(c.reltuples, -1)::bigint, coalesce(s.n_tup_ins, 0), coalesce(s.n_tup_upd, 0),
       coalesce(s.n_tup_del, 0), coalesce(s.n_live_tup, 0),
       array_agg(a.attname::text ORDER BY a.attnum),
       array_agg(t.typname::text ORDER BY a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relkind = ANY(%(kinds)s)
  AND NOT c.relispartition
  AND n.nspname <> ALL(%(system)s)
  AND n.nspname NOT LIKE 'pg\\_toast%%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
GROUP BY n.nspname, c.relname, c.relkind, c.reltuples, c.oid, c.relpages, toast.relpages,
         s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_live_tup
ORDER BY n.nspname, c.relname
"""
# partitions, to sum into their partitioned table (whose own statistics stay empty)
_PARTITIONS = """
SELECT i.inhparent::bigint, c.oid::bigint, c.relkind::text,
       (c.relpages::bigint + coalesce(toast.relpages, 0)::bigint),
       greatest(c.reltuples, -1)::bigint, coalesce(s.n_tup_ins, 0), coalesce(s.n_tup_upd, 0),
       coalesce(s.n_tup_del, 0), coalesce(s.n_live_tup, 0)
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
LEFT JOIN pg_class toast ON toast.oid = c.reltoastrelid
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relispartition
"""
MAX_PARTITION_DEPTH = 32
STORED_KINDS = ("r", "m", "p")  # views hold no rows of their own


@dataclass(frozen=True)
class RelationStats:
    """Rows (planner estimate, else live tuples), bytes (heap and TOAST pages), counters."""

    rows: int
    size_bytes: int
    counters: tuple[int, int, int, int]  # inserted, updated, deleted, live

    @staticmethod
    def from_row(values: Sequence[object], block_size: int) -> RelationStats:
        """`values`: pages, reltuples, inserted, updated, deleted, live (as the queries list)."""
        pages, tuples, ins, upd, dele, live = (int(str(x)) for x in values)
        rows = tuples if tuples >= 0 else live
        return RelationStats(rows, pages * block_size, (ins, upd, dele, live))

    def plus(self, other: RelationStats) -> RelationStats:
        a, b = self.counters, other.counters
        return RelationStats(
            self.rows + other.rows,
            self.size_bytes + other.size_bytes,
            (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]),
        )


EMPTY = RelationStats(0, 0, (0, 0, 0, 0))


def partition_totals(
    conn: psycopg.Connection[tuple[object, ...]], block_size: int
) -> Callable[[int], RelationStats]:
    """Sums over the leaf partitions under a partitioned table (nested levels included)."""
    children: dict[int, list[tuple[int, str, RelationStats]]] = {}
    for parent, oid, kind, *values in conn.execute(_PARTITIONS).fetchall():
        stats = RelationStats.from_row(values, block_size)
        children.setdefault(int(str(parent)), []).append((int(str(oid)), str(kind), stats))

    def total(oid: int, depth: int = 0) -> RelationStats:
        out = EMPTY
        if depth >= MAX_PARTITION_DEPTH:
            return out
        for child, kind, stats in children.get(oid, ()):
            out = out.plus(total(child, depth + 1) if kind == "p" else stats)
        return out

    return total


@dataclass(frozen=True)
class Column:
    name: str
    type_name: str

    @property
    def json_type(self) -> str:
        if self.type_name == "bool":
            return "boolean"
        if self.type_name in NUMBER_TYPES or self.type_name == "numeric":
            return "number"
        if self.type_name in JSON_TYPES:
            return "object"
        return "string"


@dataclass(frozen=True)
class Table:
    database: str
    schema: str
    name: str
    kind: str  # r table, p partitioned, m materialized view, v view
    rows_estimate: int  # planner statistics (partitions summed); live tuples if not analysed
    size_bytes: int  # heap and TOAST pages, partitions summed; -1 for views
    counters: tuple[int, int, int, int]  # inserted, updated, deleted, live
    columns: tuple[Column, ...]

    @property
    def asset_name(self) -> str:
        return f"{self.database}.{self.schema}.{self.name}"

    @property
    def fingerprint(self) -> str:
        types = ",".join(f"{c.name}:{c.type_name}" for c in self.columns)
        return f"{self.kind}|{':'.join(map(str, self.counters))}|{types}"


def list_databases(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    rows = conn.execute(
        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def list_tables(
    conn: psycopg.Connection[tuple[object, ...]],
    database: str,
    include_views: bool,
    timeout_ms: int,
) -> list[Table]:
    kinds = ["r", "p", "m", "v"] if include_views else ["r", "p"]
    # catalog reads take no table locks; the timeout bounds a catalog under heavy DDL
    conn.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout_ms)))
    block = conn.execute("SELECT current_setting('block_size')::bigint").fetchone()
    block_size = int(str(block[0])) if block is not None else 8192
    rows = conn.execute(_TABLES, {"kinds": kinds, "system": list(SYSTEM_SCHEMAS)}).fetchall()
    partitions = partition_totals(conn, block_size) if any(r[3] == "p" for r in rows) else None
    tables = []
    for oid, schema, name, kind, *values, names, types in rows:
        assert isinstance(names, list)
        assert isinstance(types, list)
        stats = RelationStats.from_row(values, block_size)
        if kind == "p" and partitions is not None:
            stats = partitions(int(str(oid)))
        tables.append(
            Table(
                database=database,
                schema=str(schema),
                name=str(name),
                kind=str(kind),
                rows_estimate=stats.rows if kind in STORED_KINDS else -1,
                size_bytes=stats.size_bytes if kind in STORED_KINDS else -1,
                counters=stats.counters,
                columns=tuple(Column(str(n), str(t)) for n, t in zip(names, types, strict=True)),
            )
        )
    return tables
