"""Prometheus metrics and health probes of the interceptor: /metrics, /healthz, /readyz.

Every counter of `counters.Counters` is exported as `dsensor_interceptor_<name>_total` with
its help text; gauges show the live state (connections tracked, buffered bytes, output
backlog, interfaces read). Labels carry no addresses and no payload. /healthz answers 200
while the capture loop runs; /readyz answers 200 once capture is open (503 before and while
stopping).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from sensor_dim.interceptor.counters import COUNTER_HELP, Counters

PREFIX = "dsensor_interceptor_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

GAUGE_HELP = {
    "flows_active": "TCP connections tracked now",
    "buffered_bytes": "out-of-order bytes buffered over all connections",
    "output_backlog": "pairs and heartbeats waiting for the broker",
    "interfaces": "interfaces read",
}


@dataclass
class Health:
    """What the probes answer; written by the service, read by the HTTP thread."""

    alive: bool = True
    ready: bool = False


class InterceptorCollector(Collector):
    def __init__(self, counters: Counters, gauges: Callable[[], dict[str, float]]) -> None:
        self._counters = counters
        self._gauges = gauges

    def collect(self) -> Iterator[Any]:
        values = self._counters.snapshot()
        for name, help_text in COUNTER_HELP.items():
            family = CounterMetricFamily(PREFIX + name, help_text)
            family.add_metric([], values[name])
            yield family
        for gauge_name, value in self._gauges().items():
            gauge = GaugeMetricFamily(PREFIX + gauge_name, GAUGE_HELP.get(gauge_name, gauge_name))
            gauge.add_metric([], value)
            yield gauge


def build_registry(counters: Counters, gauges: Callable[[], dict[str, float]]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(InterceptorCollector(counters, gauges))
    return registry


class MetricsServer:
    """The HTTP endpoint on its own thread; `close()` stops it and frees the port."""

    def __init__(self, host: str, port: int, registry: CollectorRegistry, health: Health) -> None:
        handler = _handler(registry, health)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="interceptor-metrics", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler(registry: CollectorRegistry, health: Health) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, generate_latest(registry), CONTENT_TYPE)
            elif path == "/healthz":
                ok = health.alive
                self._send(200 if ok else 503, b"ok\n" if ok else b"stopped\n")
            elif path == "/readyz":
                ok = health.alive and health.ready
                self._send(200 if ok else 503, b"ready\n" if ok else b"not ready\n")
            else:
                self._send(404, b"not found\n")

        def _send(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return  # probes every few seconds would flood the log

    return Handler
