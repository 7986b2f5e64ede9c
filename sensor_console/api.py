"""The console's HTTP side: JSON API, dashboard page, health probes and metrics.

Routes (GET): /api/v1/flows, /api/v1/datatypes, /api/v1/sensors, /, /healthz, /readyz, /metrics.
A threaded stdlib server for now; the handlers only read the store.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from sensor_console.dashboard import render_page
from sensor_console.metrics import ConsoleMetrics
from sensor_console.rows import to_json
from sensor_console.storage import Store
from sensor_core.logs import get_logger

log = get_logger("sensor_console.api")

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"

Response = tuple[int, str, bytes]


def _json(payload: Any, status: int = 200) -> Response:
    return status, JSON, json.dumps(payload, ensure_ascii=False).encode()


class ApiServer:
    """Serves the routes on a ThreadingHTTPServer in a background thread."""

    def __init__(
        self,
        host: str,
        port: int,
        store: Store,
        metrics: ConsoleMetrics,
        ready: Callable[[], bool],
    ) -> None:
        self.store = store
        self.metrics = metrics
        self.ready = ready
        self.routes: dict[str, Callable[[], Response]] = {
            "/": self._page,
            "/api/v1/flows": lambda: _json({"flows": [to_json(f) for f in store.data_map()]}),
            "/api/v1/datatypes": lambda: _json(
                {"datatypes": [to_json(t) for t in store.data_types()]}
            ),
            "/api/v1/sensors": lambda: _json({"sensors": [to_json(s) for s in store.sensors()]}),
            "/healthz": lambda: (200, TEXT, b"ok\n"),
            "/readyz": self._readyz,
            "/metrics": lambda: (200, CONTENT_TYPE_LATEST, generate_latest(metrics.registry)),
        }
        handler = type("BoundHandler", (_Handler,), {"api": self})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def _page(self) -> Response:
        html = render_page(self.store.data_map(), self.store.data_types(), self.store.sensors())
        return 200, HTML, html.encode()

    def _readyz(self) -> Response:
        if self.ready() and self.store.ping():
            return 200, TEXT, b"ready\n"
        return 503, TEXT, b"not ready\n"

    def handle(self, raw_path: str) -> tuple[str, Response]:
        """(route label for metrics, response) for one GET."""
        path = urlsplit(raw_path).path
        route = self.routes.get(path)
        if route is None:
            return "other", _json({"error": "not found"}, 404)
        try:
            return path, route()
        except Exception as exc:
            log.error("http_route_failed", route=path, error=type(exc).__name__)
            return path, _json({"error": "internal error"}, 500)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="console-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    api: ApiServer
    server_version = "dsensor-console"
    sys_version = ""

    def do_GET(self) -> None:
        route, (status, content_type, body) = self.api.handle(self.path)
        self.api.metrics.http_requests.labels(route, str(status)).inc()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if content_type == HTML:
            self.send_header("Content-Security-Policy", PAGE_POLICY)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are counted in metrics, not logged (URLs could carry anything)."""
