"""Native HashiCorp Vault: Kubernetes auth, KV v2 secrets as environment variables, renewal.

The alternative to the Vault agent sidecar. A component embeds `VaultSettings` (YAML key
`vault`) and calls `settings_with_vault` in `main()` instead of `load_settings`: when
`vault.enabled` is set, the component logs in with its service-account token (Kubernetes auth
role), reads the KV v2 secrets listed in `vault.secrets` and puts each one into the variable it
names (`SVRN_DIGGER_STATSCLIENT_TOKEN`, `SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES`, ...), so the usual
settings loader sees them exactly as if the agent had exported them. A secret value that is a
JSON object or list (a DAR connection list) becomes its JSON text.

The Vault token is renewed by logging in again with the current service-account token (projected
tokens rotate) when less than a third of its lease remains, or once after a 403.
Errors name the address, role, mount, path and key, never a secret value or token.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import hvac
import hvac.exceptions
import requests
from pydantic import Field, field_validator, model_validator

from sensor_core.durations import Duration
from sensor_core.logs import get_logger
from sensor_core.settings import Section, load_settings

log = get_logger("vault")

DEFAULT_JWT_FILE = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
# log in again when less than this share of the lease is left
RENEW_SHARE = 1 / 3


class VaultSecret(Section):
    """One KV v2 value: `key` of the secret at `path` goes into the variable `env`."""

    path: str = Field(min_length=1)
    key: str = Field(min_length=1)
    # the variable to set; empty: the key itself (Vault keys named like the variables)
    env: str = ""

    @field_validator("path")
    @classmethod
    def _relative(cls, path: str) -> str:
        cleaned = path.strip().strip("/")
        if not cleaned or ".." in cleaned.split("/"):
            raise ValueError("path must be a KV path below the mount, without '..'")
        return cleaned

    @property
    def variable(self) -> str:
        return self.env or self.key

    @model_validator(mode="after")
    def _variable_name(self) -> VaultSecret:
        if not _ENV_NAME.match(self.variable):
            raise ValueError("env (or key) must be an environment variable name: A-Z, 0-9, _")
        return self


class VaultSettings(Section):
    """The `vault` section a component embeds."""

    enabled: bool = False
    # https://vault.example:8200
    address: str = ""
    # Vault Enterprise namespace (empty: none)
    namespace: str = ""
    role: str = ""
    # where the Kubernetes auth method is mounted
    authmount: str = Field(default="kubernetes", min_length=1)
    jwtfile: Path = DEFAULT_JWT_FILE
    # where the KV version 2 engine is mounted
    kvmount: str = Field(default="secret", min_length=1)
    # CA bundle for Vault's certificate (empty: the system store)
    cafile: Path | None = None
    timeout: Duration = 10.0
    secrets: list[VaultSecret] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> VaultSettings:
        if self.enabled:
            if not self.address.startswith(("http://", "https://")):
                raise ValueError("vault.address must be an http:// or https:// URL when enabled")
            if not self.role:
                raise ValueError("vault.role must be set when enabled")
        variables = [s.variable for s in self.secrets]
        if len(set(variables)) != len(variables):
            raise ValueError("two vault.secrets entries set the same variable")
        return self


class VaultError(Exception):
    """Vault could not provide the secrets. The message says where and why, never a value."""


class VaultSession:
    """A logged-in hvac client that reads KV v2 secrets and keeps its token fresh."""

    def __init__(self, settings: VaultSettings, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self._clock = clock
        self._http = requests.Session()
        verify: bool | str = str(settings.cafile) if settings.cafile else True
        self._client = hvac.Client(
            url=settings.address,
            namespace=settings.namespace or None,
            verify=verify,
            timeout=settings.timeout,
            session=self._http,
        )
        self._expires_at = 0.0
        self._lease = 0.0
        self.logins = 0

    def __enter__(self) -> VaultSession:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _where(self) -> str:
        return f"vault {self.settings.address} role {self.settings.role!r}"

    def login(self) -> None:
        """Kubernetes auth with the service-account token read from `jwtfile` now."""
        try:
            jwt = self.settings.jwtfile.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise VaultError(
                f"{self._where()}: cannot read the service-account token file "
                f"{self.settings.jwtfile} ({exc.strerror})"
            ) from None
        if not jwt:
            raise VaultError(f"{self._where()}: service-account token file is empty")
        response = self._call(
            "login",
            lambda: self._client.auth.kubernetes.login(
                role=self.settings.role, jwt=jwt, mount_point=self.settings.authmount
            ),
        )
        auth = response.get("auth") if isinstance(response, dict) else None
        if not isinstance(auth, dict) or not isinstance(auth.get("client_token"), str):
            raise VaultError(f"{self._where()}: login answer carries no client token")
        self._client.token = auth["client_token"]
        lease = auth.get("lease_duration")
        self._lease = float(lease) if isinstance(lease, int | float) and lease > 0 else 0.0
        self._expires_at = self._clock() + self._lease if self._lease else float("inf")
        self.logins += 1
        log.info("vault_login", role=self.settings.role, lease_seconds=int(self._lease))

    def needs_renewal(self) -> bool:
        if not self._client.token:
            return True
        return self._expires_at - self._clock() < self._lease * RENEW_SHARE

    def ensure_token(self) -> None:
        """Log in (again) when there is no token or less than a third of its lease is left."""
        if self.needs_renewal():
            self.login()

    def read(self, path: str) -> dict[str, Any]:
        """The data of the latest version of a KV v2 secret; one new login after a 403."""
        self.ensure_token()
        try:
            return self._read_once(path)
        except hvac.exceptions.Forbidden:
            log.info("vault_relogin", reason="forbidden")
            self.login()
        try:
            return self._read_once(path)
        except hvac.exceptions.Forbidden:
            raise VaultError(
                f"{self._where()}: permission denied reading {self.settings.kvmount}/{path}"
            ) from None

    def _read_once(self, path: str) -> dict[str, Any]:
        def read() -> Any:
            return self._client.secrets.kv.v2.read_secret_version(
                path=path, mount_point=self.settings.kvmount, raise_on_deleted_version=True
            )

        response = self._call(f"read {self.settings.kvmount}/{path}", read, reraise_forbidden=True)
        data = response.get("data", {}).get("data") if isinstance(response, dict) else None
        if not isinstance(data, dict):
            raise VaultError(
                f"{self._where()}: {self.settings.kvmount}/{path} holds no KV v2 data "
                "(deleted, or not a KV version 2 mount)"
            )
        return data

    def _call(self, what: str, call: Callable[[], Any], reraise_forbidden: bool = False) -> Any:
        try:
            return call()
        except hvac.exceptions.Forbidden:
            if reraise_forbidden:
                raise
            raise VaultError(f"{self._where()}: {what}: permission denied") from None
        except hvac.exceptions.InvalidPath:
            raise VaultError(f"{self._where()}: {what}: not found") from None
        except hvac.exceptions.InvalidRequest as exc:
            raise VaultError(f"{self._where()}: {what}: refused ({_reason(exc)})") from None
        except hvac.exceptions.VaultError as exc:
            name = type(exc).__name__
            raise VaultError(f"{self._where()}: {what}: {name} ({_reason(exc)})") from None
        except requests.exceptions.SSLError:
            raise VaultError(f"{self._where()}: {what}: TLS verification failed") from None
        except requests.exceptions.Timeout:
            raise VaultError(f"{self._where()}: {what}: timed out") from None
        except requests.exceptions.RequestException as exc:
            name = type(exc).__name__
            raise VaultError(f"{self._where()}: {what}: cannot connect ({name})") from None

    def environment(self) -> dict[str, str]:
        """Every configured secret as variable -> text (JSON text for objects and lists)."""
        self.ensure_token()
        out: dict[str, str] = {}
        cache: dict[str, dict[str, Any]] = {}
        for secret in self.settings.secrets:
            if secret.path not in cache:
                cache[secret.path] = self.read(secret.path)
            data = cache[secret.path]
            if secret.key not in data:
                raise VaultError(
                    f"{self._where()}: {self.settings.kvmount}/{secret.path} has no key "
                    f"{secret.key!r}"
                )
            value = data[secret.key]
            out[secret.variable] = value if isinstance(value, str) else json.dumps(value)
        log.info("vault_secrets_read", variables=len(out), paths=len(cache))
        return out


def _reason(exc: hvac.exceptions.VaultError) -> str:
    """Vault's own error strings (role names, "permission denied"); never request data."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, list) and errors:
        return "; ".join(str(e)[:200] for e in errors)
    return "no detail"


def vault_environment(settings: VaultSettings) -> dict[str, str]:
    """Log in, read every configured secret, return the variables (empty when disabled)."""
    if not settings.enabled:
        return {}
    with VaultSession(settings) as session:
        return session.environment()


S = TypeVar("S", bound=Section)


def settings_with_vault(
    model: type[S],
    component: str,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> S:
    """`load_settings`, then again with the Vault secrets over the environment when enabled.

    `model` must have a `vault: VaultSettings` field. Vault values win over the environment.
    Raises `SettingsError` (configuration) or `VaultError` (Vault refused or unreachable).
    """
    env = dict(os.environ if environ is None else environ)
    first = load_settings(model, component, config_file, env)
    vault = getattr(first, "vault", None)
    if not isinstance(vault, VaultSettings):
        raise TypeError(f"{model.__name__} has no vault: VaultSettings field")
    if not vault.enabled:
        return first
    return load_settings(model, component, config_file, {**env, **vault_environment(vault)})
