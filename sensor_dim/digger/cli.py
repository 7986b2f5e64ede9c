"""`digger`: consume HTTP pairs from Kafka until SIGTERM or SIGINT, then flush and exit.

Exit status: 0 after a clean stop, 1 when the loop had to give up (see the log), 2 when the
configuration is wrong (the message names the key or variable, never a value).
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click
from confluent_kafka import KafkaException

from sensor_core.logs import configure_logging, get_logger
from sensor_core.settings import SettingsError, load_settings
from sensor_dim.digger.consumer import ConsumerFailedError, kafka_error_name
from sensor_dim.digger.service import DiggerConfigError, DiggerService
from sensor_dim.digger.settings import DiggerSettings

EXIT_FAILED = 1
EXIT_BAD_CONFIG = 2


def _config_error(message: str) -> None:
    click.echo(f"digger: {message}", err=True)
    sys.exit(EXIT_BAD_CONFIG)


@click.command(name="digger", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML settings file (SVRN_DIGGER_* variables override it).",
)
def main(config_file: Path | None) -> None:
    """Run the digger: pairs from Kafka -> detection -> metadata to the console."""
    try:
        settings = load_settings(DiggerSettings, "DIGGER", config_file)
    except SettingsError as exc:
        _config_error(str(exc))
        return
    configure_logging(settings.logging)
    log = get_logger("dsensor.digger")
    try:
        service = DiggerService(settings)
    except (DiggerConfigError, ValueError) as exc:
        _config_error(str(exc))
        return

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("digger_stopping", signal=signal.Signals(signum).name)
        service.stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        service.run()
    except ValueError as exc:  # consumer settings librdkafka cannot combine
        _config_error(str(exc))
    except KafkaException as exc:
        _config_error(f"kafka: the client refused its configuration ({kafka_error_name(exc)})")
    except ConsumerFailedError as exc:
        log.error("digger_failed", reason=str(exc))
        sys.exit(EXIT_FAILED)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
