"""What a PostgreSQL database holds: user tables (and views), their columns, types and counters.

One catalog query per database; system schemas are skipped, partitions are crawled through
their parent table. The fingerprint of a table is its row counters and column types, so an
incremental scan skips tables whose statistics show no change.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema")
NUMBER_TYPES = frozenset({"int2", "int4", "int8", "float4", "float8", "oid"})
JSON_TYPES = frozenset({"json", "jsonb"})
SKIPPED_TYPES = frozenset({"bytea"})

_TABLES = """
SELECT n.nspname, c.relname, c.relkind::text, greatest(c.reltuples, -1)::bigint,
       CASE WHEN c.relkind IN ('r', 'm')
            THEN c.relpages::bigint * current_setting('block_size')::bigint ELSE -1 END,
       coalesce(s.n_tup_ins, 0), coalesce(s.n_tup_upd, 0), coalesce(s.n_tup_del, 0),
       coalesce(s.n_live_tup, 0),
       array_agg(a.attname::text ORDER BY a.attnum),
       array_agg(t.typname::text ORDER BY a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
WHERE c.relkind = ANY(%(kinds)s)
  AND NOT c.relispartition
  AND n.nspname <> ALL(%(system)s)
  AND n.nspname NOT LIKE 'pg\\_toast%%'
  AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
GROUP BY n.nspname, c.relname, c.relkind, c.reltuples, c.oid,
         s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_live_tup
ORDER BY n.nspname, c.relname
"""


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
    rows_estimate: int
    size_bytes: int
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
    rows = conn.execute(_TABLES, {"kinds": kinds, "system": list(SYSTEM_SCHEMAS)}).fetchall()
    tables = []
    for row in rows:
        schema, name, kind, reltuples, size, ins, upd, dele, live, names, types = row
        assert isinstance(names, list)
        assert isinstance(types, list)
        tables.append(
            Table(
                database=database,
                schema=str(schema),
                name=str(name),
                kind=str(kind),
                rows_estimate=int(str(live)) if int(str(reltuples)) < 0 else int(str(reltuples)),
                size_bytes=int(str(size)),
                counters=(int(str(ins)), int(str(upd)), int(str(dele)), int(str(live))),
                columns=tuple(Column(str(n), str(t)) for n, t in zip(names, types, strict=True)),
            )
        )
    return tables
