"""ConsoleServer: the store, gRPC ingest (with grpc health) and the HTTP side, started together."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

import grpc
from dsensor.v1 import stats_pb2_grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from prometheus_client import CollectorRegistry

from sensor_console.app import ConsoleApp
from sensor_console.http_server import HttpServer
from sensor_console.metrics import ConsoleMetrics
from sensor_console.receiver import SERVICE_NAME, StatsServicer
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import Store
from sensor_console.webhooks import WebhookDispatcher
from sensor_core.logs import get_logger

log = get_logger("sensor_console.server")

GRPC_WORKERS = 8


class ConsoleError(Exception):
    """The console cannot start (port in use, unreadable certificate, database problem)."""


def _address(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


class ConsoleServer:
    """Everything the `console` command runs, with real ports (0 picks free ones)."""

    def __init__(self, settings: ConsoleSettings) -> None:
        self.settings = settings
        self.registry = CollectorRegistry()
        self.metrics = ConsoleMetrics(self.registry)
        self.store: Store | None = None
        self._grpc: Any = None
        self._health: Any = None
        self._api: HttpServer | None = None
        self._webhooks: WebhookDispatcher | None = None
        self._retention: threading.Thread | None = None
        self._stopping = threading.Event()
        self._grpc_port = 0
        self._http_port = 0
        self._serving = False

    @property
    def grpc_port(self) -> int:
        return self._grpc_port

    @property
    def http_port(self) -> int:
        return self._http_port

    @property
    def url(self) -> str:
        """Base URL of the HTTP side, reachable from this machine."""
        host = self.settings.http.host
        if host in ("0.0.0.0", "", "::"):  # noqa: S104 - wildcard addresses map to loopback
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.http_port}"

    def _credentials(self) -> Any:
        tls = self.settings.grpc.tls
        assert tls.certfile is not None
        assert tls.keyfile is not None
        try:
            pair = (tls.keyfile.read_bytes(), tls.certfile.read_bytes())
        except OSError as exc:
            raise ConsoleError(
                f"grpc.tls: cannot read certificate or key ({exc.strerror})"
            ) from None
        return grpc.ssl_server_credentials([pair])

    def _start_grpc(self, store: Store) -> None:
        cfg = self.settings.grpc
        limit = cfg.maxmessagebytes
        server = grpc.server(
            ThreadPoolExecutor(max_workers=GRPC_WORKERS, thread_name_prefix="console-grpc"),
            options=[
                ("grpc.max_receive_message_length", limit),
                ("grpc.max_send_message_length", limit),
            ],
        )
        servicer = StatsServicer(store, self.settings.sensortokens, cfg.maxbatchflows, self.metrics)
        stats_pb2_grpc.add_StatsServiceServicer_to_server(servicer, server)  # type: ignore[no-untyped-call]
        self._health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)
        address = _address(cfg.host, cfg.port)
        try:
            if cfg.tls.enabled:
                port = server.add_secure_port(address, self._credentials())
            else:
                port = server.add_insecure_port(address)
        except RuntimeError:
            port = 0
        if not port:
            server.stop(None)
            raise ConsoleError(f"grpc: cannot listen on {address}")
        server.start()
        self._grpc = server
        self._grpc_port = int(port)
        for name in ("", SERVICE_NAME):
            self._health.set(name, health_pb2.HealthCheckResponse.SERVING)

    def start(self) -> None:
        """Open the store, start gRPC and HTTP. On failure everything started is stopped."""
        if not self.settings.sensortokens:
            log.warning("no_sensor_tokens", hint="every push will be refused; set sensortokens")
        try:
            self.store = Store(
                self.settings.database_path, self.settings.policies, self.settings.postgres_url
            )
            self._start_grpc(self.store)
            http = self.settings.http
            app = ConsoleApp(self.store, self.settings, self.metrics, lambda: self._serving)
            try:
                self._api = HttpServer(http.host, http.port, app.dispatch)
            except OSError as exc:
                raise ConsoleError(
                    f"http: cannot listen on {_address(http.host, http.port)} ({exc.strerror})"
                ) from None
            self._api.start()
            self._http_port = self._api.port
            self._webhooks = WebhookDispatcher(self.store, self.settings.webhooks, self.metrics)
            self._webhooks.start()
            self._stopping.clear()
            self._retention = threading.Thread(
                target=self._retain, args=(self.store,), name="console-retention", daemon=True
            )
            self._retention.start()
        except BaseException:
            self.stop(0)
            raise
        self._serving = True
        log.info(
            "console_started",
            grpc_port=self.grpc_port,
            http_port=self.http_port,
            tls=self.settings.grpc.tls.enabled,
            sensors=len(self.settings.sensortokens),
            schema_migrations_applied=len(self.store.applied_migrations),
        )

    def _retain(self, store: Store) -> None:
        """Delete what is older than the retention settings, now and every interval."""
        cfg = self.settings.retention
        while True:
            try:
                gone = store.purge(cfg.maxage, cfg.events)
                if any(gone.values()):
                    log.info("retention_purged", **gone)
            except Exception as exc:  # the next round tries again
                log.error("retention_failed", error=type(exc).__name__)
            if self._stopping.wait(max(cfg.interval, 1.0)):
                return

    def stop(self, grace: float = 5.0) -> None:
        """Stop taking work, let in-flight RPCs finish within `grace` seconds, close the store."""
        self._serving = False
        self._stopping.set()
        if self._retention is not None:
            self._retention.join()
            self._retention = None
        if self._webhooks is not None:
            self._webhooks.stop()
            self._webhooks = None
        if self._health is not None:
            self._health.enter_graceful_shutdown()
        if self._api is not None:
            self._api.stop()
            self._api = None
        if self._grpc is not None:
            self._grpc.stop(grace).wait()
            self._grpc = None
        if self.store is not None:
            self.store.close()
            self.store = None
            log.info("console_stopped")

    def __enter__(self) -> ConsoleServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
