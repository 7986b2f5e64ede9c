"""A sensor's own Kafka connection (brokers, TLS, SASL) and its confluent-kafka client config.

Key names follow the seeds' Kafka connection objects (`brokers`, `tls`, `tlsconfig`, `sasl`,
`user`, `password`), so one connection shape serves the digger, the interceptor and the crawler.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from sensor_core.settings import Section

SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class KafkaTlsConfig(Section):
    """TLS files; an empty string means "not set" (the seeds' chart renders empty strings)."""

    insecureskipverify: bool = False
    cafile: str = ""
    certfile: str = ""
    keyfile: str = ""

    @model_validator(mode="after")
    def _cert_and_key_together(self) -> KafkaTlsConfig:
        if bool(self.certfile) != bool(self.keyfile):
            raise ValueError("certfile and keyfile must be given together")
        return self


class KafkaSettings(Section):
    brokers: list[str] = Field(default_factory=lambda: ["localhost:9092"], min_length=1)
    tls: bool = False
    tlsconfig: KafkaTlsConfig = KafkaTlsConfig()
    sasl: bool = False
    user: str = ""
    password: SecretStr = SecretStr("")
    saslmechanism: SaslMechanism = "PLAIN"

    @field_validator("brokers")
    @classmethod
    def _host_port(cls, brokers: list[str]) -> list[str]:
        cleaned = [b.strip() for b in brokers]
        for index, broker in enumerate(cleaned):
            host, sep, port = broker.rpartition(":")
            if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(f"entry {index} is not host:port")
            if "," in broker or any(c.isspace() for c in broker):
                raise ValueError(f"entry {index}: one host:port per entry")
        return cleaned

    @model_validator(mode="after")
    def _sasl_needs_user(self) -> KafkaSettings:
        if self.sasl and not self.user:
            raise ValueError("sasl is true but user is empty")
        return self


def security_protocol(settings: KafkaSettings) -> str:
    if settings.tls:
        return "SASL_SSL" if settings.sasl else "SSL"
    return "SASL_PLAINTEXT" if settings.sasl else "PLAINTEXT"


def client_config(settings: KafkaSettings) -> dict[str, str]:
    """The connection part of a confluent-kafka Producer/Consumer config."""
    config = {
        "bootstrap.servers": ",".join(settings.brokers),
        "security.protocol": security_protocol(settings),
    }
    if settings.tls:
        tls = settings.tlsconfig
        if tls.cafile:
            config["ssl.ca.location"] = tls.cafile
        if tls.certfile:
            config["ssl.certificate.location"] = tls.certfile
            config["ssl.key.location"] = tls.keyfile
        verify = not tls.insecureskipverify
        config["enable.ssl.certificate.verification"] = "true" if verify else "false"
        # like Go's InsecureSkipVerify: no chain check and no host name check
        config["ssl.endpoint.identification.algorithm"] = "https" if verify else "none"
    if settings.sasl:
        config["sasl.mechanism"] = settings.saslmechanism
        config["sasl.username"] = settings.user
        config["sasl.password"] = settings.password.get_secret_value()
    return config
