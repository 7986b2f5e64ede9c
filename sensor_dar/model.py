"""What flows between the crawler core and its plugins: connections, assets, samples, results.

Nothing here holds a value except `Sample.records`, which lives only in memory between a
plugin's `sample_records` and the detector. Error reasons are short snake_case codes
("permission_denied", "timeout"), never messages that could quote data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from detection_tool.findings import Finding

_REASON = re.compile(r"[a-z][a-z0-9_]{0,63}")


def reason_code(text: str) -> str:
    """A safe reason code: `text` when it is snake_case, else "error"."""
    return text if _REASON.fullmatch(text) else "error"


class SourceError(Exception):
    """A whole source failed (unreachable, refused credentials). `reason` is a code."""

    def __init__(self, reason: str) -> None:
        self.reason = reason_code(reason)
        super().__init__(self.reason)


class AssetError(Exception):
    """One asset failed (permission denied, timeout); the scan goes on with the next one."""

    def __init__(self, reason: str) -> None:
        self.reason = reason_code(reason)
        super().__init__(self.reason)


@dataclass(frozen=True)
class Connection:
    """One configured data store: `kind` names the plugin's source kind ("postgres")."""

    kind: str
    instance: str
    config: object  # the plugin's own validated connection object
    checkinterval: float | None = None  # seconds; None: the crawler's `checkinterval`

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.instance}"


@dataclass(frozen=True)
class SourceKind:
    """A kind of data store a plugin can crawl."""

    name: str
    summary: str


@dataclass(frozen=True)
class AssetRef:
    """One asset found by discovery: a table, a key group, a topic.

    `fingerprint` summarises what changes when the data changes (row counters, object sizes,
    end offsets), never content; an unchanged fingerprint lets an incremental scan skip it.
    `handle` is the plugin's own reference (object keys, column list) and never leaves it.
    """

    name: str
    fingerprint: str = ""
    records_estimate: int = -1  # rows or messages in the asset; -1 when unknown
    size_bytes: int = -1  # bytes the asset takes in the store; -1 when unknown
    handle: object = None
    objects: int = -1  # objects (files) the asset is made of; -1 when not a set of objects
    partitions: int = -1  # partitions of a topic; -1 when not partitioned


@dataclass(frozen=True)
class SampleLimits:
    """Bounds every plugin honours while sampling."""

    max_records: int = 100
    max_bytes: int = 4 * 1024 * 1024
    timeout_seconds: float = 10.0


@dataclass
class Sample:
    """Records read from one asset (parsed JSON-like objects) and what went wrong per part."""

    records: list[object] = field(default_factory=list)
    bytes_read: int = 0
    # part-level problems (one object of a key group unreadable): reason code -> count
    errors: dict[str, int] = field(default_factory=dict)
    # the JSON type a column holds when the store knows it (path -> "string", "number", ...)
    declared_types: dict[str, str] = field(default_factory=dict)
    groups: int = 1  # schema groups among the records (Kafka) or parts read (S3 objects)

    def add_error(self, reason: str, count: int = 1) -> None:
        code = reason_code(reason)
        self.errors[code] = self.errors.get(code, 0) + count


@dataclass(frozen=True)
class FieldSummary:
    path: str
    json_types: tuple[str, ...]
    seen: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class AssetResult:
    """What one asset holds: structure and types only. This is what leaves the crawler."""

    source: str
    instance: str
    asset: str
    sampled: int
    records_estimate: int
    size_bytes: int
    bytes_read: int
    fields: Sequence[FieldSummary]
    errors: dict[str, int]
    scanned_unix_nanos: int
    seconds: float
    objects: int = -1
    partitions: int = -1

    @property
    def typed_fields(self) -> list[FieldSummary]:
        return [f for f in self.fields if f.findings]


@dataclass(frozen=True)
class SourceFailure:
    """A connection that could not be opened or listed."""

    source: str
    instance: str
    reason: str
