"""Findings to and from protobuf (dsensor.v1 DataTypeFinding / FieldResult)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import cast

from dsensor.v1 import detection_pb2, metadata_pb2

from detection_tool.catalog import CATALOG, Category, Sensitivity
from detection_tool.findings import Finding

SENSITIVITY_TO_PROTO: Mapping[str, int] = {
    "low": metadata_pb2.SENSITIVITY_LOW,
    "medium": metadata_pb2.SENSITIVITY_MEDIUM,
    "high": metadata_pb2.SENSITIVITY_HIGH,
}
CATEGORY_TO_PROTO: Mapping[str, int] = {
    "personal": metadata_pb2.CATEGORY_PERSONAL,
    "payment": metadata_pb2.CATEGORY_PAYMENT,
    "health": metadata_pb2.CATEGORY_HEALTH,
    "credentials": metadata_pb2.CATEGORY_CREDENTIALS,
}
_SENSITIVITY_FROM_PROTO = {v: k for k, v in SENSITIVITY_TO_PROTO.items()}
_CATEGORY_FROM_PROTO = {v: k for k, v in CATEGORY_TO_PROTO.items()}


def finding_to_proto(finding: Finding) -> metadata_pb2.DataTypeFinding:
    return metadata_pb2.DataTypeFinding(
        type_id=finding.type_id,
        confidence=finding.confidence,
        sensitivity=SENSITIVITY_TO_PROTO[finding.sensitivity],  # type: ignore[arg-type]
        category=CATEGORY_TO_PROTO[finding.category],  # type: ignore[arg-type]
        reasons=list(finding.reasons),
    )


def finding_from_proto(message: metadata_pb2.DataTypeFinding) -> Finding:
    """A Finding from the wire; unknown enum values fall back to the catalog's defaults."""
    entry = CATALOG.get(message.type_id)
    sensitivity = _SENSITIVITY_FROM_PROTO.get(message.sensitivity)
    category = _CATEGORY_FROM_PROTO.get(message.category)
    if sensitivity is None:
        sensitivity = entry.sensitivity if entry else "medium"
    if category is None:
        category = entry.category if entry else "personal"
    return Finding(
        type_id=message.type_id,
        confidence=message.confidence,
        sensitivity=cast(Sensitivity, sensitivity),
        category=cast(Category, category),
        reasons=tuple(message.reasons),
    )


# findings repeat (one type, rounded confidence and the same reasons at many paths): each
# distinct one is converted once; messages are copied into their parents, never changed
# keyed by object id (the entry holds the finding, so its id is not reused while cached):
# findings are shared objects, and hashing a frozen dataclass costs more than the look-up
_TO_PROTO: dict[int, tuple[Finding, metadata_pb2.DataTypeFinding]] = {}
_FROM_PROTO: dict[bytes, Finding] = {}
_CACHE_MAX = 8192


def _cached_to_proto(finding: Finding) -> metadata_pb2.DataTypeFinding:
    entry = _TO_PROTO.get(id(finding))
    if entry is not None and entry[0] is finding:
        return entry[1]
    message = finding_to_proto(finding)
    if len(_TO_PROTO) >= _CACHE_MAX:
        _TO_PROTO.clear()
    _TO_PROTO[id(finding)] = (finding, message)
    return message


def _cached_from_proto(message: metadata_pb2.DataTypeFinding) -> Finding:
    wire = message.SerializeToString(deterministic=True)
    finding = _FROM_PROTO.get(wire)
    if finding is None:
        if len(_FROM_PROTO) >= _CACHE_MAX:
            _FROM_PROTO.clear()
        finding = _FROM_PROTO[wire] = finding_from_proto(message)
    return finding


def fields_to_proto(result: Mapping[str, list[Finding]]) -> list[detection_pb2.FieldResult]:
    return [
        detection_pb2.FieldResult(path=path, data_types=[_cached_to_proto(f) for f in findings])
        for path, findings in result.items()
    ]


def fields_from_proto(
    fields: Iterable[detection_pb2.FieldResult], table: Sequence[Finding] = ()
) -> dict[str, list[Finding]]:
    """Findings per path; `table` is a compact response's findings (`findings_from_proto`),
    which fields refer to by index. Raises ValueError on a reference outside the table."""
    out: dict[str, list[Finding]] = {}
    for f in fields:
        refs = f.finding_refs
        if refs:
            if max(refs) >= len(table):
                raise ValueError("a finding reference outside the response's table")
            out[f.path] = [table[i] for i in refs]
        else:
            out[f.path] = [_cached_from_proto(d) for d in f.data_types]
    return out


class FindingTable:
    """The distinct findings of one compact response, each converted and sent once; fields
    carry their indices (`FieldResult.finding_refs`)."""

    def __init__(self) -> None:
        self.messages: list[metadata_pb2.DataTypeFinding] = []
        self._index: dict[int, int] = {}  # id(finding) -> index
        self._held: list[Finding] = []  # keeps the findings alive: ids are not reused

    def ref(self, finding: Finding) -> int:
        index = self._index.get(id(finding))
        if index is None:
            index = self._index[id(finding)] = len(self.messages)
            self.messages.append(_cached_to_proto(finding))
            self._held.append(finding)
        return index

    def fields(self, result: Mapping[str, list[Finding]]) -> list[detection_pb2.FieldResult]:
        ref = self.ref
        return [
            detection_pb2.FieldResult(path=path, finding_refs=[ref(f) for f in findings])
            for path, findings in result.items()
        ]


def findings_from_proto(messages: Iterable[metadata_pb2.DataTypeFinding]) -> list[Finding]:
    """A compact response's table of findings."""
    return [_cached_from_proto(m) for m in messages]


FieldTriple = tuple[str, str, object]  # (path, key name, value) as Detector.detect_fields takes


def http_fields_to_proto(fields: Iterable[FieldTriple]) -> list[detection_pb2.HttpField]:
    """HTTP place fields for the wire: strings as text, other JSON values as JSON; a value
    that is not JSON (an object the detector could not type anyway) is left out."""
    out: list[detection_pb2.HttpField] = []
    for path, key, value in fields:
        if isinstance(value, str):
            out.append(detection_pb2.HttpField(path=path, key=key or "", text=value))
            continue
        try:
            raw = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError, RecursionError):
            continue
        out.append(detection_pb2.HttpField(path=path, key=key or "", json=raw))
    return out


def http_fields_from_proto(
    fields: Iterable[detection_pb2.HttpField], parse: Callable[[bytes], object]
) -> list[FieldTriple]:
    """(path, key, value) triples; `parse` reads a JSON value within the detector's limits
    (it raises DetectionInputError on bad input, which fails the whole document)."""
    out: list[FieldTriple] = []
    for field in fields:
        kind = field.WhichOneof("value")
        value: object = parse(field.json) if kind == "json" else field.text
        out.append((field.path, field.key, value))
    return out
