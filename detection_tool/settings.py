"""Settings of the detection tool (YAML + SVRN_DETECTION_TOOL_* overrides)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from sensor_core.durations import Duration
from sensor_core.sections import HttpSettings, LoggingSettings
from sensor_core.settings import Section
from sensor_core.vault import VaultSettings


class GrpcServerSettings(Section):
    host: str = "0.0.0.0"  # noqa: S104 - a pod serves on all interfaces
    port: int = Field(default=8000, ge=0, le=65535)
    maxworkers: int = Field(default=4, ge=1, le=256)
    # largest request accepted (a batch of documents)
    maxmessagebytes: int = Field(default=16 * 1024 * 1024, ge=1024)


class OtaRegistryAuth(Section):
    token: SecretStr = SecretStr("")


class OtaRegistrySettings(Section):
    """The console whose registry (custom types, suppressions) the service pulls; empty: off.
    The token is the sensor's (SVRN_DETECTION_TOOL_OTAREGISTRY_AUTH_TOKEN)."""

    # the console's base URL ("http://console:8080") or the full /api/v1/registry URL
    url: str = ""
    auth: OtaRegistryAuth = OtaRegistryAuth()
    # time between pulls
    interval: Duration = Field(default=60.0, gt=0.0)


ValidatorName = Literal["", "luhn", "iban", "card", "ssn", "ip", "jwt", "email", "entropy"]


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc.msg})") from None
    return pattern


class CustomTypeSettings(Section):
    """A data type defined by configuration: a key regex and/or a value regex."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    category: Literal["personal", "payment", "health", "credentials"] = "personal"
    sensitivity: Literal["low", "medium", "high"] = "medium"
    description: str = ""
    # searched in the key name, case-insensitive ("(?:^|_)employee_?no$")
    keypattern: str = ""
    # must match the whole (stripped) value
    valuepattern: str = ""
    # a built-in check the value must also pass
    validator: ValidatorName = ""
    confidence: float = Field(default=0.9, gt=0.0, le=1.0)

    @field_validator("keypattern", "valuepattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _check_regex(value)

    @model_validator(mode="after")
    def _some_pattern(self) -> CustomTypeSettings:
        if not self.keypattern and not self.valuepattern:
            raise ValueError("needs keypattern, valuepattern or both")
        return self


class SuppressionSettings(Section):
    """Where types must not be reported. Globs: `*` matches anything (also `[0]` vs `[*]`)."""

    # type ids (empty: every type)
    types: list[str] = Field(default_factory=list)
    # field paths: "$.items[*].sku", "header.x-*" (empty: every path)
    paths: list[str] = Field(default_factory=list)
    # endpoints or assets given as detection context: "/internal/*", "db.public.audit"
    endpoints: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_everything(self) -> SuppressionSettings:
        if not (self.types or self.paths or self.endpoints):
            raise ValueError("needs types, paths or endpoints")
        return self


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
    # weigh each finding's signals with the bundled learned model (off: rules only)
    usemodel: bool = True
    # data types defined by configuration (YAML or SVRN_..._DETECTOR_CUSTOMTYPES as JSON)
    customtypes: list[CustomTypeSettings] = Field(default_factory=list)
    # paths, endpoints and types never reported
    suppressions: list[SuppressionSettings] = Field(default_factory=list)


class DetectionToolSettings(Section):
    # native Vault: secrets read before the settings load (sensor_core.vault)
    vault: VaultSettings = VaultSettings()
    grpc: GrpcServerSettings = GrpcServerSettings()
    http: HttpSettings = HttpSettings(port=9100)
    otaregistry: OtaRegistrySettings = OtaRegistrySettings()
    detector: DetectorSettings = DetectorSettings()
    logging: LoggingSettings = LoggingSettings()
    maxdocumentbytes: int = Field(default=1024 * 1024, ge=2)
    maxdepth: int = Field(default=64, ge=1, le=512)
