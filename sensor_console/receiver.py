"""gRPC ingest: StatsService.PushBatch and Heartbeat, authenticated by per-sensor bearer tokens.

Refusals: missing/unknown token -> UNAUTHENTICATED; a sensor id other than the token's ->
PERMISSION_DENIED; empty batch id or a field over a limit -> INVALID_ARGUMENT; more flows and
assets than `grpc.maxbatchflows` -> RESOURCE_EXHAUSTED. Logs carry counts and ids, no metadata.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Sequence
from typing import Any, NoReturn

import grpc
from dsensor.v1 import stats_pb2, stats_pb2_grpc

from sensor_console.db import DatabaseErrors
from sensor_console.metrics import ConsoleMetrics
from sensor_console.settings import SensorToken
from sensor_console.storage import StorageError, Store
from sensor_console.validation import BatchLimitError, check_batch
from sensor_core.logs import get_logger

log = get_logger("sensor_console.receiver")
STORE_FAILURES: tuple[type[Exception], ...] = (*DatabaseErrors, StorageError)

SERVICE_NAME = "dsensor.v1.StatsService"


def _refuse(context: Any, code: grpc.StatusCode, message: str) -> NoReturn:
    context.abort(code, message)
    raise AssertionError("context.abort returned")  # grpc raises; keeps the type checker honest


class StatsServicer(stats_pb2_grpc.StatsServiceServicer):
    """Checks tokens and limits, then hands batches and heartbeats to the store."""

    def __init__(
        self,
        store: Store,
        tokens: Sequence[SensorToken],
        max_items: int,
        metrics: ConsoleMetrics,
    ) -> None:
        self._store = store
        self._tokens = [(t.token.get_secret_value().encode(), t.sensorid) for t in tokens]
        self._max_items = max_items
        self._metrics = metrics

    def _sensor_for(self, context: Any) -> str | None:
        """The sensor id whose token the caller presented, or None."""
        header = None
        for key, value in context.invocation_metadata() or ():
            if key == "authorization" and isinstance(value, str):
                header = value
        if header is None:
            return None
        scheme, _, presented = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not presented:
            return None
        candidate = presented.strip().encode()
        match = None
        for secret, sensor_id in self._tokens:  # compare with all: time does not tell which
            if hmac.compare_digest(secret, candidate):
                match = sensor_id
        return match

    def _authorize(self, context: Any, sensor_id: str, rpc: str) -> None:
        sensor = self._sensor_for(context)
        counter = self._metrics.batches if rpc == "push" else self._metrics.heartbeats
        if sensor is None:
            counter.labels("unauthenticated").inc()
            log.warning("stats_refused", rpc=rpc, reason="unauthenticated")
            _refuse(context, grpc.StatusCode.UNAUTHENTICATED, "missing or unknown sensor token")
        if sensor_id != sensor:
            counter.labels("permission_denied").inc()
            log.warning("stats_refused", rpc=rpc, reason="sensor_id_mismatch", token_sensor=sensor)
            _refuse(
                context,
                grpc.StatusCode.PERMISSION_DENIED,
                "sensor_id does not match the sensor the token belongs to",
            )

    def PushBatch(  # noqa: N802 - gRPC method name
        self, request: stats_pb2.PushBatchRequest, context: Any
    ) -> stats_pb2.PushBatchResponse:
        self._authorize(context, request.sensor_id, "push")
        try:
            check_batch(request, self._max_items)
        except BatchLimitError as refused:
            outcome = (
                "too_large" if refused.code == grpc.StatusCode.RESOURCE_EXHAUSTED else "invalid"
            )
            self._metrics.batches.labels(outcome).inc()
            log.warning("batch_refused", sensor_id=request.sensor_id, code=refused.code.name)
            _refuse(context, refused.code, refused.message)
        try:
            response = self._store.apply_batch(request)
        except STORE_FAILURES as exc:
            self._metrics.batches.labels("error").inc()
            log.error("batch_store_failed", sensor_id=request.sensor_id, error=type(exc).__name__)
            _refuse(context, grpc.StatusCode.INTERNAL, "the console could not store the batch")
        if response.duplicate:
            self._metrics.batches.labels("duplicate").inc()
        else:
            self._metrics.batches.labels("stored").inc()
            self._metrics.flows.inc(response.accepted_flows)
            self._metrics.assets.inc(response.accepted_assets)
        log.info(
            "batch_received",
            sensor_id=request.sensor_id,
            batch_id=request.batch_id,
            flows=len(request.flows),
            assets=len(request.assets),
            duplicate=response.duplicate,
        )
        return response

    def Heartbeat(  # noqa: N802 - gRPC method name
        self, request: stats_pb2.HeartbeatRequest, context: Any
    ) -> stats_pb2.HeartbeatResponse:
        self._authorize(context, request.sensor_id, "heartbeat")
        try:
            self._store.record_heartbeat(request)
        except STORE_FAILURES as exc:
            self._metrics.heartbeats.labels("error").inc()
            log.error("heartbeat_store_failed", error=type(exc).__name__)
            _refuse(context, grpc.StatusCode.INTERNAL, "the console could not store the heartbeat")
        self._metrics.heartbeats.labels("stored").inc()
        log.debug("heartbeat_received", sensor_id=request.sensor_id, nodes=len(request.nodes))
        return stats_pb2.HeartbeatResponse(server_unix_nanos=time.time_ns())
