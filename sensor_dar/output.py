"""An asset's result as protobuf for the console, as a CONTRACTS.md JSON line, as table rows."""

from __future__ import annotations

import json

from dsensor.v1 import metadata_pb2

from detection_tool.convert import finding_to_proto
from sensor_dar.model import AssetResult

JSON_TYPE_TO_PROTO = {
    "string": metadata_pb2.JSON_TYPE_STRING,
    "number": metadata_pb2.JSON_TYPE_NUMBER,
    "boolean": metadata_pb2.JSON_TYPE_BOOLEAN,
    "null": metadata_pb2.JSON_TYPE_NULL,
    "object": metadata_pb2.JSON_TYPE_OBJECT,
    "array": metadata_pb2.JSON_TYPE_ARRAY,
}
_RANK = {"low": 1, "medium": 2, "high": 3}


def to_proto(result: AssetResult) -> metadata_pb2.DataAssetMetadata:
    """Structure, types and counts only: no field of the message can hold a value.

    Counts the store does not know (-1) stay unset, so the console shows them as unknown.
    """
    message = metadata_pb2.DataAssetMetadata(
        source=result.source,
        instance=result.instance,
        asset=result.asset,
        sampled=result.sampled,
        scanned_unix_nanos=result.scanned_unix_nanos,
        errors=sorted(result.errors),
        fields=[
            metadata_pb2.Field(
                path=f.path,
                json_types=[JSON_TYPE_TO_PROTO[t] for t in f.json_types if t in JSON_TYPE_TO_PROTO],
                data_types=[finding_to_proto(x) for x in f.findings],
                seen=f.seen,
            )
            for f in result.fields
        ],
        bytes_read=max(0, result.bytes_read),
    )
    if result.records_estimate >= 0:
        message.estimated_records = result.records_estimate
    if result.size_bytes >= 0:
        message.size_bytes = result.size_bytes
    if result.objects >= 0:
        message.objects = result.objects
    if result.partitions >= 0:
        message.partitions = min(result.partitions, 2**32 - 1)
    return message


def to_json_line(result: AssetResult) -> str:
    """`dsensor scan --format json`: exactly the line format of CONTRACTS.md."""
    fields = {f.path: [x.type_id for x in f.findings] for f in result.typed_fields}
    line = {
        "source": result.source,
        "instance": result.instance,
        "asset": result.asset,
        "sampled": result.sampled,
        "fields": fields,
    }
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def _size(n: int) -> str:
    if n < 0:
        return "?"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f}{unit}" if unit == "B" else f"{size:.1f}{unit}"
        size /= 1024
    return f"{n}B"


def table_lines(results: list[AssetResult]) -> list[str]:
    """What a person reads: one row per typed field, then per-asset errors and totals."""
    header = ("SOURCE", "ASSET", "FIELD", "DATA TYPES", "CONFIDENCE", "SENSITIVITY")
    rows: list[tuple[str, ...]] = []
    for r in sorted(results, key=lambda x: (x.source, x.instance, x.asset)):
        for f in r.typed_fields:
            top = max((x.sensitivity for x in f.findings), key=lambda s: _RANK.get(s, 0))
            rows.append(
                (
                    f"{r.source}:{r.instance}",
                    r.asset,
                    f.path,
                    ", ".join(x.type_id for x in f.findings),
                    ", ".join(f"{x.confidence:.2f}" for x in f.findings),
                    top,
                )
            )
    lines: list[str] = []
    if rows:
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    else:
        lines.append("no sensitive data types found in the sampled records")
    failed = [r for r in results if r.errors]
    if failed:
        lines.append("")
        lines.append("problems:")
        for r in sorted(failed, key=lambda x: (x.source, x.asset)):
            reasons = ", ".join(f"{k} ({v})" for k, v in sorted(r.errors.items()))
            lines.append(f"  {r.source}:{r.instance} {r.asset}: {reasons}")
    sampled = sum(r.sampled for r in results)
    read = sum(r.bytes_read for r in results)
    stored = sum(r.size_bytes for r in results if r.size_bytes >= 0)
    records = sum(r.records_estimate for r in results if r.records_estimate >= 0)
    lines.append("")
    lines.append(
        f"assets: {len(results)}  sampled records: {sampled} of ~{records}  "
        f"read: {_size(read)} of {_size(stored)} stored  typed fields: {len(rows)}"
    )
    return lines
