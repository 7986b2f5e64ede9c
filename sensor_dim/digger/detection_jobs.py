"""Detection work of many pairs at once: one job per message side, one batch call for all.

A job holds one message's parsed body (or None) and its header, cookie, query and path fields,
with the endpoint context. A BatchDetector answers every job of a batch in order. The in-process
detector is adapted by `LocalBatchDetector`; the detection-tool service takes a whole batch in
one request (remote_detection.PatientDetector).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding

Findings = Mapping[str, Sequence[Finding]]
Field = tuple[str, str, object]


class Detector(Protocol):
    """The detector library's per-document calls (detection_tool.Detector)."""

    def detect_document(self, doc: object, *, context: str | None = None) -> Findings: ...

    def detect_fields(self, fields: Iterable[Field], *, context: str | None = None) -> Findings: ...


@dataclass(frozen=True)
class DetectJob:
    body: object | None  # the parsed body: JSON value or form dict
    fields: list[Field]  # (path, key, value) of headers, cookies, query and path segments
    context: str  # "METHOD /template" of the endpoint


@dataclass
class JobResult:
    findings: dict[str, list[Finding]]
    body_error: str = ""  # the detector's code when it refused the body ("too_deep", ...)


@runtime_checkable
class BatchDetector(Protocol):
    def detect_batch(self, jobs: Sequence[DetectJob]) -> list[JobResult]:
        """One result per job, in order. May raise DetectionUnavailableError (all or none)."""
        ...


class LocalBatchDetector:
    """The in-process detector, job by job (nothing to gain from one call per batch)."""

    def __init__(self, detector: Detector) -> None:
        self.detector = detector

    def detect_batch(self, jobs: Sequence[DetectJob]) -> list[JobResult]:
        return [self.detect(job) for job in jobs]

    def detect(self, job: DetectJob) -> JobResult:
        result = JobResult({})
        findings = result.findings
        if job.body is not None:
            try:
                detected = self.detector.detect_document(job.body, context=job.context)
            except DetectionInputError as exc:
                result.body_error = exc.code
            else:
                for path, found in detected.items():
                    findings[path] = list(found)
        if job.fields:
            for path, found in self.detector.detect_fields(job.fields, context=job.context).items():
                findings.setdefault(path, []).extend(found)
        return result


def as_batch_detector(detector: Detector | BatchDetector) -> BatchDetector:
    if isinstance(detector, BatchDetector):
        return detector
    return LocalBatchDetector(detector)
