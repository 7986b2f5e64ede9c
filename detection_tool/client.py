"""RemoteDetector: the detector's API over a gRPC channel (bounded retries when unavailable)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TypeVar, cast

import grpc
from dsensor.v1 import detection_pb2, detection_pb2_grpc

from detection_tool.convert import fields_from_proto, findings_from_proto, http_fields_to_proto
from detection_tool.errors import ERROR_CODES, DetectionInputError, ErrorCode
from detection_tool.findings import Finding
from sensor_core.grpc_proxy import proxy_options

T = TypeVar("T")
Result = dict[str, list[Finding]]


class RemoteDetector:
    """Calls a detection-tool service. `timeout` bounds each attempt, in seconds."""

    def __init__(
        self,
        target: str,
        timeout: float = 10.0,
        *,
        attempts: int = 4,
        backoff: float = 0.1,
        max_message_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self._timeout = timeout
        self._attempts = max(1, attempts)
        self._backoff = backoff
        self._channel = grpc.insecure_channel(
            target,
            options=[
                ("grpc.max_receive_message_length", max_message_bytes),
                ("grpc.max_send_message_length", max_message_bytes),
                *proxy_options(target),
            ],
        )
        self._stub = detection_pb2_grpc.DetectionServiceStub(self._channel)  # type: ignore[no-untyped-call]

    def _call(self, method: Callable[..., T], request: object) -> T:
        delay = self._backoff
        for attempt in range(1, self._attempts + 1):
            try:
                return method(request, timeout=self._timeout)
            except grpc.RpcError as exc:
                if exc.code() != grpc.StatusCode.UNAVAILABLE or attempt == self._attempts:
                    raise
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def detect_json_batch(
        self, docs: list[bytes], *, context: str | None = None
    ) -> list[Result | DetectionInputError]:
        """One entry per document, in order: its findings, or the error the service reported.
        `context` (endpoint or asset) applies to every document of the batch."""
        request = detection_pb2.DetectRequest(
            documents=[
                detection_pb2.Document(id=str(i), json=d, context=context or "")
                for i, d in enumerate(docs)
            ],
            compact=True,
        )
        response = self._call(self._stub.Detect, request)
        table = findings_from_proto(response.findings)
        out: list[Result | DetectionInputError] = []
        for result in response.results:
            if result.error:
                code = result.error if result.error in ERROR_CODES else "internal"
                out.append(DetectionInputError(cast(ErrorCode, code), f"service: {code}"))
            else:
                out.append(fields_from_proto(result.fields, table))
        return out

    def detect_document(self, doc: object, *, context: str | None = None) -> Result:
        """Like Detector.detect_document, over the service (raises DetectionInputError)."""
        try:
            raw = json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError, RecursionError):
            raise DetectionInputError("invalid_json", "document is not JSON-serialisable") from None
        (result,) = self.detect_json_batch([raw], context=context)
        if isinstance(result, DetectionInputError):
            raise result
        return result

    def detect_fields(
        self, fields: Iterable[tuple[str, str, object]], *, context: str | None = None
    ) -> Result:
        """Like Detector.detect_fields, over the service: the fields travel as one document's
        `fields`, so the service types them exactly as in-process, under their own paths,
        with the suppressions of those paths (`header.authorization`) and of `context`.
        Raises DetectionInputError when the service rejects them."""
        wire = http_fields_to_proto(fields)
        if not wire:
            return {}
        request = detection_pb2.DetectRequest(
            documents=[detection_pb2.Document(id="0", fields=wire, context=context or "")],
            compact=True,
        )
        response = self._call(self._stub.Detect, request)
        (result,) = response.results
        if result.error:
            code = result.error if result.error in ERROR_CODES else "internal"
            raise DetectionInputError(cast(ErrorCode, code), f"service: {code}")
        return fields_from_proto(result.fields, findings_from_proto(response.findings))

    def detect_records(self, records: list[bytes], *, context: str | None = None) -> Result:
        """Types per `[*]` path over one record set (invalid records are skipped)."""
        request = detection_pb2.DetectRecordsRequest(records=records, context=context or "")
        response = self._call(self._stub.DetectRecords, request)
        return fields_from_proto(response.fields)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> RemoteDetector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
