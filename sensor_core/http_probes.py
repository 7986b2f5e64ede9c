"""The HTTP port every component serves: /metrics (Prometheus), /healthz, /readyz."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector


class CountersCollector(Collector):
    """Exposes plain counter dicts at scrape time: `<prefix>_<source>_total{event="..."}`.

    Label values are the counters' own names (a fixed set), never data.
    """

    def __init__(self, prefix: str, sources: Mapping[str, Callable[[], Mapping[str, int]]]) -> None:
        self._prefix = prefix
        self._sources = dict(sources)

    def collect(self) -> Iterator[CounterMetricFamily]:
        for source, read in self._sources.items():
            family = CounterMetricFamily(
                f"{self._prefix}_{source}", f"{source} events by kind", labels=["event"]
            )
            for event, value in sorted(read().items()):
                family.add_metric([event], float(value))
            yield family


class HttpProbes:
    """A small threaded HTTP server; `port` is the bound port (useful with port 0)."""

    def __init__(
        self,
        host: str,
        port: int,
        registry: CollectorRegistry,
        ready: Callable[[], bool],
        name: str = "http-probes",
        alive: Callable[[], bool] = lambda: True,
    ) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._reply(200, generate_latest(registry), CONTENT_TYPE_LATEST)
                elif path == "/healthz":
                    up = alive()
                    self._reply(200 if up else 503, b"ok\n" if up else b"stopped\n")
                elif path == "/readyz":
                    ok = ready()
                    self._reply(200 if ok else 503, b"ready\n" if ok else b"not ready\n")
                else:
                    self._reply(404, b"not found\n")

            def _reply(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return  # probes every few seconds are not worth a log line

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
