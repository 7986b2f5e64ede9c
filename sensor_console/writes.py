"""Upserting one PushBatch into the store: identical flows and assets merge, counts add up.

Called inside the store's write transaction; every function takes the open connection.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
from collections.abc import Iterable

from dsensor.v1 import metadata_pb2, stats_pb2

from sensor_console.db import Connection
from sensor_console.rows import enum_label

MAX_LIST_ITEMS = 64  # cap on merged lists (statuses, reasons, json types) per row
MAX_COUNT = 2**53


@functools.lru_cache(maxsize=8192)
def json_union(old: str | None, new: str | None) -> str:
    """SQL function: the sorted union of two JSON lists, capped at MAX_LIST_ITEMS."""
    if old == new and old is not None:
        return old
    items: set[object] = set()
    for text in (old, new):
        if text:
            loaded = json.loads(text)
            if isinstance(loaded, list):
                items.update(x for x in loaded if isinstance(x, str | int))
    return json.dumps(sorted(items, key=lambda x: (isinstance(x, str), x))[:MAX_LIST_ITEMS])


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("json_union", 2, json_union, deterministic=True)


def _json_list(values: Iterable[object]) -> str:
    return _json_tuple(tuple(values))


@functools.lru_cache(maxsize=8192)
def _json_tuple(values: tuple[object, ...]) -> str:
    return json_union(None, json.dumps(list(values)))


def _count(value: int) -> int:
    """A uint64 counter clamped to what SQLite and JSON clients hold exactly."""
    return min(value, MAX_COUNT)


def _confidence(value: float) -> float:
    return 0.0 if math.isnan(value) else min(max(value, 0.0), 1.0)


def _json_types(field: metadata_pb2.Field) -> str:
    return _json_type_labels(tuple(field.json_types))


@functools.lru_cache(maxsize=1024)
def _json_type_labels(numbers: tuple[int, ...]) -> str:
    return _json_list(enum_label(metadata_pb2.JsonType, t, "JSON_TYPE_") for t in numbers)


def masked_shape(shape: str) -> str:
    """A masked shape as sensors send it (letters -> x, digits -> 9, at most 32 characters);
    anything else could be a value, so it is dropped."""
    if len(shape) > 32 or any(c.isalnum() and c not in "x9" for c in shape):
        return ""
    return shape


def _span(first: int, last: int, fallback: int) -> tuple[int, int]:
    first = first or last or fallback
    last = last or first
    return min(first, last), max(first, last)


def write_batch(conn: Connection, req: stats_pb2.PushBatchRequest, received: int) -> None:
    """Merge every flow and data asset of one batch and record the batch and its sensor."""
    fallback = req.created_unix_nanos or received
    for flow in req.flows:
        _write_flow(conn, flow, req.cluster_name, fallback)
    for asset in req.assets:
        _write_data_asset(conn, asset, req.cluster_name, fallback)
    conn.execute(
        "INSERT INTO batches (batch_id, sensor_id, received_at, flows, assets)"
        " VALUES (?, ?, ?, ?, ?)",
        (req.batch_id, req.sensor_id, received, len(req.flows), len(req.assets)),
    )
    conn.execute(
        "INSERT INTO sensors (sensor_id, cluster, kind, last_batch) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (sensor_id) DO UPDATE SET cluster = excluded.cluster,"
        " kind = excluded.kind, last_batch = MAX(last_batch, excluded.last_batch)",
        (req.sensor_id, req.cluster_name, int(req.sensor_kind), received),
    )


def _asset_id(
    conn: Connection, asset: metadata_pb2.Asset, cluster: str, span: tuple[int, int]
) -> int:
    row = conn.execute(
        "INSERT INTO assets (cluster, kind, namespace, name, workload_kind, external,"
        " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (cluster, kind, namespace, name) DO UPDATE SET"
        " workload_kind = CASE WHEN excluded.workload_kind != '' THEN excluded.workload_kind"
        " ELSE workload_kind END, external = MAX(external, excluded.external),"
        " first_seen = MIN(first_seen, excluded.first_seen),"
        " last_seen = MAX(last_seen, excluded.last_seen) RETURNING id",
        (
            asset.cluster or cluster,
            int(asset.kind),
            asset.namespace,
            asset.name,
            asset.workload_kind,
            int(asset.external),
            *span,
        ),
    ).fetchone()
    return int(row[0])


def _write_flow(
    conn: Connection, flow: metadata_pb2.FlowMetadata, cluster: str, fallback: int
) -> None:
    span = _span(flow.first_seen_unix_nanos, flow.last_seen_unix_nanos, fallback)
    source = _asset_id(conn, flow.source, cluster, span)
    destination = _asset_id(conn, flow.destination, cluster, span)
    ep = flow.endpoint
    row = conn.execute(
        "INSERT INTO endpoints (source_id, destination_id, method, host, port, path_template,"
        " statuses, observed, analysed, first_seen, last_seen, max_sensitivity)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source_id, destination_id, method, host, port, path_template)"
        " DO UPDATE SET statuses = json_union(statuses, excluded.statuses),"
        " observed = observed + excluded.observed, analysed = analysed + excluded.analysed,"
        " first_seen = MIN(first_seen, excluded.first_seen),"
        " last_seen = MAX(last_seen, excluded.last_seen),"
        " max_sensitivity = MAX(max_sensitivity, excluded.max_sensitivity) RETURNING id",
        (
            source,
            destination,
            ep.method,
            ep.host,
            ep.port,
            ep.path_template,
            _json_list(flow.statuses),
            _count(flow.observed),
            _count(flow.analysed),
            *span,
            max(
                (
                    int(t.sensitivity)
                    for schema in (flow.request, flow.response)
                    for f in schema.fields
                    for t in f.data_types
                ),
                default=0,
            ),
        ),
    ).fetchone()
    endpoint_id = int(row[0])
    for direction, schema in (("request", flow.request), ("response", flow.response)):
        for field in schema.fields:
            field_id = int(
                conn.execute(
                    "INSERT INTO fields (endpoint_id, direction, path, content_type, json_types,"
                    " seen, first_seen, last_seen, masked_shape) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (endpoint_id, direction, path) DO UPDATE SET"
                    " content_type = CASE WHEN excluded.content_type != ''"
                    " THEN excluded.content_type ELSE content_type END,"
                    " json_types = json_union(json_types, excluded.json_types),"
                    " seen = seen + excluded.seen,"
                    " first_seen = MIN(first_seen, excluded.first_seen),"
                    " last_seen = MAX(last_seen, excluded.last_seen),"
                    " masked_shape = CASE WHEN excluded.masked_shape != ''"
                    " THEN excluded.masked_shape ELSE masked_shape END RETURNING id",
                    (
                        endpoint_id,
                        direction,
                        field.path,
                        schema.content_type,
                        _json_types(field),
                        _count(field.seen),
                        *span,
                        masked_shape(field.masked_shape),
                    ),
                ).fetchone()[0]
            )
            _write_types(conn, "field_types", field_id, field.data_types, span, endpoint_id)


def _write_types(
    conn: Connection,
    table: str,
    field_id: int,
    findings: Iterable[metadata_pb2.DataTypeFinding],
    span: tuple[int, int],
    endpoint_id: int | None = None,
) -> None:
    """Upsert findings; field_types also get their endpoint id (for type filters)."""
    assert table in ("field_types", "data_asset_field_types")
    owner = ", endpoint_id" if endpoint_id is not None else ""
    marks = ", ?" if endpoint_id is not None else ""
    extra = (endpoint_id,) if endpoint_id is not None else ()
    for finding in findings:
        conn.execute(
            f"INSERT INTO {table} (field_id, type_id, max_confidence, sensitivity,"  # noqa: S608
            f" category, reasons, first_seen, last_seen{owner})"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?{marks})"
            " ON CONFLICT (field_id, type_id) DO UPDATE SET"
            " max_confidence = MAX(max_confidence, excluded.max_confidence),"
            " sensitivity = MAX(sensitivity, excluded.sensitivity),"
            " category = CASE WHEN excluded.category != 0 THEN excluded.category"
            " ELSE category END, reasons = json_union(reasons, excluded.reasons),"
            " first_seen = MIN(first_seen, excluded.first_seen),"
            " last_seen = MAX(last_seen, excluded.last_seen)",
            (
                field_id,
                finding.type_id,
                _confidence(finding.confidence),
                int(finding.sensitivity),
                int(finding.category),
                _json_list(finding.reasons),
                *span,
                *extra,
            ),
        )


# on a conflict the newest scan's values win; counts the store did not give are NULL
_UPSERT_DATA_ASSET = (
    "INSERT INTO data_assets (cluster, source, instance, asset, sampled, scanned_at, errors,"
    " estimated_records, size_bytes, bytes_read, objects, partitions,"
    " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (cluster, source, instance, asset) DO UPDATE SET"
    " sampled = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.sampled ELSE sampled END,"
    " errors = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.errors ELSE errors END,"
    " estimated_records = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.estimated_records ELSE estimated_records END,"
    " size_bytes = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.size_bytes ELSE size_bytes END,"
    " bytes_read = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.bytes_read ELSE bytes_read END,"
    " objects = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.objects ELSE objects END,"
    " partitions = CASE WHEN excluded.scanned_at >= scanned_at"
    " THEN excluded.partitions ELSE partitions END,"
    " scanned_at = MAX(scanned_at, excluded.scanned_at),"
    " first_seen = MIN(first_seen, excluded.first_seen),"
    " last_seen = MAX(last_seen, excluded.last_seen) RETURNING id"
)


def _known(present: bool, value: int) -> int | None:
    """A count the crawler may not know: NULL when it was not set."""
    return _count(value) if present else None


def _write_data_asset(
    conn: Connection, asset: metadata_pb2.DataAssetMetadata, cluster: str, fallback: int
) -> None:
    scanned = asset.scanned_unix_nanos or fallback
    span = (scanned, scanned)
    row = conn.execute(
        _UPSERT_DATA_ASSET,
        (
            cluster,
            asset.source,
            asset.instance,
            asset.asset,
            _count(asset.sampled),
            scanned,
            _json_list(asset.errors),
            _known(asset.HasField("estimated_records"), asset.estimated_records),
            _known(asset.HasField("size_bytes"), asset.size_bytes),
            _count(asset.bytes_read),
            _known(asset.HasField("objects"), asset.objects),
            _known(asset.HasField("partitions"), asset.partitions),
            *span,
        ),
    ).fetchone()
    asset_id = int(row[0])
    for field in asset.fields:
        field_id = int(
            conn.execute(
                "INSERT INTO data_asset_fields (data_asset_id, path, json_types, seen,"
                " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (data_asset_id, path) DO UPDATE SET"
                " json_types = json_union(json_types, excluded.json_types),"
                " seen = seen + excluded.seen,"
                " first_seen = MIN(first_seen, excluded.first_seen),"
                " last_seen = MAX(last_seen, excluded.last_seen) RETURNING id",
                (asset_id, field.path, _json_types(field), _count(field.seen), *span),
            ).fetchone()[0]
        )
        _write_types(conn, "data_asset_field_types", field_id, field.data_types, span)
