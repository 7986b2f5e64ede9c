"""Reads for data at rest, events and the overview (counts and the most sensitive flows)."""

from __future__ import annotations

import json
from typing import Any

from sensor_console.db import Connection
from sensor_console.queries import MAX_LIMIT, Filters, flows
from sensor_console.registry import suppressions
from sensor_console.rows import SENSITIVITY_RANK, category_label, sensitivity_label


def data_stores(conn: Connection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Buckets, topics and tables the crawler reported, with their fields and types."""
    where: list[str] = ["1 = 1"]
    args: list[object] = []
    f.add_time_window("a.last_seen", where, args)
    if f.data_type:
        where.append(
            "EXISTS (SELECT 1 FROM data_asset_fields x JOIN data_asset_field_types t"
            " ON t.field_id = x.id WHERE x.data_asset_id = a.id AND t.type_id = ?)"
        )
        args.append(f.data_type)
    if f.min_sensitivity:
        where.append(
            "EXISTS (SELECT 1 FROM data_asset_fields x JOIN data_asset_field_types t"
            " ON t.field_id = x.id WHERE x.data_asset_id = a.id AND t.sensitivity >= ?)"
        )
        args.append(SENSITIVITY_RANK.get(f.min_sensitivity, 0))
    clause = " AND ".join(where)
    total = int(
        conn.execute(f"SELECT COUNT(*) FROM data_assets a WHERE {clause}", args).fetchone()[0]  # noqa: S608
    )
    hidden = [s for _, s in suppressions(conn)]
    page = []
    for r in conn.execute(
        f"SELECT * FROM data_assets a WHERE {clause}"  # noqa: S608
        " ORDER BY a.source, a.instance, a.asset LIMIT ? OFFSET ?",
        [*args, min(f.limit, MAX_LIMIT), f.offset],
    ).fetchall():
        label = f"{r['source']}/{r['instance']}/{r['asset']}"
        fields = []
        for x in conn.execute(
            "SELECT id, path, json_types, seen, masked_shape FROM data_asset_fields"
            " WHERE data_asset_id = ? ORDER BY path",
            (r["id"],),
        ).fetchall():
            types = [
                {
                    "type_id": t[0],
                    "confidence": t[1],
                    "sensitivity": sensitivity_label(t[2]),
                    "category": category_label(t[3]),
                }
                for t in conn.execute(
                    "SELECT type_id, max_confidence, sensitivity, category"
                    " FROM data_asset_field_types WHERE field_id = ?"
                    " ORDER BY sensitivity DESC, type_id",
                    (x[0],),
                )
                if not any(s.covers(t[0], label, "", x[1]) for s in hidden)
            ]
            item = {"path": x[1], "json_types": json.loads(x[2]), "seen": x[3], "data_types": types}
            if x[4]:
                item["masked_shape"] = x[4]
            fields.append(item)
        labels = [t["sensitivity"] for fd in fields for t in fd["data_types"]]
        page.append(
            {
                "id": r["id"],
                "cluster": r["cluster"],
                "source": r["source"],
                "instance": r["instance"],
                "asset": r["asset"],
                "sampled": r["sampled"],
                # counts and sizes of the whole asset; null when the store does not say
                "estimated_records": r["estimated_records"],
                "size_bytes": r["size_bytes"],
                "bytes_read": r["bytes_read"],
                "objects": r["objects"],
                "partitions": r["partitions"],
                "errors": json.loads(r["errors"]),
                "scanned_unix_nanos": r["scanned_at"],
                "first_seen_unix_nanos": r["first_seen"],
                "last_seen_unix_nanos": r["last_seen"],
                "max_sensitivity": max(
                    labels, key=lambda s: SENSITIVITY_RANK.get(s, 0), default="unspecified"
                ),
                "fields": fields,
            }
        )
    return total, page


def events(conn: Connection, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    where: list[str] = ["1 = 1"]
    args: list[object] = []
    if f.kind:
        where.append("kind = ?")
        args.append(f.kind)
    f.add_time_window("created_at", where, args)
    clause = " AND ".join(where)
    total = int(conn.execute(f"SELECT COUNT(*) FROM events WHERE {clause}", args).fetchone()[0])  # noqa: S608
    rows = conn.execute(
        f"SELECT * FROM events WHERE {clause} ORDER BY created_at DESC, id DESC"  # noqa: S608
        " LIMIT ? OFFSET ?",
        [*args, min(f.limit, MAX_LIMIT), f.offset],
    ).fetchall()
    return total, [event_json(r) for r in rows]


def event_json(r: Any) -> dict[str, Any]:
    return {
        "id": r["id"],
        "kind": r["kind"],
        "created_unix_nanos": r["created_at"],
        "severity": r["severity"],
        "title": r["title"],
        "details": json.loads(r["details"]),
        "delivered": bool(r["delivered"]),
    }


def overview(conn: Connection) -> dict[str, Any]:
    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    _, top = flows(conn, Filters(limit=10))
    return {
        "counts": {
            "assets": count("SELECT COUNT(*) FROM assets"),
            "external_assets": count("SELECT COUNT(*) FROM assets WHERE external = 1 OR kind = 3"),
            "flows": count("SELECT COUNT(*) FROM endpoints"),
            "fields": count("SELECT COUNT(*) FROM fields"),
            "data_types": count(
                "SELECT COUNT(*) FROM (SELECT type_id FROM field_types UNION"
                " SELECT type_id FROM data_asset_field_types) AS u"
            ),
            "data_stores": count("SELECT COUNT(*) FROM data_assets"),
            "sensors": count("SELECT COUNT(*) FROM sensors"),
            "events": count("SELECT COUNT(*) FROM events"),
            "violations": count(
                "SELECT COUNT(*) FROM events WHERE kind IN"
                " ('policy_violation', 'third_party_violation')"
            ),
        },
        "top_flows": [fl for fl in top if fl["max_sensitivity"] != "unspecified"],
    }
