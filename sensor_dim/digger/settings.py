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
from sensor_core.vault import VaultSettings
from sensor_dim.digger.assets import KnownWorkload


class DetectionClientSettings(Section):
    # "inprocess": the detector library in this process; "remote": the detection-tool service
    mode: Literal["inprocess", "remote"] = "inprocess"
    address: str = "localhost:8000"
    timeout: Duration = 10.0
    # how long one pair waits for an unreachable service before it is delivered again later
    patience: Duration = 30.0
    # pairs whose bodies and fields travel in one detection call (remote: one Detect request)
    batchpairs: int = Field(default=64, ge=1, le=10_000)
    # the longest the consumer waits for a batch of pairs to fill before it processes them
    linger: Duration = 0.2


class EndpointSettings(Section):
    """Learned path segments: a literal position with `learnthreshold` distinct values under one
    (method, host, template prefix) becomes `{var}` (`/shop/red-shoe` -> `/shop/{var}`)."""

    learnthreshold: int = Field(default=100, ge=2)
    # prefixes whose distinct segments are tracked (least recently used ones are forgotten)
    maxprefixes: int = Field(default=5_000, ge=1)


class NamespaceSettings(Section):
    # shell-style wildcards; deny wins over allow
    allow: list[str] = Field(default_factory=lambda: ["*"])
    deny: list[str] = Field(default_factory=list)


class KubernetesSettings(Section):
    """Naming addresses from the Kubernetes API (watches) and the interceptors' address lists."""

    enabled: bool = False
    # outside a pod: a kubeconfig file; inside, the pod's service account is used
    kubeconfig: Path | None = None
    namespaces: NamespaceSettings = NamespaceSettings()
    # pods carrying one of these labels are left out: "key" or "key=value"
    excludelabels: list[str] = Field(default_factory=list)
    # a watch is re-opened at least this often (the API closes long ones anyway)
    watchtimeout: Duration = 300.0
    iplisttopic: str = Field(default="iplist", min_length=1)
    # how often changed address lists are published; all of them every `iplistrefresh`
    iplistinterval: Duration = 5.0
    iplistrefresh: Duration = 300.0


class SamplingSettings(Section):
    """Every new endpoint is analysed; known ones at `rate` each, within `globalrate` in all."""

    enabled: bool = True
    rate: float = Field(default=1.0, gt=0)
    burst: float = Field(default=5.0, ge=1)
    globalrate: float = Field(default=200.0, gt=0)
    maxendpoints: int = Field(default=100_000, ge=1)


class DiggerSettings(Section):
    statsclient: StatsClientSettings = StatsClientSettings()
    detection: DetectionClientSettings = DetectionClientSettings()
    metadata: MetadataSettings = MetadataSettings()
    kubernetes: KubernetesSettings = KubernetesSettings()
    # native Vault: tokens and connection JSON read before the settings load (sensor_core.vault)
    vault: VaultSettings = VaultSettings()
    sampling: SamplingSettings = SamplingSettings()
    endpoints: EndpointSettings = EndpointSettings()
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
    # what librdkafka fetches ahead of the loop, at most (KiB): a digger that falls behind stops
    # fetching (backpressure) instead of holding more, and fetches again as it catches up
    prefetchkbytes: int = Field(default=16384, ge=256, le=2_097_151)
    autooffsetreset: Literal["earliest", "latest"] = "earliest"
    # interceptors' heartbeats, forwarded with the digger's own counters as sensor health
    heartbeattopic: str = Field(default="heartbeat", min_length=1)
    healthinterval: Duration = 30.0
    # bound on the final flush and consumer close after SIGTERM
    shutdowntimeout: Duration = 20.0
