"""One pass over connections: open, discover, skip unchanged, sample, detect, hand results on.

A failing asset is reported (`AssetResult.errors`) and the pass goes on; a failing connection is
reported (`SourceFailure`) and the next connection is crawled. Logs carry counts and reason
codes only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from detection_tool.detector import Detector
from sensor_core.logs import get_logger
from sensor_dar.analysis import analyze, failed_result
from sensor_dar.manager import CrawlerPlugins, PluginError
from sensor_dar.model import (
    AssetError,
    AssetRef,
    AssetResult,
    Connection,
    SampleLimits,
    SourceError,
    SourceFailure,
    reason_code,
)
from sensor_dar.source import Source
from sensor_dar.state import ScanState

log = get_logger("sensor_dar.crawl")

ResultSink = Callable[[AssetResult], None]
# (connection, assets done, assets in this connection)
ProgressCallback = Callable[[Connection, int, int], None]


@dataclass
class PassReport:
    results: list[AssetResult] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n


def _error_reason(exc: Exception) -> str:
    if isinstance(exc, AssetError | SourceError):
        return exc.reason
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, MemoryError):
        return "out_of_memory"
    return "plugin_error"


class Crawler:
    """Crawls connections through the plugins; results go to `sink` as they are ready."""

    def __init__(
        self,
        plugins: CrawlerPlugins,
        detector: Detector,
        limits: SampleLimits,
        sink: ResultSink,
        state: ScanState | None = None,
        stop: threading.Event | None = None,
        progress: ProgressCallback | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.plugins = plugins
        self.detector = detector
        self.limits = limits
        self.sink = sink
        self.state = state
        self.stop = stop or threading.Event()
        self.progress = progress
        self.clock = clock

    def run(self, connections: Sequence[Connection]) -> PassReport:
        report = PassReport()
        for connection in connections:
            if self.stop.is_set():
                break
            self.crawl_connection(connection, report)
        return report

    def crawl_connection(self, connection: Connection, report: PassReport) -> None:
        started = time.monotonic()
        before = len(report.results)
        try:
            source = self.plugins.open_source(connection)
        except (SourceError, PluginError, Exception) as exc:
            self._source_failed(connection, exc, report)
            return
        try:
            try:
                assets = list(self.plugins.discover_assets(source))
            except Exception as exc:
                self._source_failed(connection, exc, report)
                return
            report.count("assets_discovered", len(assets))
            for index, asset in enumerate(assets):
                if self.stop.is_set():
                    report.count("stopped")
                    break
                self._crawl_asset(source, connection, asset, report)
                if self.progress is not None:
                    self.progress(connection, index + 1, len(assets))
            else:
                if self.state is not None:
                    self.state.record_connection(connection.key, self.clock())
        finally:
            try:
                source.close()
            except Exception as exc:
                log.warning("source_close_failed", source=connection.kind, error=type(exc).__name__)
            if self.state is not None:
                self.state.save()
        log.info(
            "connection_crawled",
            source=connection.kind,
            instance=connection.instance,
            assets=len(report.results) - before,
            seconds=round(time.monotonic() - started, 3),
        )

    def _source_failed(self, connection: Connection, exc: Exception, report: PassReport) -> None:
        reason = reason_code(_error_reason(exc))
        report.failures.append(SourceFailure(connection.kind, connection.instance, reason))
        report.count("sources_failed")
        log.error(
            "source_failed",
            source=connection.kind,
            instance=connection.instance,
            reason=reason,
            error=type(exc).__name__,
        )

    def _crawl_asset(
        self, source: Source, connection: Connection, asset: AssetRef, report: PassReport
    ) -> None:
        if self.state is not None and self.state.unchanged(
            connection.key, asset.name, asset.fingerprint
        ):
            report.count("assets_unchanged")
            return
        started = time.monotonic()
        try:
            sample = self.plugins.sample_records(source, asset, self.limits)
        except Exception as exc:
            reason = _error_reason(exc)
            report.count("assets_failed")
            log.warning(
                "asset_failed", source=connection.kind, reason=reason, error=type(exc).__name__
            )
            result = failed_result(connection.kind, connection.instance, asset, reason, started)
            if self.state is not None:
                self.state.forget_asset(connection.key, asset.name)
        else:
            result = analyze(
                self.detector, connection.kind, connection.instance, asset, sample, started
            )
            del sample
            report.count("assets_scanned")
            report.count("records_sampled", result.sampled)
            if self.state is not None:
                self.state.record_asset(connection.key, asset.name, asset.fingerprint)
        report.results.append(result)
        self.sink(result)
        self.plugins.asset_scanned(result)
