"""Record sets (many records of one table / topic): types per `[*]` path by share of values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from detection_tool.analysis import ValueAnalyzer
from detection_tool.catalog import CATALOG, DataType
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding, make_finding, sort_findings
from detection_tool.settings import DetectorSettings
from detection_tool.walk import leaf_tuples


@dataclass(slots=True)
class _TypeTally:
    hits: int = 0
    confidence_sum: float = 0.0
    reasons: dict[str, None] = field(default_factory=dict)
    key_context: bool = False


@dataclass(slots=True)
class _PathTally:
    values: int = 0  # non-empty sample values seen at this path
    types: dict[str, _TypeTally] = field(default_factory=dict)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RecordAggregator:
    """Feed records one by one (bounded memory: counters per path), then read `result()`."""

    def __init__(
        self,
        analyzer: ValueAnalyzer,
        settings: DetectorSettings,
        max_depth: int,
        *,
        root_name: str | None = None,
        catalog: Mapping[str, DataType] = CATALOG,
        finish: Callable[[dict[str, list[Finding]]], dict[str, list[Finding]]] | None = None,
    ) -> None:
        self._root_name = root_name
        self._catalog = catalog
        self._finish = finish
        self._analyzer = analyzer
        self._settings = settings
        self._max_depth = max_depth
        self._paths: dict[str, _PathTally] = {}
        self.records = 0
        self.invalid_records = 0
        self.dropped_paths = 0

    def add(self, record: object) -> None:
        """Count one parsed record. A too-deep record is counted invalid, not raised."""
        observed: list[tuple[str, list[Finding]]] = []
        try:
            leaves = leaf_tuples(
                record,
                max_depth=self._max_depth,
                max_elements=self._settings.maxarrayelements,
                wildcard_arrays=True,
                root_name=self._root_name,
            )
            for path, key, parent, value in leaves:
                if _is_empty(value):
                    continue
                findings = self._analyzer.analyze(value, key, parent)
                observed.append((path, findings))
        except DetectionInputError:
            self.invalid_records += 1
            return
        self.records += 1
        for path, findings in observed:
            self._count(path, findings)

    def add_invalid(self) -> None:
        self.invalid_records += 1

    def _count(self, path: str, findings: list[Finding]) -> None:
        tally = self._paths.get(path)
        if tally is None:
            if len(self._paths) >= self._settings.maxrecordpaths:
                self.dropped_paths += 1
                return
            tally = self._paths[path] = _PathTally()
        tally.values += 1
        for f in findings:
            t = tally.types.get(f.type_id)
            if t is None:
                t = tally.types[f.type_id] = _TypeTally()
            t.hits += 1
            t.confidence_sum += f.confidence
            for reason in f.reasons:
                if reason.startswith("model:"):
                    continue  # one probability per value: the mean confidence carries it
                t.reasons[reason] = None
                if reason.startswith("key:"):
                    t.key_context = True

    def result(self) -> dict[str, list[Finding]]:
        """Per path, the types enough of its values matched; confidence scales with the share."""
        s = self._settings
        out: dict[str, list[Finding]] = {}
        for path, tally in self._paths.items():
            found = []
            for type_id, t in tally.types.items():
                share = t.hits / tally.values
                needed = s.recordkeyshare if t.key_context else s.recordshare
                if share < needed:
                    continue
                confidence = (t.confidence_sum / t.hits) * (0.5 + 0.5 * share)
                if confidence < s.minconfidence:
                    continue
                reasons = [*t.reasons, f"share:{round(share * 100)}%"]
                entry = self._catalog.get(type_id)
                found.append(make_finding(type_id, confidence, reasons, entry))
            if found:
                out[path] = sort_findings(found)
        ordered = dict(sorted(out.items()))
        return self._finish(ordered) if self._finish is not None else ordered
