"""The crawler service: every connection is crawled when its `checkinterval` has passed.

Results go to the console through the stats client as they are ready; scan state (when each
connection was last crawled, asset fingerprints) lives under `<datadir>/crawler/`, so a restart
does not rescan everything at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from dsensor.v1 import stats_pb2
from prometheus_client import CollectorRegistry

from detection_tool.detector import Detector
from sensor_core.http_probes import CountersCollector, HttpProbes
from sensor_core.logs import get_logger
from sensor_core.stats_client import StatsClient
from sensor_dar.crawl import Crawler, PassReport
from sensor_dar.manager import CrawlerPlugins
from sensor_dar.model import AssetResult, Connection
from sensor_dar.output import to_proto
from sensor_dar.settings import CrawlerSettings
from sensor_dar.state import ScanState

log = get_logger("sensor_dar.service")

# never sleep longer than this between looks at the schedule (a stop is seen at once anyway)
MAX_SLEEP_SECONDS = 300.0
# a connection that failed is retried after this delay, doubled per failure up to its interval
FIRST_RETRY_SECONDS = 30.0


def log_result(result: AssetResult) -> None:
    """One canonical line per asset: counts and reason codes, never values or field names."""
    log.info(
        "asset_scanned",
        source=result.source,
        sampled=result.sampled,
        fields=len(result.fields),
        typed_fields=len(result.typed_fields),
        bytes_read=result.bytes_read,
        errors=sorted(result.errors),
        seconds=result.seconds,
    )


class CrawlerService:
    def __init__(
        self,
        settings: CrawlerSettings,
        plugins: CrawlerPlugins | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.plugins = plugins or CrawlerPlugins(settings.disabledplugins)
        self.connections = self.plugins.connections(settings)
        self.state = ScanState(settings.datadir)
        self.stop_event = threading.Event()
        self.clock = clock
        self.passes = 0
        self._retry_at: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        # cumulative counters of every pass (assets scanned, failed, unchanged, ...)
        self.totals: dict[str, int] = {}
        self.http_port = 0

    def interval(self, connection: Connection) -> float:
        return connection.checkinterval or self.settings.checkinterval

    def due_in(self, connection: Connection) -> float:
        now = self.clock()
        retry = self._retry_at.get(connection.key, 0.0) - now
        last = self.state.last_scan(connection.key)
        if last is None:
            return max(0.0, retry)
        return max(0.0, retry, last + self.interval(connection) - now)

    def _after_crawl(self, connection: Connection, failed: bool) -> None:
        if not failed:
            self._failures.pop(connection.key, None)
            self._retry_at.pop(connection.key, None)
            return
        n = self._failures[connection.key] = self._failures.get(connection.key, 0) + 1
        delay = min(self.interval(connection), FIRST_RETRY_SECONDS * 2 ** (n - 1))
        self._retry_at[connection.key] = self.clock() + delay

    def stop(self) -> None:
        self.stop_event.set()

    def run(self, max_passes: int | None = None) -> None:
        """Crawl due connections until `stop()` (or `max_passes` rounds of due connections)."""
        settings = self.settings
        with StatsClient(
            settings.statsclient, stats_pb2.SENSOR_KIND_DAR, settings.datadir
        ) as stats:
            registry = CollectorRegistry()
            registry.register(
                CountersCollector(
                    "dsensor_crawler",
                    {"crawl": lambda: dict(self.totals), "statsclient": lambda: stats.counters},
                )
            )
            probes = HttpProbes(
                settings.http.host, settings.http.port, registry, ready=lambda: True,
                name="crawler-http",
            )  # fmt: skip
            self.http_port = probes.port
            try:
                self._loop(stats, max_passes)
            finally:
                probes.stop()
        log.info("crawler_stopped", passes=self.passes)

    def _loop(self, stats: StatsClient, max_passes: int | None) -> None:
        settings = self.settings
        detector = Detector(settings.detector)

        def sink(result: AssetResult) -> None:
            log_result(result)
            stats.add_asset(to_proto(result))

        crawler = Crawler(
            self.plugins,
            detector,
            settings.sampling.limits(),
            sink,
            state=self.state if settings.incremental else None,
            stop=self.stop_event,
            clock=self.clock,
        )
        log.info("crawler_started", connections=len(self.connections))
        while not self.stop_event.is_set():
            due = [c for c in self.connections if self.due_in(c) <= 0]
            if due:
                report = PassReport()
                for connection in due:
                    if self.stop_event.is_set():
                        break
                    failures = len(report.failures)
                    crawler.crawl_connection(connection, report)
                    failed = len(report.failures) > failures
                    self._after_crawl(connection, failed)
                    if not settings.incremental and not failed:
                        self.state.record_connection(connection.key, self.clock())
                        self.state.save()
                    stats.flush()
                self.passes += 1
                for name, count in report.counters.items():
                    self.totals[name] = self.totals.get(name, 0) + count
                log.info("crawl_pass", passes=self.passes, **report.counters)
                if max_passes is not None and self.passes >= max_passes:
                    break
            waits = [self.due_in(c) for c in self.connections] or [MAX_SLEEP_SECONDS]
            self.stop_event.wait(min(MAX_SLEEP_SECONDS, max(1.0, min(waits))))
        stats.flush()
