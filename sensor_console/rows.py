"""Typed rows the store returns to the API and the dashboard (JSON-ready via `to_json`)."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

from dsensor.v1 import metadata_pb2, stats_pb2

SENSITIVITY_RANK = {"unspecified": 0, "low": 1, "medium": 2, "high": 3}


def enum_label(enum: Any, number: int, prefix: str) -> str:
    """`SENSITIVITY_HIGH` -> "high"; an unknown number -> "unknown"."""
    try:
        name: str = enum.Name(number)
    except ValueError:
        return "unknown"
    return name.removeprefix(prefix).lower()


@functools.lru_cache(maxsize=64)
def sensitivity_label(number: int) -> str:
    return enum_label(metadata_pb2.Sensitivity, number, "SENSITIVITY_")


@functools.lru_cache(maxsize=64)
def category_label(number: int) -> str:
    return enum_label(metadata_pb2.Category, number, "CATEGORY_")


@functools.lru_cache(maxsize=64)
def asset_kind_label(number: int) -> str:
    return enum_label(metadata_pb2.AssetKind, number, "ASSET_KIND_")


def sensor_kind_label(number: int) -> str:
    return enum_label(stats_pb2.SensorKind, number, "SENSOR_KIND_")


@dataclass(frozen=True)
class FieldTypeRow:
    type_id: str
    confidence: float
    sensitivity: str
    category: str


@dataclass(frozen=True)
class FieldRow:
    path: str
    json_types: list[str]
    seen: int
    data_types: list[FieldTypeRow]


@dataclass(frozen=True)
class AssetRow:
    kind: str
    cluster: str
    namespace: str
    name: str
    workload_kind: str
    external: bool


@dataclass(frozen=True)
class FlowRow:
    """One endpoint between two assets and the fields it carries, per direction."""

    source: AssetRow
    destination: AssetRow
    method: str
    host: str
    port: int
    path_template: str
    statuses: list[int]
    observed: int
    analysed: int
    first_seen_unix_nanos: int
    last_seen_unix_nanos: int
    request: list[FieldRow] = field(default_factory=list)
    response: list[FieldRow] = field(default_factory=list)

    @property
    def max_sensitivity(self) -> str:
        labels = [t.sensitivity for f in (*self.request, *self.response) for t in f.data_types]
        return max(labels, key=lambda s: SENSITIVITY_RANK.get(s, 0), default="unspecified")


@dataclass(frozen=True)
class DataTypeRow:
    type_id: str
    category: str
    max_sensitivity: str
    endpoints: int
    data_assets: int


@dataclass(frozen=True)
class NodeRow:
    node: str
    last_seen_unix_nanos: int
    counters: dict[str, int]
    interfaces: list[str]
    uninspected: list[dict[str, Any]]


@dataclass(frozen=True)
class SensorRow:
    sensor_id: str
    cluster: str
    kind: str
    version: str
    last_heartbeat_unix_nanos: int
    last_batch_unix_nanos: int
    counters: dict[str, int]
    nodes: list[NodeRow]


def to_json(row: Any) -> dict[str, Any]:
    """A row as a JSON-ready dict (flows also get their `max_sensitivity`)."""
    data: dict[str, Any] = dataclasses.asdict(row)
    if isinstance(row, FlowRow):
        data["max_sensitivity"] = row.max_sensitivity
    return data
