"""`console`: run the console until SIGTERM or SIGINT, then stop gracefully."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from sensor_console.server import ConsoleError, ConsoleServer
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import StorageError
from sensor_core.logs import configure_logging, get_logger
from sensor_core.process import EXIT_FAILED, config_option, settings_or_exit, stop_on_signals

STOP_GRACE_SECONDS = 5.0


@click.command(name="console", context_settings={"help_option_names": ["-h", "--help"]})
@config_option("CONSOLE")
def main(config_file: Path | None) -> None:
    """Run the console: gRPC ingest, storage, JSON API and dashboard."""
    settings = settings_or_exit(ConsoleSettings, "CONSOLE", config_file, "console")
    configure_logging(settings.logging)
    log = get_logger("sensor_console")
    stop = threading.Event()

    def on_stop(signal_name: str) -> None:
        log.info("console_stopping", signal=signal_name)
        stop.set()

    with stop_on_signals(on_stop):
        server = ConsoleServer(settings)
        try:
            server.start()
        except (ConsoleError, StorageError) as exc:
            click.echo(f"console: {exc}", err=True)
            sys.exit(EXIT_FAILED)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            server.stop(STOP_GRACE_SECONDS)
