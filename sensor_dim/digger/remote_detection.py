"""Detection through the detection-tool service: many pairs per call, patient when it is away.

`detect_batch` sends the jobs of several pairs in one `Detect` request (split only to stay under
`maxrequestbytes`): each body is one JSON document and each message's header, cookie, query and
path fields one `Document.fields` document (`http_fields_to_proto`), so the service types them
under their own paths exactly as Detector.detect_fields does, with the suppressions keyed on those
paths (`header.x-api-key`); every document carries its endpoint context.

A pair is never dropped because the service is down: calls that fail with UNAVAILABLE or
DEADLINE_EXCEEDED are retried with capped backoff for up to `patience` seconds, then
`DetectionUnavailableError` tells the consumer to deliver the same messages again later (their
offsets are not stored). Other errors propagate as they are.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TypeVar

import grpc
from dsensor.v1 import detection_pb2, detection_pb2_grpc

from detection_tool.convert import fields_from_proto, findings_from_proto, http_fields_to_proto
from detection_tool.findings import Finding
from sensor_core.grpc_proxy import proxy_options
from sensor_core.logs import get_logger
from sensor_dim.digger.detection_jobs import DetectJob, JobResult

log = get_logger("dsensor.digger.detection")
T = TypeVar("T")
_TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


# a document's result and the findings table of the response it came in
_Answer = tuple[detection_pb2.DocumentResult, list[Finding]]


class DetectionUnavailableError(Exception):
    """The detection service stayed unreachable for the whole patience window."""


def _encode(value: object) -> bytes | None:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return None


class PatientDetector:
    """A BatchDetector over the detection-tool service. `timeout` bounds each attempt."""

    def __init__(
        self,
        address: str,
        timeout: float = 10.0,
        patience: float = 30.0,
        max_backoff: float = 2.0,
        stop: threading.Event | None = None,
        maxrequestbytes: int = MAX_MESSAGE_BYTES // 2,
    ) -> None:
        self._timeout = timeout
        self._patience = patience
        self._max_backoff = max_backoff
        self._stop = stop or threading.Event()
        self._max_request = maxrequestbytes
        self._channel = grpc.insecure_channel(
            address,
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                *proxy_options(address),
            ],
        )
        self._stub = detection_pb2_grpc.DetectionServiceStub(self._channel)  # type: ignore[no-untyped-call]
        self.counters: Counter[str] = Counter()
        self._last_log = 0.0

    def detect_batch(self, jobs: Sequence[DetectJob]) -> list[JobResult]:
        """One result per job, in order; one request for the lot unless it is very large."""
        results = [JobResult({}) for _ in jobs]
        # (job index, True for the body / False for the fields) per document, in request order
        owners: list[tuple[int, bool]] = []
        documents: list[detection_pb2.Document] = []
        for index, job in enumerate(jobs):
            if job.body is not None:
                raw = _encode(job.body)
                if raw is None:
                    results[index].body_error = "invalid_json"
                else:
                    owners.append((index, True))
                    documents.append(detection_pb2.Document(json=raw, context=job.context))
            wire = http_fields_to_proto(job.fields) if job.fields else []
            if wire:  # typed under their own paths, with the suppressions of those paths
                owners.append((index, False))
                documents.append(detection_pb2.Document(fields=wire, context=job.context))
        answers = self._detect_all(documents)
        for (index, is_body), (answer, table) in zip(owners, answers, strict=True):
            result = results[index]
            if answer.error:
                if is_body:
                    result.body_error = answer.error
                else:  # a field the service could not read: counted, the body still counts
                    self.counters[f"fields_error_{answer.error}"] += 1
                continue
            for path, findings in fields_from_proto(answer.fields, table).items():
                result.findings.setdefault(path, []).extend(findings)  # as LocalBatchDetector
        return results

    def _detect_all(self, documents: list[detection_pb2.Document]) -> list[_Answer]:
        out: list[_Answer] = []
        start, size = 0, 0
        for end, doc in enumerate(documents):
            doc_size = doc.ByteSize() + 8
            size += doc_size
            if size > self._max_request and end > start:
                out.extend(self._request(documents[start:end]))
                start, size = end, doc_size
        if start < len(documents):
            out.extend(self._request(documents[start:]))
        return out

    def _request(self, documents: list[detection_pb2.Document]) -> list[_Answer]:
        """One Detect call, asking for the compact answer (each distinct finding once, which
        the fields refer to); each document's result with the answer's table of findings."""
        for i, doc in enumerate(documents):
            doc.id = str(i)
        request = detection_pb2.DetectRequest(documents=documents, compact=True)
        response = self._retry(lambda: self._stub.Detect(request, timeout=self._timeout))
        if len(response.results) != len(documents):
            raise RuntimeError("detection service answered a different number of documents")
        self.counters["documents"] += len(documents)
        table = findings_from_proto(response.findings)
        return [(result, table) for result in response.results]

    def close(self) -> None:
        self._stop.set()
        self._channel.close()

    def _retry(self, call: Callable[[], T]) -> T:
        deadline = time.monotonic() + self._patience
        delay = 0.1
        while True:
            try:
                result = call()
            except grpc.RpcError as exc:
                code = exc.code() if hasattr(exc, "code") else None
                if code not in _TRANSIENT:
                    raise
                self.counters["unavailable"] += 1
                now = time.monotonic()
                if now - self._last_log > 30:
                    self._last_log = now
                    log.warning("detection_unavailable", code=str(code), retrying=True)
                if now + delay > deadline or self._stop.is_set():
                    self.counters["gave_up"] += 1
                    raise DetectionUnavailableError("detection service unavailable") from None
                self._stop.wait(delay)
                delay = min(delay * 2, self._max_backoff)
            else:
                self.counters["calls"] += 1
                return result
