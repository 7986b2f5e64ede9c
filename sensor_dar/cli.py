"""`crawler` (the service) and `dsensor scan` (one pass, printed).

Both read the same settings: YAML via --config and the documented SVRN_CRAWLER_* variables
(`SVRN_CRAWLER_CRAWL_S3`, `..._CRAWL_KAFKA`, `..._CRAWL_DATABASE_POSTGRES`). Exit status: 0 after
a clean run, 1 when a source could not be crawled or the service had to give up, 2 when the
configuration is wrong (the message names the variable, entry and field, never a value).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

import click
from dsensor.v1 import stats_pb2

from detection_tool.detector import Detector
from sensor_core.logs import configure_logging
from sensor_core.process import (
    EXIT_FAILED,
    config_option,
    exit_bad_config,
    serve_until_stopped,
    settings_or_exit,
    stop_on_signals,
)
from sensor_core.sections import LoggingSettings
from sensor_core.stats_client import StatsClient
from sensor_dar.crawl import Crawler, PassReport
from sensor_dar.flags import FlagConnections, apply_flags
from sensor_dar.manager import CrawlerPlugins, PluginError
from sensor_dar.model import AssetResult, Connection
from sensor_dar.output import table_lines, to_json_line, to_proto
from sensor_dar.service import CrawlerService, log_result
from sensor_dar.settings import CrawlerSettings
from sensor_dar.state import ScanState

BAR_WIDTH = 30


@click.command(name="crawler", context_settings={"help_option_names": ["-h", "--help"]})
@config_option("CRAWLER")
def main(config_file: Path | None) -> None:
    """Run the crawler: sample S3, Kafka and PostgreSQL every checkinterval, report to console."""
    settings = settings_or_exit(CrawlerSettings, "CRAWLER", config_file, "crawler")
    configure_logging(settings.logging)
    # OSError while running: the data directory is not writable
    serve_until_stopped(
        "crawler", lambda: CrawlerService(settings), config_errors=(PluginError, ValueError)
    )


class _Progress:
    """A progress bar per connection on stderr (only on a terminal)."""

    def __init__(self) -> None:
        self._current: str | None = None

    def __call__(self, connection: Connection, done: int, total: int) -> None:
        label = f"{connection.kind}:{connection.instance}"
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        click.echo(f"\r{label} [{bar}] {done}/{total} assets", nl=False, err=True)
        if done >= total:
            click.echo("", err=True)


@click.command(name="scan", context_settings={"help_option_names": ["-h", "--help"]})
@config_option("CRAWLER")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="json: one CONTRACTS.md line per asset on stdout.",
)
@click.option(
    "--postgres",
    "postgres",
    multiple=True,
    metavar="URL",
    help="A PostgreSQL connection string (repeatable); adds to the settings.",
)
@click.option(
    "--s3",
    "s3_urls",
    multiple=True,
    metavar="URL",
    help="An S3 endpoint URL, 'aws' for AWS (repeatable; credentials from AWS_*).",
)
@click.option("--bucket", "buckets", multiple=True, help="Limit --s3 to these buckets.")
@click.option(
    "--kafka",
    "kafka",
    multiple=True,
    metavar="HOST:PORT[,...]",
    help="Kafka brokers (repeatable, one cluster per option).",
)
@click.option(
    "--source",
    "kinds",
    multiple=True,
    help="Only crawl connections of these source kinds (postgres, s3, kafka, ...).",
)
@click.option(
    "--max-records",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Records sampled per asset (default: sampling.maxrecords).",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Skip assets unchanged since the last scan (state in the data directory).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Scan state directory for --incremental (default: settings datadir).",
)
@click.option("--send", is_flag=True, help="Also send the results to the console (statsclient).")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="warning",
    show_default=True,
)
def scan_command(
    config_file: Path | None,
    output_format: str,
    postgres: tuple[str, ...],
    s3_urls: tuple[str, ...],
    buckets: tuple[str, ...],
    kafka: tuple[str, ...],
    kinds: tuple[str, ...],
    max_records: int | None,
    incremental: bool,
    data_dir: Path | None,
    send: bool,
    log_level: str,
) -> None:
    """Scan data stores once and print, per asset and field, the sensitive data types found."""
    base = settings_or_exit(CrawlerSettings, "CRAWLER", config_file, "dsensor scan")
    flags = FlagConnections(postgres, s3_urls, buckets, kafka, max_records, data_dir)
    try:
        settings = apply_flags(base, flags)
    except ValueError as exc:
        exit_bad_config("dsensor scan", str(exc))
    configure_logging(LoggingSettings.model_validate({"level": log_level, "format": "auto"}))
    try:
        plugins = CrawlerPlugins(settings.disabledplugins)
        connections = plugins.connections(settings)
    except (PluginError, ValueError) as exc:
        exit_bad_config("dsensor scan", str(exc))
    unknown = sorted(set(kinds) - set(plugins.source_kinds))
    if unknown:
        exit_bad_config("dsensor scan", f"--source: unknown source kind(s) {', '.join(unknown)}")
    if kinds:
        connections = [c for c in connections if c.kind in kinds]
    if not connections:
        exit_bad_config(
            "dsensor scan",
            "nothing to scan: set SVRN_CRAWLER_CRAWL_S3, SVRN_CRAWLER_CRAWL_KAFKA or "
            "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES, or pass --postgres, --s3 or --kafka",
        )
    report = _scan(settings, plugins, connections, output_format, incremental, send)
    for failure in report.failures:
        click.echo(
            f"dsensor scan: {failure.source}:{failure.instance}: not scanned ({failure.reason})",
            err=True,
        )
    if report.failures:
        sys.exit(EXIT_FAILED)


def _scan(
    settings: CrawlerSettings,
    plugins: CrawlerPlugins,
    connections: list[Connection],
    output_format: str,
    incremental: bool,
    send: bool,
) -> PassReport:
    stop = threading.Event()
    with ExitStack() as stack:
        data_dir = settings.datadir
        if send and not (incremental or data_dir.is_dir()):
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dsensor-")))
        stats = None
        if send:
            stats = stack.enter_context(
                StatsClient(settings.statsclient, stats_pb2.SENSOR_KIND_DAR, data_dir)
            )

        def sink(result: AssetResult) -> None:
            log_result(result)
            if stats is not None:
                stats.add_asset(to_proto(result))
            if output_format == "json":
                click.echo(to_json_line(result))

        show_progress = output_format == "table" and sys.stderr.isatty()
        crawler = Crawler(
            plugins,
            Detector(settings.detector),
            settings.sampling.limits(),
            sink,
            state=ScanState(settings.datadir) if incremental else None,
            stop=stop,
            progress=_Progress() if show_progress else None,
        )
        with stop_on_signals(lambda _name: stop.set()):
            report = crawler.run(connections)
        if stats is not None:
            stats.flush()
    if output_format == "table":
        for line in table_lines(report.results):
            click.echo(line)
        if report.counters.get("assets_unchanged"):
            click.echo(f"unchanged since the last scan: {report.counters['assets_unchanged']}")
    return report
