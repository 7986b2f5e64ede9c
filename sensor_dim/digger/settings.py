"""The digger's settings (YAML via --config, overrides SVRN_DIGGER_<KEY PATH>)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from sensor_core.durations import Duration
from sensor_core.kafka_settings import KafkaSettings
from sensor_core.sections import (
    DEFAULT_DATA_DIR,
    HttpSettings,
    LoggingSettings,
    MetadataSettings,
    StatsClientSettings,
)
from sensor_core.settings import Section
from sensor_dim.digger.assets import KnownWorkload


class DetectionClientSettings(Section):
    # "inprocess": the detector library in this process; "remote": the detection-tool service
    mode: Literal["inprocess", "remote"] = "inprocess"
    address: str = "localhost:8000"
    timeout: Duration = 10.0


class DiggerSettings(Section):
    statsclient: StatsClientSettings = StatsClientSettings()
    detection: DetectionClientSettings = DetectionClientSettings()
    metadata: MetadataSettings = MetadataSettings()
    # addresses named without the Kubernetes API (the demo's services, fixed external peers)
    workloads: list[KnownWorkload] = Field(default_factory=list)
    http: HttpSettings = HttpSettings(port=9000)
    logging: LoggingSettings = LoggingSettings()
    datadir: Path = DEFAULT_DATA_DIR
    # how often built metadata is handed to the stats client
    flushinterval: Duration = 10.0
    # the Kafka bus: pairs arrive on `eventstopic`; every digger replica joins `consumergroup`
    kafka: KafkaSettings = KafkaSettings()
    eventstopic: str = Field(default="events", min_length=1)
    consumergroup: str = Field(default="dsensor-digger", min_length=1)
    sessiontimeout: Duration = 6.0
    heartbeatinterval: Duration = 1.0
    # how long the broker may hold a fetch while no data arrives
    fetchwaitmax: Duration = 0.1
    autooffsetreset: Literal["earliest", "latest"] = "earliest"
    # bound on the final flush and consumer close after SIGTERM
    shutdowntimeout: Duration = 20.0
