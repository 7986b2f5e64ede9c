"""`digger`: consume HTTP pairs from Kafka until SIGTERM or SIGINT, then flush and exit.

Exit status: 0 after a clean stop, 1 when the loop had to give up (see the log), 2 when the
configuration is wrong (the message names the key or variable, never a value).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from confluent_kafka import KafkaException

from sensor_core.logs import configure_logging, get_logger
from sensor_core.process import (
    EXIT_FAILED,
    config_option,
    exit_bad_config,
    settings_or_exit,
    stop_on_signals,
)
from sensor_dim.digger.consumer import ConsumerFailedError, kafka_error_name
from sensor_dim.digger.service import DiggerConfigError, DiggerService
from sensor_dim.digger.settings import DiggerSettings


@click.command(name="digger", context_settings={"help_option_names": ["-h", "--help"]})
@config_option("DIGGER")
def main(config_file: Path | None) -> None:
    """Run the digger: pairs from Kafka -> detection -> metadata to the console."""
    settings = settings_or_exit(DiggerSettings, "DIGGER", config_file, "digger")
    configure_logging(settings.logging)
    log = get_logger("dsensor.digger")
    try:
        service = DiggerService(settings)
    except (DiggerConfigError, ValueError) as exc:
        exit_bad_config("digger", str(exc))

    def on_stop(signal_name: str) -> None:
        log.info("digger_stopping", signal=signal_name)
        service.stop()

    with stop_on_signals(on_stop):
        try:
            service.run()
        except ValueError as exc:  # consumer settings librdkafka cannot combine
            exit_bad_config("digger", str(exc))
        except KafkaException as exc:
            reason = kafka_error_name(exc)
            exit_bad_config("digger", f"kafka: the client refused its configuration ({reason})")
        except ConsumerFailedError as exc:
            log.error("digger_failed", reason=str(exc))
            sys.exit(EXIT_FAILED)
