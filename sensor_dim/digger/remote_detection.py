"""Detection through the detection-tool service, patient when the service is away.

A pair is never dropped because the service is down: calls that fail with UNAVAILABLE or
DEADLINE_EXCEEDED are retried with capped backoff for up to `patience` seconds, then
`DetectionUnavailableError` tells the consumer to deliver the same message again later (its
offset is not stored). Other errors propagate as they are.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

import grpc

from detection_tool.client import RemoteDetector
from detection_tool.findings import Finding
from sensor_core.logs import get_logger

log = get_logger("dsensor.digger.detection")
T = TypeVar("T")
_TRANSIENT = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


class DetectionUnavailableError(Exception):
    """The detection service stayed unreachable for the whole patience window."""


class PatientDetector:
    def __init__(
        self,
        remote: RemoteDetector,
        patience: float = 30.0,
        max_backoff: float = 2.0,
        stop: threading.Event | None = None,
    ) -> None:
        self._remote = remote
        self._patience = patience
        self._max_backoff = max_backoff
        self._stop = stop or threading.Event()
        self.counters: Counter[str] = Counter()
        self._last_log = 0.0

    def detect_document(
        self, doc: object, *, context: str | None = None
    ) -> dict[str, list[Finding]]:
        return self._retry(lambda: self._remote.detect_document(doc, context=context))

    def detect_fields(
        self, fields: Iterable[tuple[str, str, object]], *, context: str | None = None
    ) -> dict[str, list[Finding]]:
        items = list(fields)
        return self._retry(lambda: self._remote.detect_fields(items, context=context))

    def close(self) -> None:
        self._stop.set()
        self._remote.close()

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
