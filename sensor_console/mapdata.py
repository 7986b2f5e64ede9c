"""The data map's graph in one aggregate query: per (source, destination) asset pair, the data
types that flow and the highest sensitivity, with false positives (suppressions) left out.

SQL shared by SQLite and PostgreSQL (`||` concatenation, correlated NOT EXISTS).
"""

from __future__ import annotations

from typing import Any

from sensor_console.db import Connection
from sensor_console.queries import Filters, _flow_where
from sensor_console.rows import asset_kind_label

MAX_EDGES = 2000
MAX_ENDPOINTS = 300  # the most sensitive endpoints matching the filters are drawn

_LABEL = "CASE WHEN {a}.namespace != '' THEN {a}.namespace || '/' || {a}.name ELSE {a}.name END"
_NOT_SUPPRESSED = (
    "NOT EXISTS (SELECT 1 FROM suppressions z WHERE (z.type_id = '' OR z.type_id = t.type_id)"  # noqa: S608
    " AND (z.path = '' OR z.path = x.path)"
    " AND (z.endpoint = '' OR z.endpoint = e.method || ' ' || e.host || ' ' || e.path_template)"
    f" AND (z.asset = '' OR z.asset = {_LABEL.format(a='s')} OR z.asset = {_LABEL.format(a='d')}))"
)


def _asset(row: Any, prefix: str) -> dict[str, Any]:
    return {
        "id": row[prefix + "id"],
        "kind": asset_kind_label(row[prefix + "kind"]),
        "namespace": row[prefix + "namespace"],
        "name": row[prefix + "name"],
        "external": bool(row[prefix + "external"]),
    }


def map_edges(conn: Connection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """(endpoints matching `f`, [{source, destination, types, rank: 0-3}]) for the
    MAX_ENDPOINTS most sensitive of them."""
    where, args = _flow_where(f)
    base = (
        " FROM endpoints e JOIN assets s ON s.id = e.source_id"
        f" JOIN assets d ON d.id = e.destination_id WHERE {where}"
    )
    total = int(conn.execute("SELECT COUNT(*)" + base, args).fetchone()[0])
    top = f"SELECT e.id{base} ORDER BY e.max_sensitivity DESC, e.id LIMIT ?"
    cols = ", ".join(
        f"{a}.{c} AS {a}_{c}"
        for a in ("s", "d")
        for c in ("id", "kind", "namespace", "name", "external")
    )
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for row in conn.execute(
        f"SELECT {cols}, t.type_id AS type_id, MAX(t.sensitivity) AS rank"  # noqa: S608
        " FROM endpoints e JOIN assets s ON s.id = e.source_id"
        " JOIN assets d ON d.id = e.destination_id"
        " LEFT JOIN fields x ON x.endpoint_id = e.id"
        " LEFT JOIN field_types t ON t.field_id = x.id"
        f" WHERE e.id IN ({top}) AND (t.type_id IS NULL OR {_NOT_SUPPRESSED})"
        " GROUP BY s.id, s.kind, s.namespace, s.name, s.external,"
        " d.id, d.kind, d.namespace, d.name, d.external, t.type_id"
        " ORDER BY s.id, d.id LIMIT ?",
        [*args, MAX_ENDPOINTS, MAX_EDGES * 20],
    ):
        key = (row["s_id"], row["d_id"])
        edge = edges.get(key)
        if edge is None:
            if len(edges) >= MAX_EDGES:
                continue
            edge = {
                "source": _asset(row, "s_"),
                "destination": _asset(row, "d_"),
                "types": [],
                "rank": 0,
            }
            edges[key] = edge
        if row["type_id"] is not None:
            edge["types"].append(row["type_id"])
            edge["rank"] = max(edge["rank"], int(row["rank"] or 0))
    return total, list(edges.values())
