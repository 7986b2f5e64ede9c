"""Runs the DetectionService with the gRPC health service, and the HTTP metrics port."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass

import grpc
from dsensor.v1 import detection_pb2, detection_pb2_grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from detection_tool.detector import Detector
from detection_tool.metrics import DetectionMetrics
from detection_tool.registry_sync import RegistryPoller
from detection_tool.service import DetectionServicer
from detection_tool.settings import DetectionToolSettings
from sensor_core.http_probes import HttpProbes
from sensor_core.logs import get_logger

log = get_logger("detection_tool.server")

SERVICE_NAME = detection_pb2.DESCRIPTOR.services_by_name["DetectionService"].full_name


class ServerStartError(RuntimeError):
    """The service could not start (the message names the address, never data)."""


@dataclass
class RunningServer:
    server: grpc.Server
    health: health.HealthServicer
    port: int  # the bound gRPC port
    http: HttpProbes | None
    _stopped: threading.Event
    servicer: DetectionServicer | None = None
    registry: RegistryPoller | None = None  # pulls the console's rules when configured

    @property
    def http_port(self) -> int | None:
        return self.http.port if self.http else None

    def stop(self, grace: float | None = 5.0) -> None:
        """Report NOT_SERVING, finish in-flight calls within `grace` seconds, close the ports."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        if self.registry is not None:
            self.registry.stop()
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        if self.http is not None:
            self.http.stop()
        log.info("detection_tool_stopped")

    def wait(self) -> None:
        self.server.wait_for_termination()


def serve(
    settings: DetectionToolSettings,
    detector: Detector | None = None,
    *,
    with_http: bool = True,
) -> RunningServer:
    """Start the gRPC server (and the HTTP port unless `with_http` is False); returns at once."""
    metrics = DetectionMetrics()
    limit = settings.grpc.maxmessagebytes
    server = grpc.server(
        futures.ThreadPoolExecutor(
            max_workers=settings.grpc.maxworkers, thread_name_prefix="detect"
        ),
        options=[
            ("grpc.max_receive_message_length", limit),
            ("grpc.max_send_message_length", limit),
        ],
    )
    servicer = DetectionServicer(detector or Detector.from_settings(settings), metrics)
    detection_pb2_grpc.add_DetectionServiceServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    address = f"{settings.grpc.host}:{settings.grpc.port}"
    try:
        port = server.add_insecure_port(address)
    except RuntimeError:
        port = 0
    if port <= 0:
        server.stop(None)
        raise ServerStartError(f"cannot listen for gRPC on {address}")
    http: HttpProbes | None = None
    stopped = threading.Event()
    if with_http:
        try:
            http = HttpProbes(
                settings.http.host,
                settings.http.port,
                metrics.registry,
                ready=lambda: not stopped.is_set(),
                name="detection-http",
            )
        except OSError as exc:
            server.stop(None)
            where = f"{settings.http.host}:{settings.http.port}"
            raise ServerStartError(f"cannot listen for HTTP on {where} ({exc.strerror})") from None
    poller: RegistryPoller | None = None
    if settings.otaregistry.url:
        poller = RegistryPoller(settings, servicer.swap, metrics=metrics)
    server.start()
    if poller is not None:
        poller.start()
    for name in ("", SERVICE_NAME):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info(
        "detection_tool_started",
        grpc_port=port,
        http_port=http.port if http else None,
        workers=settings.grpc.maxworkers,
        registry=poller is not None,
    )
    return RunningServer(server, health_servicer, port, http, stopped, servicer, poller)
