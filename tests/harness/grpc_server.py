"""A real gRPC server on 127.0.0.1:0 for tests, with the standard health service.

`serve_grpc(add_servicers..., services=...)` is a context manager yielding `RunningGrpcServer`
(`port`, `target` "127.0.0.1:port", `health` to flip serving status, `server`). Each adder is a
callable taking the `grpc.Server`, e.g. `lambda s: add_FooServicer_to_server(Foo(), s)`.
Pass `credentials` (grpc.ssl_server_credentials) for TLS. Stops with grace at exit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc


@dataclass(frozen=True)
class RunningGrpcServer:
    port: int
    server: Any
    health: Any

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def set_serving(self, service: str, serving: bool) -> None:
        """Flip a service's health status ("" is the whole server)."""
        status = health_pb2.HealthCheckResponse.SERVING
        if not serving:
            status = health_pb2.HealthCheckResponse.NOT_SERVING
        self.health.set(service, status)


@contextmanager
def serve_grpc(
    *adders: Callable[[Any], None],
    services: Iterable[str] = (),
    credentials: Any = None,
    interceptors: Sequence[Any] = (),
    max_workers: int = 4,
    grace: float = 1.0,
) -> Iterator[RunningGrpcServer]:
    """Start a server with the given servicers; `services` are marked SERVING in health."""
    executor = futures.ThreadPoolExecutor(max_workers=max_workers)
    server = grpc.server(executor, interceptors=list(interceptors))
    for add in adders:
        add(server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", *services):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    if credentials is None:
        port = server.add_insecure_port("127.0.0.1:0")
    else:
        port = server.add_secure_port("127.0.0.1:0", credentials)
    if port == 0:
        executor.shutdown(wait=False)
        raise RuntimeError("gRPC server could not bind 127.0.0.1:0")
    server.start()
    try:
        yield RunningGrpcServer(port=port, server=server, health=health_servicer)
    finally:
        server.stop(grace).wait()
        executor.shutdown(wait=True)
