"""The detector: documents, HTTP fields and record sets in; types per field path out.

Recognizers and validators, key and parent context, custom types and suppressions from
settings. Thread-safe: one instance can serve every gRPC worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from detection_tool.analysis import ValueAnalyzer
from detection_tool.catalog import DataType
from detection_tool.custom import Suppressions, catalog_with, compile_custom_types
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding, merge_findings
from detection_tool.model import FindingModel
from detection_tool.parsing import parse_json
from detection_tool.records import RecordAggregator
from detection_tool.settings import DetectionToolSettings, DetectorSettings
from detection_tool.walk import leaf_tuples

DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024

Result = dict[str, list[Finding]]

_LITERAL_SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def context_noun(context: str | None) -> str | None:
    """The last literal path segment of an endpoint (`GET /v1/users/{id}` -> `users`) or the
    last part of an asset name (`shop.public.customers` -> `customers`)."""
    if not context:
        return None
    route = context.split()[-1].split("?", 1)[0]
    for segment in reversed(re.split(r"[/.]", route)):
        if _LITERAL_SEGMENT.fullmatch(segment) and not re.fullmatch(r"v\d+", segment):
            return segment
    return None


class Detector:
    """Finds sensitive data types per field path. Never returns, logs or raises with values."""

    def __init__(
        self,
        settings: DetectorSettings | None = None,
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        fast: bool = True,
    ) -> None:
        """`fast=False` runs the plain reference analysis (no memo, no recognizer tables): the same
        findings, slower; tests compare the two."""
        self.settings = settings or DetectorSettings()
        self.max_depth = max_depth
        self.max_document_bytes = max_document_bytes
        custom = compile_custom_types(self.settings.customtypes)
        self.catalog: Mapping[str, DataType] = catalog_with(custom)
        model = FindingModel.bundled() if self.settings.usemodel else None
        self._analyzer = ValueAnalyzer(self.settings, custom, model, fast=fast)
        self._suppressions = Suppressions(self.settings.suppressions)

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

    def detect_document(self, doc: object, *, context: str | None = None) -> Result:
        """Types per path (`$.customer.email`, `$.items[0].sku`) of a parsed JSON document.

        `context` is the endpoint (`GET /users/{id}`) or asset the document came from: it names
        the root object (`$.id` of a user is a `user_id`) and selects suppressions.
        Raises DetectionInputError("too_deep") when it nests deeper than `max_depth`.
        """
        out: Result = {}
        leaves = leaf_tuples(
            doc,
            max_depth=self.max_depth,
            max_elements=self.settings.maxarrayelements,
            wildcard_arrays=False,
            root_name=context_noun(context) if context else None,
        )
        analyze = self._analyzer.analyze
        for path, key, parent, value in leaves:
            findings = analyze(value, key, parent)
            if findings:
                previous = out.get(path)
                out[path] = merge_findings(previous + findings) if previous else findings
        return self._suppressions.apply(out, context)

    def detect_json(self, data: bytes | str, *, context: str | None = None) -> Result:
        """Parse and detect one document; DetectionInputError carries a code on bad input."""
        return self.detect_document(self.parse(data), context=context)

    def detect_fields(
        self, fields: Iterable[tuple[str, str, object]], *, context: str | None = None
    ) -> Result:
        """(path, key name, value) triples from HTTP places other than the body:
        `header.authorization`, `cookie.session`, `query.email`, `path[2]`."""
        out: Result = {}
        for path, key, value in fields:
            findings = self._analyzer.analyze(value, key or None, None)
            if findings:
                previous = out.get(path)
                out[path] = merge_findings(previous + findings) if previous else findings
        return self._suppressions.apply(out, context)

    def records(self, *, context: str | None = None) -> RecordAggregator:
        """An aggregator to feed records one by one (the CLI streams with it)."""
        return RecordAggregator(
            self._analyzer,
            self.settings,
            self.max_depth,
            root_name=context_noun(context),
            catalog=self.catalog,
            finish=lambda result: self._suppressions.apply(result, context),
        )

    def detect_records(self, records: Sequence[object], *, context: str | None = None) -> Result:
        """Types per `[*]` path over many parsed records of one table / topic."""
        aggregator = self.records(context=context)
        for record in records:
            aggregator.add(record)
        return aggregator.result()

    def detect_json_records(
        self, records: Iterable[bytes | str], *, context: str | None = None
    ) -> tuple[Result, int, int]:
        """Like detect_records on raw JSON records: (result, valid records, invalid records)."""
        aggregator = self.records(context=context)
        for raw in records:
            try:
                record = self.parse(raw)
            except DetectionInputError:
                aggregator.add_invalid()
                continue
            aggregator.add(record)
        return aggregator.result(), aggregator.records, aggregator.invalid_records
