"""A sample's records through the detector: per `[*]` path, JSON types, how often seen, findings.

Values are only read here and in the detector; what comes out is structure and types.
"""

from __future__ import annotations

import time

from detection_tool.detector import Detector
from detection_tool.errors import DetectionInputError
from detection_tool.walk import walk_leaves
from sensor_core.jsonpaths import ROOT, child_path
from sensor_dar.model import AssetRef, AssetResult, FieldSummary, Sample

MAX_FIELDS = 2000


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


class _Inventory:
    """Paths seen in the records with their JSON types and counts (bounded)."""

    def __init__(self, detector: Detector) -> None:
        self._detector = detector
        self.types: dict[str, dict[str, None]] = {}
        self.seen: dict[str, int] = {}
        self.dropped = 0
        self._column_paths: dict[object, str] = {}

    def _flat(self, record: dict[object, object]) -> bool:
        """Fast path for flat rows (tables, CSV): one path per key, no walk."""
        if not all(
            isinstance(k, str) and not isinstance(v, dict | list) for k, v in record.items()
        ):
            return False
        for key, value in record.items():
            path = self._column_paths.get(key)
            if path is None:
                path = self._column_paths[key] = child_path(ROOT, key)
            self._count(path, value)
        return True

    def _count(self, path: str, value: object) -> None:
        kinds = self.types.get(path)
        if kinds is None:
            if len(self.seen) >= MAX_FIELDS:
                self.dropped += 1
                return
            kinds = self.types[path] = {}
            self.seen[path] = 0
        self.seen[path] += 1
        kinds[json_type(value)] = None

    def add(self, record: object) -> None:
        if isinstance(record, dict) and self._flat(record):
            return
        try:
            leaves = list(
                walk_leaves(
                    record,
                    max_depth=self._detector.max_depth,
                    max_elements=self._detector.settings.maxarrayelements,
                    wildcard_arrays=True,
                )
            )
        except DetectionInputError:
            return
        for path in dict.fromkeys(leaf.path for leaf in leaves):
            if path not in self.seen and len(self.seen) >= MAX_FIELDS:
                self.dropped += 1
                continue
            self.seen[path] = self.seen.get(path, 0) + 1
        for leaf in leaves:
            kinds = self.types.get(leaf.path)
            if kinds is not None:
                kinds[json_type(leaf.value)] = None
            elif leaf.path in self.seen:
                self.types[leaf.path] = {json_type(leaf.value): None}


def analyze(
    detector: Detector,
    source: str,
    instance: str,
    asset: AssetRef,
    sample: Sample,
    started: float,
) -> AssetResult:
    """The asset's result from its sample. `started` is a `time.monotonic()` reading."""
    aggregator = detector.records()
    inventory = _Inventory(detector)
    for record in sample.records:
        aggregator.add(record)
        inventory.add(record)
    findings = aggregator.result()
    paths = dict.fromkeys([*sample.declared_types, *inventory.seen, *findings])
    fields = []
    for path in paths:
        observed = tuple(inventory.types.get(path, {}))
        declared = sample.declared_types.get(path)
        kinds = observed or ((declared,) if declared else ())
        fields.append(
            FieldSummary(
                path=path,
                json_types=kinds,
                seen=inventory.seen.get(path, 0),
                findings=tuple(findings.get(path, ())),
            )
        )
    errors = dict(sample.errors)
    if aggregator.invalid_records:
        errors["invalid_record"] = errors.get("invalid_record", 0) + aggregator.invalid_records
    if inventory.dropped or aggregator.dropped_paths:
        errors["too_many_fields"] = inventory.dropped + aggregator.dropped_paths
    return AssetResult(
        source=source,
        instance=instance,
        asset=asset.name,
        sampled=aggregator.records,
        records_estimate=asset.records_estimate,
        size_bytes=asset.size_bytes,
        bytes_read=sample.bytes_read,
        fields=sorted(fields, key=lambda f: f.path),
        errors=errors,
        scanned_unix_nanos=time.time_ns(),
        seconds=round(time.monotonic() - started, 3),
        objects=asset.objects,
        partitions=asset.partitions,
    )


def failed_result(
    source: str, instance: str, asset: AssetRef, reason: str, started: float
) -> AssetResult:
    """The result of an asset that could not be read at all."""
    return AssetResult(
        source=source,
        instance=instance,
        asset=asset.name,
        sampled=0,
        records_estimate=asset.records_estimate,
        size_bytes=asset.size_bytes,
        bytes_read=0,
        fields=(),
        errors={reason: 1},
        scanned_unix_nanos=time.time_ns(),
        seconds=round(time.monotonic() - started, 3),
        objects=asset.objects,
        partitions=asset.partitions,
    )
