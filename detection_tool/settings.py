"""Settings of the detection tool (YAML + SVRN_DETECTION_TOOL_* overrides)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from sensor_core.sections import HttpSettings, LoggingSettings
from sensor_core.settings import Section


class GrpcServerSettings(Section):
    host: str = "0.0.0.0"  # noqa: S104 - a pod serves on all interfaces
    port: int = Field(default=8000, ge=0, le=65535)
    maxworkers: int = Field(default=4, ge=1, le=256)
    # largest request accepted (a batch of documents)
    maxmessagebytes: int = Field(default=16 * 1024 * 1024, ge=1024)


class OtaRegistryAuth(Section):
    token: SecretStr = SecretStr("")


class OtaRegistrySettings(Section):
    """Where later versions fetch model updates (unused by the rule-based detector)."""

    url: str = ""
    auth: OtaRegistryAuth = OtaRegistryAuth()


class DetectorSettings(Section):
    """Thresholds of the detector."""

    # findings below this confidence are not reported
    minconfidence: float = Field(default=0.5, ge=0.0, le=1.0)
    # record sets: share of a path's non-empty values that must match a type
    recordshare: float = Field(default=0.6, gt=0.0, le=1.0)
    # record sets: the share needed when the key name also suggests the type
    recordkeyshare: float = Field(default=0.3, gt=0.0, le=1.0)
    # arrays are cut to their first N elements
    maxarrayelements: int = Field(default=10, ge=1, le=10_000)
    # free-text strings are scanned for embedded values up to this many characters
    maxscanchars: int = Field(default=65_536, ge=0)
    # record sets: distinct paths tracked; further paths are counted and dropped
    maxrecordpaths: int = Field(default=10_000, ge=1)


class DetectionToolSettings(Section):
    grpc: GrpcServerSettings = GrpcServerSettings()
    http: HttpSettings = HttpSettings(port=9100)
    otaregistry: OtaRegistrySettings = OtaRegistrySettings()
    detector: DetectorSettings = DetectorSettings()
    logging: LoggingSettings = LoggingSettings()
    maxdocumentbytes: int = Field(default=1024 * 1024, ge=2)
    maxdepth: int = Field(default=64, ge=1, le=512)
