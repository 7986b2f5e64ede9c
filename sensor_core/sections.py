"""Settings sections shared by several components (each component's model embeds them)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from sensor_core.durations import Duration
from sensor_core.settings import Section

DEFAULT_DATA_DIR = Path("/var/lib/dsensor")


class LoggingSettings(Section):
    level: Literal["debug", "info", "warning", "error"] = "info"
    # "auto": JSON lines when stderr is not a terminal, coloured key=value when it is
    format: Literal["auto", "json", "console"] = "auto"


class HttpSettings(Section):
    """The component's HTTP port: /metrics, /healthz, /readyz."""

    host: str = "0.0.0.0"  # noqa: S104 - a pod serves its probes on all interfaces
    port: int = Field(default=0, ge=0, le=65535)


class StatsClientSettings(Section):
    """Where and how a sensor sends metadata to the console."""

    address: str = "localhost:10350"
    token: SecretStr = SecretStr("")
    tls: bool = False
    cafile: Path | None = None
    sensorid: str = ""
    clustername: str = "default"
    batchsize: int = Field(default=100, ge=1, le=10_000)
    flushinterval: Duration = 5.0
    timeout: Duration = 10.0
    # where unsent batches wait (under the data directory when empty)
    spooldir: Path | None = None
    spoolmaxbytes: int = Field(default=256 * 1024 * 1024, ge=0)


class MetadataSettings(Section):
    # masked value shapes ("xxxx@xxxx.xxx") are off unless the user turns them on
    maskedshapes: bool = False
