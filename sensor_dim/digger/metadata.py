"""Flow metadata per endpoint and time window: merged field schemas with their data types.

Input: what one analysed pair showed (assets, endpoint, field types, findings).
Output: `dsensor.v1.FlowMetadata` messages. Values never enter: only paths, JSON types,
data type ids with confidence, sensitivity, category and reasons, and counts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from dsensor.v1 import metadata_pb2

from detection_tool.convert import CATEGORY_TO_PROTO, SENSITIVITY_TO_PROTO
from detection_tool.findings import Finding
from sensor_core.jsonpaths import normalize_path


@functools.lru_cache(maxsize=16384)
def _normalized(path: str) -> str:
    return normalize_path(path) if "[" in path else path


@dataclass
class _TypeAggregate:
    confidence: float
    sensitivity: str
    category: str
    reasons: set[str]


@dataclass
class _FieldAggregate:
    json_types: set[int] = field(default_factory=set)
    types: dict[str, _TypeAggregate] = field(default_factory=dict)
    seen: int = 0
    shape: str = ""  # the first masked shape seen, when the user enabled them
    message: int = 0  # the last message (of its schema) that counted in `seen`

    def add_findings(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            agg = self.types.get(f.type_id)
            if agg is None:
                self.types[f.type_id] = _TypeAggregate(
                    f.confidence, f.sensitivity, f.category, set(f.reasons)
                )
            else:
                agg.confidence = max(agg.confidence, f.confidence)
                agg.reasons.update(f.reasons)


# a message's (path, JSON type) list; messages of one shape are merged into fields together
Signature = tuple[tuple[str, int], ...]
MAX_PENDING_SIGNATURES = 16
MAX_SIGNATURE_LENGTH = 256


@dataclass(slots=True)
class _PendingShape:
    """Messages of one signature counted but not merged into a schema's fields yet."""

    paths: frozenset[str]
    messages: int = 0


@dataclass
class _Schema:
    content_types: set[str] = field(default_factory=set)
    fields: dict[str, _FieldAggregate] = field(default_factory=dict)
    _message: int = 0  # messages added so far (marks the fields each one touched)
    # json types of messages not merged into `fields` yet, by signature
    _pending: dict[Signature, _PendingShape] = field(default_factory=dict)

    def add(
        self,
        content_type: str,
        json_types: Iterable[tuple[str, int]],
        findings: Mapping[str, Iterable[Finding]],
        shapes: Mapping[str, str],
    ) -> None:
        if content_type:
            self.content_types.add(content_type)
        fields = self.fields
        # a field counts once per message however often its path appears (array elements,
        # raw paths that normalize alike): findings mark the fields this message touched
        self._message += 1
        message = self._message
        signature = tuple(json_types)
        counted: AbstractSet[str]  # the paths this message's shape counted already
        if not shapes and len(signature) <= MAX_SIGNATURE_LENGTH:
            # most bodies of an endpoint share their shape: count the shape, fold it in later
            pending = self._pending.get(signature)
            if pending is None:
                if len(self._pending) >= MAX_PENDING_SIGNATURES:
                    self._merge_pending()
                paths = frozenset(path for path, _ in signature)
                pending = self._pending[signature] = _PendingShape(paths)
            pending.messages += 1
            counted = pending.paths
        else:  # masked shapes need their fields now; a very long shape is not held back
            counted = self._fold(signature, 1)
        for raw_path, found in findings.items():
            path = _normalized(raw_path)
            agg = fields.get(path)
            if agg is None:
                agg = fields[path] = _FieldAggregate()
            agg.add_findings(found)
            if agg.message != message and path not in counted:
                agg.message = message
                agg.seen += 1
        for path, shape in shapes.items():
            shaped = fields.get(path)
            if shaped is not None and not shaped.shape:
                shaped.shape = shape

    def _merge_pending(self) -> None:
        """Fold the counted shapes into `fields` (as if each message had been added alone)."""
        for signature, pending in self._pending.items():
            self._fold(signature, pending.messages)
        self._pending.clear()

    def _fold(self, signature: Signature, messages: int) -> set[str]:
        """`messages` messages of one shape into `fields`: each path's JSON types, and each path
        seen once per message however often it appears (array elements). Returns the paths."""
        fields = self.fields
        touched: set[str] = set()
        for path, jtype in signature:
            agg = fields.get(path)
            if agg is None:
                agg = fields[path] = _FieldAggregate()
            agg.json_types.add(jtype)
            if path not in touched:
                touched.add(path)
                agg.seen += messages
        return touched

    def to_proto(self) -> metadata_pb2.FieldSchema:
        self._merge_pending()
        schema = metadata_pb2.FieldSchema(content_type=",".join(sorted(self.content_types)))
        for path in sorted(self.fields):
            agg = self.fields[path]
            out = schema.fields.add(
                path=path, json_types=sorted(agg.json_types), seen=agg.seen, masked_shape=agg.shape
            )
            for type_id, t in sorted(agg.types.items(), key=lambda kv: -kv[1].confidence):
                out.data_types.add(
                    type_id=type_id,
                    confidence=round(t.confidence, 3),
                    sensitivity=SENSITIVITY_TO_PROTO.get(t.sensitivity, 0),
                    category=CATEGORY_TO_PROTO.get(t.category, 0),
                    reasons=sorted(t.reasons),
                )
        return schema


@dataclass
class _Flow:
    source: metadata_pb2.Asset
    destination: metadata_pb2.Asset
    endpoint: metadata_pb2.Endpoint
    request: _Schema = field(default_factory=_Schema)
    response: _Schema = field(default_factory=_Schema)
    statuses: set[int] = field(default_factory=set)
    observed: int = 0
    analysed: int = 0
    first_seen: int = 0
    last_seen: int = 0


@dataclass(frozen=True)
class MessageAnalysis:
    """What detection made of one side of a pair (request or response)."""

    content_type: str
    json_types: list[tuple[str, int]]
    findings: Mapping[str, list[Finding]]
    # masked value shapes per path; empty unless the user enabled them
    shapes: Mapping[str, str] = field(default_factory=dict)


# (method, host, path template, port) of an endpoint
EndpointKey = tuple[str, str, str, int]


def _asset_key(asset: metadata_pb2.Asset) -> tuple[int, str, str]:
    return asset.kind, asset.namespace, asset.name


class MetadataBuilder:
    """Merges analysed pairs into one FlowMetadata per (source, destination, endpoint)."""

    def __init__(self) -> None:
        self._flows: dict[tuple[object, ...], _Flow] = {}

    def __len__(self) -> int:
        return len(self._flows)

    def observe(
        self,
        source: metadata_pb2.Asset,
        destination: metadata_pb2.Asset,
        endpoint: EndpointKey,
        status: int,
        unix_nanos: int,
        request: MessageAnalysis | None,
        response: MessageAnalysis | None,
    ) -> None:
        """Count one pair; merge its analysis when it was analysed (request/response given)."""
        key = (_asset_key(source), _asset_key(destination), endpoint)
        flow = self._flows.get(key)
        if flow is None:
            method, host, template, port = endpoint
            proto = metadata_pb2.Endpoint(
                method=method, host=host, path_template=template, port=port
            )
            flow = _Flow(source, destination, proto, first_seen=unix_nanos)
            self._flows[key] = flow
        flow.observed += 1
        if not flow.first_seen or unix_nanos < flow.first_seen:
            flow.first_seen = unix_nanos
        if unix_nanos > flow.last_seen:
            flow.last_seen = unix_nanos
        if status:
            flow.statuses.add(status)
        if request is None and response is None:
            return
        flow.analysed += 1
        for analysis, schema in ((request, flow.request), (response, flow.response)):
            if analysis is not None:
                schema.add(
                    analysis.content_type, analysis.json_types, analysis.findings, analysis.shapes
                )

    def drain(self) -> list[metadata_pb2.FlowMetadata]:
        """Every flow of the window as metadata; the builder starts a new window."""
        out = []
        for flow in self._flows.values():
            out.append(
                metadata_pb2.FlowMetadata(
                    source=flow.source,
                    destination=flow.destination,
                    endpoint=flow.endpoint,
                    request=flow.request.to_proto(),
                    response=flow.response.to_proto(),
                    statuses=sorted(flow.statuses),
                    observed=flow.observed,
                    analysed=flow.analysed,
                    first_seen_unix_nanos=flow.first_seen,
                    last_seen_unix_nanos=flow.last_seen,
                )
            )
        self._flows.clear()
        return out
