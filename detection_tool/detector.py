"""The detector: documents, HTTP fields and record sets in; types per field path out.

Rule-based for now (recognizers + key context); no model is loaded. Thread-safe: one instance
can serve every gRPC worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from detection_tool.analysis import ValueAnalyzer
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding, merge_findings
from detection_tool.parsing import parse_json
from detection_tool.records import RecordAggregator
from detection_tool.settings import DetectionToolSettings, DetectorSettings
from detection_tool.walk import walk_leaves

DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024

Result = dict[str, list[Finding]]


class Detector:
    """Finds sensitive data types per field path. Never returns, logs or raises with values."""

    def __init__(
        self,
        settings: DetectorSettings | None = None,
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ) -> None:
        self.settings = settings or DetectorSettings()
        self.max_depth = max_depth
        self.max_document_bytes = max_document_bytes
        self._analyzer = ValueAnalyzer(self.settings)

    @classmethod
    def from_settings(cls, settings: DetectionToolSettings) -> Detector:
        return cls(
            settings.detector,
            max_depth=settings.maxdepth,
            max_document_bytes=settings.maxdocumentbytes,
        )

    def parse(self, data: bytes | str) -> object:
        """Parse one JSON document within the size and depth limits."""
        return parse_json(data, self.max_document_bytes, self.max_depth)

    def detect_document(self, doc: object) -> Result:
        """Types per path (`$.customer.email`, `$.items[0].sku`) of a parsed JSON document.

        Raises DetectionInputError("too_deep") when it nests deeper than `max_depth`.
        """
        out: Result = {}
        leaves = walk_leaves(
            doc,
            max_depth=self.max_depth,
            max_elements=self.settings.maxarrayelements,
            wildcard_arrays=False,
        )
        for leaf in leaves:
            findings = self._analyzer.analyze(leaf.value, leaf.key, leaf.parent)
            if findings:
                previous = out.get(leaf.path)
                out[leaf.path] = merge_findings(previous + findings) if previous else findings
        return out

    def detect_json(self, data: bytes | str) -> Result:
        """Parse and detect one document; DetectionInputError carries a code on bad input."""
        return self.detect_document(self.parse(data))

    def detect_fields(self, fields: Iterable[tuple[str, str, object]]) -> Result:
        """(path, key name, value) triples from HTTP places other than the body:
        `header.authorization`, `cookie.session`, `query.email`, `path[2]`."""
        out: Result = {}
        for path, key, value in fields:
            findings = self._analyzer.analyze(value, key or None, None)
            if findings:
                previous = out.get(path)
                out[path] = merge_findings(previous + findings) if previous else findings
        return out

    def records(self) -> RecordAggregator:
        """An aggregator to feed records one by one (the CLI streams with it)."""
        return RecordAggregator(self._analyzer, self.settings, self.max_depth)

    def detect_records(self, records: Sequence[object]) -> Result:
        """Types per `[*]` path over many parsed records of one table / topic."""
        aggregator = self.records()
        for record in records:
            aggregator.add(record)
        return aggregator.result()

    def detect_json_records(self, records: Iterable[bytes | str]) -> tuple[Result, int, int]:
        """Like detect_records on raw JSON records: (result, valid records, invalid records)."""
        aggregator = self.records()
        for raw in records:
            try:
                record = self.parse(raw)
            except DetectionInputError:
                aggregator.add_invalid()
                continue
            aggregator.add(record)
        return aggregator.result(), aggregator.records, aggregator.invalid_records
