"""Filtered, paginated reads for the API and dashboard: flows, assets, data stores, events.

Filters: namespace (either end of a flow), data type, minimum sensitivity, time range on
last seen (unix nanos). Suppressed findings (false positives) are left out of every answer.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from sensor_console.db import Connection
from sensor_console.reads import _asset
from sensor_console.registry import Suppression, suppressions
from sensor_console.rows import (
    SENSITIVITY_RANK,
    asset_kind_label,
    category_label,
    sensitivity_label,
)

MAX_LIMIT = 1000


@functools.lru_cache(maxsize=4096)
def _json_tuple(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text))


def json_list(text: str) -> list[Any]:
    """A stored JSON list (cached: the same few lists repeat on every row)."""
    return list(_json_tuple(text))


@dataclass(frozen=True)
class Filters:
    namespace: str = ""
    data_type: str = ""
    min_sensitivity: str = ""
    since: int = 0
    until: int = 0
    limit: int = 100
    offset: int = 0
    asset_id: int = 0
    kind: str = ""

    def add_time_window(self, column: str, where: list[str], args: list[object]) -> None:
        """`since`/`until` as conditions on `column` (a column name of ours, never input)."""
        if self.since:
            where.append(f"{column} >= ?")
            args.append(self.since)
        if self.until:
            where.append(f"{column} <= ?")
            args.append(self.until)


def _label(namespace: str, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


def _flow_where(f: Filters) -> tuple[str, list[Any]]:
    where: list[str] = ["1 = 1"]
    args: list[object] = []
    if f.namespace:
        where.append("(s.namespace = ? OR d.namespace = ?)")
        args += [f.namespace, f.namespace]
    if f.asset_id:
        where.append("(e.source_id = ? OR e.destination_id = ?)")
        args += [f.asset_id, f.asset_id]
    f.add_time_window("e.last_seen", where, args)
    if f.data_type:
        where.append("e.id IN (SELECT t.endpoint_id FROM field_types t WHERE t.type_id = ?)")
        args.append(f.data_type)
    if f.min_sensitivity:
        where.append("e.max_sensitivity >= ?")
        args.append(SENSITIVITY_RANK.get(f.min_sensitivity, 0))
    return " AND ".join(where), args


def _fields(
    conn: Connection,
    endpoint_ids: list[int],
    labels: dict[int, tuple[str, str, str]],
    hidden: list[Suppression],
) -> dict[tuple[int, str], list[dict[str, Any]]]:
    out: dict[tuple[int, str], list[dict[str, Any]]] = {}
    if not endpoint_ids:
        return out
    marks = ",".join("?" * len(endpoint_ids))
    types: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(
        "SELECT t.field_id, t.type_id, t.max_confidence, t.sensitivity, t.category, t.reasons,"  # noqa: S608
        " f.endpoint_id, f.path FROM field_types t JOIN fields f ON f.id = t.field_id"
        f" WHERE f.endpoint_id IN ({marks}) ORDER BY t.sensitivity DESC, t.type_id",
        endpoint_ids,
    ):
        src, dst, ep = labels[row[6]]
        if any(s.covers(row[1], a, ep, row[7]) for s in hidden for a in (src, dst)):
            continue
        types.setdefault(row[0], []).append(
            {
                "type_id": row[1],
                "confidence": row[2],
                "sensitivity": sensitivity_label(row[3]),
                "category": category_label(row[4]),
                "reasons": json_list(row[5]),
            }
        )
    for row in conn.execute(
        "SELECT id, endpoint_id, direction, path, json_types, seen, masked_shape, first_seen,"  # noqa: S608
        f" last_seen FROM fields WHERE endpoint_id IN ({marks})"
        " ORDER BY direction, path",
        endpoint_ids,
    ):
        item = {
            "id": row[0],
            "path": row[3],
            "json_types": json_list(row[4]),
            "seen": row[5],
            "data_types": types.get(row[0], []),
            "first_seen_unix_nanos": row[7],
            "last_seen_unix_nanos": row[8],
        }
        if row[6]:
            item["masked_shape"] = row[6]
        out.setdefault((row[1], row[2]), []).append(item)
    return out


def _max_sensitivity(fields: list[dict[str, Any]]) -> str:
    labels = [t["sensitivity"] for f in fields for t in f["data_types"]]
    return max(labels, key=lambda s: SENSITIVITY_RANK.get(s, 0), default="unspecified")


def flows(conn: Connection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of flows with their fields), most sensitive first."""
    where, args = _flow_where(f)
    cols = ", ".join(
        f"{a}.{c} AS {a}_{c}"
        for a in ("s", "d")
        for c in ("id", "kind", "cluster", "namespace", "name", "workload_kind", "external")
    )
    base = (
        " FROM endpoints e JOIN assets s ON s.id = e.source_id"
        f" JOIN assets d ON d.id = e.destination_id WHERE {where}"
    )
    total = int(conn.execute("SELECT COUNT(*)" + base, args).fetchone()[0])
    rows = conn.execute(
        f"SELECT e.*, {cols}{base} ORDER BY e.max_sensitivity DESC, e.id LIMIT ? OFFSET ?",
        [*args, min(f.limit, MAX_LIMIT), f.offset],
    ).fetchall()
    labels = {
        r["id"]: (
            _label(r["s_namespace"], r["s_name"]),
            _label(r["d_namespace"], r["d_name"]),
            f"{r['method']} {r['host']} {r['path_template']}",
        )
        for r in rows
    }
    fields = _fields(conn, list(labels), labels, [s for _, s in suppressions(conn)])
    page = []
    for r in rows:
        request = fields.get((r["id"], "request"), [])
        response = fields.get((r["id"], "response"), [])
        source = {"id": r["s_id"], **_asset_dict(_asset(r, "s_"))}
        destination = {"id": r["d_id"], **_asset_dict(_asset(r, "d_"))}
        page.append(
            {
                "id": r["id"],
                "source": source,
                "destination": destination,
                "method": r["method"],
                "host": r["host"],
                "port": r["port"],
                "path_template": r["path_template"],
                "statuses": json.loads(r["statuses"]),
                "observed": r["observed"],
                "analysed": r["analysed"],
                "first_seen_unix_nanos": r["first_seen"],
                "last_seen_unix_nanos": r["last_seen"],
                "request": request,
                "response": response,
                "max_sensitivity": _max_sensitivity(request + response),
            }
        )
    return total, page


def _asset_dict(row: Any) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "cluster": row.cluster,
        "namespace": row.namespace,
        "name": row.name,
        "workload_kind": row.workload_kind,
        "external": row.external,
    }


def assets(conn: Connection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Workloads, services and external hosts with their flow counts and data types."""
    where: list[str] = ["1 = 1"]
    args: list[object] = []
    if f.namespace:
        where.append("a.namespace = ?")
        args.append(f.namespace)
    f.add_time_window("a.last_seen", where, args)
    if f.asset_id:
        where.append("a.id = ?")
        args.append(f.asset_id)
    if f.data_type:
        where.append(
            "EXISTS (SELECT 1 FROM endpoints e WHERE e.id IN (SELECT t.endpoint_id"
            " FROM field_types t WHERE t.type_id = ?)"
            " AND (e.source_id = a.id OR e.destination_id = a.id))"
        )
        args.append(f.data_type)
    clause = " AND ".join(where)
    total = int(
        conn.execute(f"SELECT COUNT(*) FROM assets a WHERE {clause}", args).fetchone()[0]  # noqa: S608
    )
    rows = conn.execute(
        "SELECT a.*, (SELECT COUNT(*) FROM endpoints e WHERE e.source_id = a.id) AS outgoing,"  # noqa: S608
        " (SELECT COUNT(*) FROM endpoints e WHERE e.destination_id = a.id) AS incoming"
        f" FROM assets a WHERE {clause}"
        " ORDER BY a.namespace, a.name, a.id LIMIT ? OFFSET ?",
        [*args, min(f.limit, MAX_LIMIT), f.offset],
    ).fetchall()
    page = []
    for r in rows:
        types = conn.execute(
            "SELECT DISTINCT t.type_id, MAX(t.sensitivity) FROM endpoints e"
            " JOIN fields x ON x.endpoint_id = e.id JOIN field_types t ON t.field_id = x.id"
            " WHERE e.source_id = ? OR e.destination_id = ? GROUP BY t.type_id"
            " ORDER BY 2 DESC, 1",
            (r["id"], r["id"]),
        ).fetchall()
        if f.min_sensitivity and not any(
            t[1] >= SENSITIVITY_RANK.get(f.min_sensitivity, 0) for t in types
        ):
            continue
        page.append(
            {
                "id": r["id"],
                "kind": asset_kind_label(r["kind"]),
                "cluster": r["cluster"],
                "namespace": r["namespace"],
                "name": r["name"],
                "workload_kind": r["workload_kind"],
                "external": bool(r["external"]),
                "outgoing_flows": r["outgoing"],
                "incoming_flows": r["incoming"],
                "data_types": [t[0] for t in types],
                "max_sensitivity": sensitivity_label(max((t[1] for t in types), default=0)),
                "first_seen_unix_nanos": r["first_seen"],
                "last_seen_unix_nanos": r["last_seen"],
            }
        )
    return total, page


def field_detail(conn: Connection, field_id: int) -> dict[str, Any] | None:
    """One field of one endpoint with its data types (suppressed ones left out)."""
    row = conn.execute(
        "SELECT x.*, e.method, e.host, e.port, e.path_template, e.source_id, e.destination_id,"
        " s.namespace AS s_ns, s.name AS s_name, d.namespace AS d_ns, d.name AS d_name"
        " FROM fields x JOIN endpoints e ON e.id = x.endpoint_id"
        " JOIN assets s ON s.id = e.source_id JOIN assets d ON d.id = e.destination_id"
        " WHERE x.id = ?",
        (field_id,),
    ).fetchone()
    if row is None:
        return None
    endpoint = f"{row['method']} {row['host']} {row['path_template']}"
    ends = (_label(row["s_ns"], row["s_name"]), _label(row["d_ns"], row["d_name"]))
    hidden = [s for _, s in suppressions(conn)]
    types = [
        {
            "type_id": t[0],
            "confidence": t[1],
            "sensitivity": sensitivity_label(t[2]),
            "category": category_label(t[3]),
            "reasons": json.loads(t[4]),
            "first_seen_unix_nanos": t[5],
            "last_seen_unix_nanos": t[6],
        }
        for t in conn.execute(
            "SELECT type_id, max_confidence, sensitivity, category, reasons, first_seen,"
            " last_seen FROM field_types WHERE field_id = ? ORDER BY sensitivity DESC, type_id",
            (field_id,),
        )
        if not any(s.covers(t[0], a, endpoint, row["path"]) for s in hidden for a in ends)
    ]
    return {
        "id": field_id,
        "path": row["path"],
        "direction": row["direction"],
        "content_type": row["content_type"],
        "json_types": json.loads(row["json_types"]),
        "seen": row["seen"],
        "masked_shape": row["masked_shape"],
        "endpoint": endpoint,
        "source": {"id": row["source_id"], "label": ends[0]},
        "destination": {"id": row["destination_id"], "label": ends[1]},
        "data_types": types,
        "first_seen_unix_nanos": row["first_seen"],
        "last_seen_unix_nanos": row["last_seen"],
    }
