"""`digger`: consume HTTP pairs from Kafka until SIGTERM or SIGINT, then flush and exit.

Exit status: 0 after a clean stop, 1 when the loop had to give up (see the log), 2 when the
configuration is wrong (the message names the key or variable, never a value).
"""

from __future__ import annotations

from pathlib import Path

import click
from confluent_kafka import KafkaException

from sensor_core.logs import configure_logging
from sensor_core.process import (
    config_option,
    serve_until_stopped,
    settings_or_exit,
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

    def describe(exc: Exception) -> str:
        if isinstance(exc, KafkaException):
            return f"kafka: the client refused its configuration ({kafka_error_name(exc)})"
        return str(exc)

    serve_until_stopped(
        "digger",
        lambda: DiggerService(settings),
        config_errors=(DiggerConfigError, ValueError),
        # consumer settings librdkafka cannot combine surface when the loop starts
        run_config_errors=(ValueError, KafkaException),
        failures=(ConsumerFailedError,),
        describe=describe,
    )


if __name__ == "__main__":
    main()
