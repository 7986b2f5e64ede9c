"""Read queries of the store: the data map, the data types, the sensors."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sensor_console.db import Connection
from sensor_console.rows import (
    SENSITIVITY_RANK,
    AssetRow,
    DataTypeRow,
    FieldRow,
    FieldTypeRow,
    FlowRow,
    NodeRow,
    SensorRow,
    asset_kind_label,
    category_label,
    sensitivity_label,
    sensor_kind_label,
)

_ASSET_COLUMNS = "kind, cluster, namespace, name, workload_kind, external"


def _asset(row: Any, prefix: str) -> AssetRow:
    return AssetRow(
        kind=asset_kind_label(row[prefix + "kind"]),
        cluster=row[prefix + "cluster"],
        namespace=row[prefix + "namespace"],
        name=row[prefix + "name"],
        workload_kind=row[prefix + "workload_kind"],
        external=bool(row[prefix + "external"]),
    )


def _fields_by_endpoint(conn: Connection) -> dict[tuple[int, str], list[FieldRow]]:
    types: dict[int, list[FieldTypeRow]] = defaultdict(list)
    for row in conn.execute(
        "SELECT field_id, type_id, max_confidence, sensitivity, category FROM field_types"
        " ORDER BY field_id, sensitivity DESC, type_id"
    ):
        types[row["field_id"]].append(
            FieldTypeRow(
                type_id=row["type_id"],
                confidence=row["max_confidence"],
                sensitivity=sensitivity_label(row["sensitivity"]),
                category=category_label(row["category"]),
            )
        )
    fields: dict[tuple[int, str], list[FieldRow]] = defaultdict(list)
    for row in conn.execute(
        "SELECT id, endpoint_id, direction, path, json_types, seen FROM fields"
        " ORDER BY endpoint_id, direction, path"
    ):
        fields[(row["endpoint_id"], row["direction"])].append(
            FieldRow(
                path=row["path"],
                json_types=json.loads(row["json_types"]),
                seen=int(row["seen"]),
                data_types=types.get(row["id"], []),
            )
        )
    return fields


def data_map(conn: Connection) -> list[FlowRow]:
    """Every endpoint between two assets, most sensitive first."""
    src = ", ".join(f"s.{c} AS s_{c}" for c in _ASSET_COLUMNS.split(", "))
    dst = ", ".join(f"d.{c} AS d_{c}" for c in _ASSET_COLUMNS.split(", "))
    fields = _fields_by_endpoint(conn)
    flows = []
    for row in conn.execute(
        f"SELECT e.*, {src}, {dst} FROM endpoints e"  # noqa: S608 - fixed column names
        " JOIN assets s ON s.id = e.source_id JOIN assets d ON d.id = e.destination_id"
    ):
        flows.append(
            FlowRow(
                source=_asset(row, "s_"),
                destination=_asset(row, "d_"),
                method=row["method"],
                host=row["host"],
                port=row["port"],
                path_template=row["path_template"],
                statuses=json.loads(row["statuses"]),
                observed=int(row["observed"]),
                analysed=int(row["analysed"]),
                first_seen_unix_nanos=row["first_seen"],
                last_seen_unix_nanos=row["last_seen"],
                request=fields.get((row["id"], "request"), []),
                response=fields.get((row["id"], "response"), []),
            )
        )
    flows.sort(
        key=lambda f: (
            -SENSITIVITY_RANK.get(f.max_sensitivity, 0),
            f.source.name,
            f.destination.name,
            f.path_template,
            f.method,
        )
    )
    return flows


def data_types(conn: Connection) -> list[DataTypeRow]:
    """Each data type seen, with how many endpoints and data assets carry it."""
    found: dict[str, dict[str, Any]] = {}
    queries = (
        (
            "endpoints",
            "SELECT t.type_id, MAX(t.sensitivity) AS sensitivity, MAX(t.category) AS category,"
            " COUNT(DISTINCT t.endpoint_id) AS n FROM field_types t GROUP BY t.type_id",
        ),
        (
            "data_assets",
            "SELECT t.type_id, MAX(t.sensitivity) AS sensitivity, MAX(t.category) AS category,"
            " COUNT(DISTINCT f.data_asset_id) AS n FROM data_asset_field_types t"
            " JOIN data_asset_fields f ON f.id = t.field_id GROUP BY t.type_id",
        ),
    )
    for key, query in queries:
        for row in conn.execute(query):
            entry = found.setdefault(
                row["type_id"], {"sensitivity": 0, "category": 0, "endpoints": 0, "data_assets": 0}
            )
            entry["sensitivity"] = max(entry["sensitivity"], row["sensitivity"])
            entry["category"] = max(entry["category"], row["category"])
            entry[key] = int(row["n"])
    rows = [
        DataTypeRow(
            type_id=type_id,
            category=category_label(e["category"]),
            max_sensitivity=sensitivity_label(e["sensitivity"]),
            endpoints=e["endpoints"],
            data_assets=e["data_assets"],
        )
        for type_id, e in found.items()
    ]
    rows.sort(key=lambda r: (-SENSITIVITY_RANK.get(r.max_sensitivity, 0), r.type_id))
    return rows


def _node(raw: dict[str, Any]) -> NodeRow:
    return NodeRow(
        node=str(raw.get("node", "")),
        last_seen_unix_nanos=int(raw.get("last_seen_unix_nanos", 0)),
        counters={str(k): int(v) for k, v in dict(raw.get("counters", {})).items()},
        interfaces=[str(i) for i in raw.get("interfaces", [])],
        uninspected=list(raw.get("uninspected", [])),
    )


def sensors(conn: Connection) -> list[SensorRow]:
    return [
        SensorRow(
            sensor_id=row["sensor_id"],
            cluster=row["cluster"],
            kind=sensor_kind_label(row["kind"]),
            version=row["version"],
            last_heartbeat_unix_nanos=row["last_heartbeat"],
            last_batch_unix_nanos=row["last_batch"],
            counters={str(k): int(v) for k, v in json.loads(row["counters"]).items()},
            nodes=[_node(n) for n in json.loads(row["nodes"])],
        )
        for row in conn.execute("SELECT * FROM sensors ORDER BY sensor_id")
    ]
