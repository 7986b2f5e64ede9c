"""gRPC DetectionService: batches of documents or record sets in, types per path out."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from dsensor.v1 import detection_pb2, detection_pb2_grpc

from detection_tool.convert import FindingTable, fields_to_proto, http_fields_from_proto
from detection_tool.detector import Detector
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding
from detection_tool.metrics import DetectionMetrics
from sensor_core.logs import get_logger

log = get_logger("detection_tool.service")


class DetectionServicer(detection_pb2_grpc.DetectionServiceServicer):
    """Each document gets a result; a bad one carries an error code and never fails the batch."""

    def __init__(self, detector: Detector, metrics: DetectionMetrics | None = None) -> None:
        self._detector = detector
        self._metrics = metrics or DetectionMetrics()

    @property
    def detector(self) -> Detector:
        return self._detector

    def swap(self, detector: Detector) -> None:
        """Serve later requests with `detector` (registry rules changed). One attribute
        assignment: a request in flight keeps the detector it started with."""
        self._detector = detector

    def _count_findings(self, *results: dict[str, list[Finding]]) -> None:
        """One counter update per type and request (label look-ups cost more than counting)."""
        by_type = Counter(f.type_id for found in results for fs in found.values() for f in fs)
        for type_id, count in by_type.items():
            self._metrics.findings.labels(type_id).inc(count)

    def Detect(  # noqa: N802 - gRPC method name
        self, request: detection_pb2.DetectRequest, context: Any
    ) -> detection_pb2.DetectResponse:
        started = time.perf_counter()
        results = []
        detector = self._detector  # one detector for the whole batch, even across a swap
        found_all: list[dict[str, list[Finding]]] = []
        outcomes: Counter[str] = Counter()
        table = FindingTable() if request.compact else None
        for doc in request.documents:
            try:
                if doc.fields:
                    triples = http_fields_from_proto(doc.fields, detector.parse)
                    found = detector.detect_fields(triples, context=doc.context or None)
                else:
                    found = detector.detect_json(doc.json, context=doc.context or None)
            except DetectionInputError as exc:
                result = detection_pb2.DocumentResult(id=doc.id, error=exc.code)
            except Exception as exc:  # a detector bug must not fail the whole batch
                log.error("detect_failed", error_type=type(exc).__name__)
                result = detection_pb2.DocumentResult(id=doc.id, error="internal")
            else:
                # fields given to the constructor: built in place, not copied as extend() does
                fields = fields_to_proto(found) if table is None else table.fields(found)
                result = detection_pb2.DocumentResult(id=doc.id, fields=fields)
                found_all.append(found)
            outcomes[result.error or "ok"] += 1
            results.append(result)
        self._count_findings(*found_all)
        for outcome, count in outcomes.items():
            self._metrics.documents.labels(outcome).inc(count)
        elapsed = time.perf_counter() - started
        self._metrics.seconds.labels("Detect").observe(elapsed)
        errors = len(results) - outcomes["ok"]
        log.debug("detect", documents=len(results), errors=errors, seconds=round(elapsed, 4))
        findings = table.messages if table is not None else ()
        return detection_pb2.DetectResponse(results=results, findings=findings)

    def DetectRecords(  # noqa: N802 - gRPC method name
        self, request: detection_pb2.DetectRecordsRequest, context: Any
    ) -> detection_pb2.DetectRecordsResponse:
        started = time.perf_counter()
        try:
            found, valid, invalid = self._detector.detect_json_records(
                request.records, context=request.context or None
            )
        except Exception as exc:
            log.error("detect_records_failed", error_type=type(exc).__name__)
            found, valid, invalid = {}, 0, len(request.records)
        self._count_findings(found)
        self._metrics.records.labels("ok").inc(valid)
        self._metrics.records.labels("invalid").inc(invalid)
        elapsed = time.perf_counter() - started
        self._metrics.seconds.labels("DetectRecords").observe(elapsed)
        log.debug("detect_records", records=valid, invalid=invalid, seconds=round(elapsed, 4))
        return detection_pb2.DetectRecordsResponse(
            id=request.id, fields=fields_to_proto(found), records=valid, invalid_records=invalid
        )
