"""`console`: run the console until SIGTERM or SIGINT, then stop gracefully."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click

from sensor_console.server import ConsoleError, ConsoleServer
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import StorageError
from sensor_core.logs import configure_logging, get_logger
from sensor_core.settings import SettingsError, load_settings

STOP_GRACE_SECONDS = 5.0


@click.command(name="console", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML settings file (SVRN_CONSOLE_* variables override it).",
)
def main(config_file: Path | None) -> None:
    """Run the console: gRPC ingest, storage, JSON API and dashboard."""
    try:
        settings = load_settings(ConsoleSettings, "CONSOLE", config_file)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    configure_logging(settings.logging)
    log = get_logger("sensor_console")
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("console_stopping", signal=signal.Signals(signum).name)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    server = ConsoleServer(settings)
    try:
        server.start()
    except (ConsoleError, StorageError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        while not stop.wait(1.0):
            pass
    finally:
        server.stop(STOP_GRACE_SECONDS)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
