"""The interceptor's settings: YAML keys and `SVRN_INTERCEPTOR_<PATH>` variables."""

from __future__ import annotations

from pydantic import Field

from sensor_core.durations import Duration
from sensor_core.kafka_settings import KafkaSettings
from sensor_core.sections import HttpSettings, LoggingSettings
from sensor_core.settings import Section
from sensor_core.vault import VaultSettings

MIB = 1024 * 1024
# interfaces that never carry pod traffic worth reading (or carry it a second time)
DEFAULT_SKIPPED_INTERFACES = (
    "lo",
    "docker0",
    "cni0",
    "tunl0",
    "ip6tnl0",
    "nflog",
    "nfqueue",
    "bluetooth-monitor",
)


class InterceptorLimits(Section):
    """Bounds on memory and work per message, connection and process."""

    # HTTP body bytes kept per message (wire and decoded); longer bodies are cut and flagged
    messagecap: int = Field(default=MIB, ge=1024)
    # bytes of one header section (start line, headers, or chunked trailers)
    headercap: int = Field(default=64 * 1024, ge=256)
    # decoded (gzip/deflate/br) output per body; bigger output is cut and flagged
    decompressioncap: int = Field(default=MIB, ge=1024)
    # out-of-order bytes buffered per connection before the hole is declared a gap
    flowbuffer: int = Field(default=4 * MIB, ge=4096)
    # out-of-order bytes buffered over all connections; beyond it segments are dropped
    globalbuffer: int = Field(default=256 * MIB, ge=4096)
    # connections tracked at once; the least recently active one is evicted when full
    maxflows: int = Field(default=100_000, ge=1)
    # a connection without packets for this long is evicted (capture time, not wall time)
    idletimeout: Duration = 120.0
    # requests waiting for their responses on one connection (pipelining)
    pendingrequests: int = Field(default=64, ge=1)


class CaptureSettings(Section):
    """Which interfaces are read live, and how."""

    # interfaces to read; empty: chosen from the monitored addresses (or all but the skipped)
    interfaces: list[str] = Field(default_factory=list)
    skipinterfaces: list[str] = Field(default_factory=lambda: list(DEFAULT_SKIPPED_INTERFACES))
    # addresses to monitor without the digger's iplist (merged with the latest iplist)
    addresses: list[str] = Field(default_factory=list)
    # libpcap filter expression applied in the kernel
    filter: str = Field(default="tcp", min_length=1)
    # bytes kept of each frame (larger frames are cut: the TCP stream then shows a gap)
    snaplen: int = Field(default=262_144, ge=1514, le=262_144)
    # kernel receive buffer per capture socket
    socketbuffer: int = Field(default=8 * MIB, ge=65_536)
    # interfaces and the address list are re-read this often (pods come and go)
    refresh: Duration = 60.0


class KafkaOutputSettings(Section):
    """Where pairs and heartbeats go, and how much may wait when the broker is slow or away."""

    connection: KafkaSettings = KafkaSettings()
    eventstopic: str = Field(default="events", min_length=1)
    heartbeattopic: str = Field(default="heartbeat", min_length=1)
    iplisttopic: str = Field(default="iplist", min_length=1)
    # pairs waiting to be sent; beyond it new pairs are dropped and counted
    queuemessages: int = Field(default=100_000, ge=1)
    queuebytes: int = Field(default=256 * MIB, ge=MIB)
    batchmessages: int = Field(default=1000, ge=1)
    linger: Duration = 0.1
    # a pair not delivered within this time is dropped and counted
    deliverytimeout: Duration = 30.0
    heartbeatinterval: Duration = 30.0


class InterceptorSettings(Section):
    """Everything `interceptor` reads from `--config` and `SVRN_INTERCEPTOR_*`."""

    # native Vault: secrets read before the settings load (sensor_core.vault)
    vault: VaultSettings = VaultSettings()

    node: str = ""  # node name stamped on pairs and the heartbeat (the chart sets it)
    sensorid: str = ""
    limits: InterceptorLimits = InterceptorLimits()
    capture: CaptureSettings = CaptureSettings()
    kafka: KafkaOutputSettings = KafkaOutputSettings()
    logging: LoggingSettings = LoggingSettings()
    http: HttpSettings = HttpSettings(port=18954)
    # graceful stop: pending pairs are flushed for at most this long
    shutdowntimeout: Duration = 55.0
