"""The interceptor's settings: YAML keys and `SVRN_INTERCEPTOR_<PATH>` variables."""

from __future__ import annotations

from pydantic import Field

from sensor_core.durations import Duration
from sensor_core.sections import HttpSettings, LoggingSettings
from sensor_core.settings import Section

MIB = 1024 * 1024


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


class InterceptorSettings(Section):
    """Everything `interceptor` reads from `--config` and `SVRN_INTERCEPTOR_*`."""

    node: str = ""  # node name stamped on pairs and the heartbeat (the chart sets it)
    limits: InterceptorLimits = InterceptorLimits()
    logging: LoggingSettings = LoggingSettings()
    http: HttpSettings = HttpSettings(port=18954)
