"""Native Vault (sensor_core.vault) through the real hvac client against the Vault fake."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
import structlog
from pydantic import Field, SecretStr
from structlog.testing import capture_logs

from sensor_core.sections import StatsClientSettings
from sensor_core.settings import Section, SettingsError, load_settings
from sensor_core.vault import (
    VaultError,
    VaultSecret,
    VaultSession,
    VaultSettings,
    settings_with_vault,
    vault_environment,
)
from tests.harness.vault_fake import FakeVault

TOKEN = "canary-sensor-token-7f3a9c"
PG_PASSWORD = "canary-pg-pass-51de0b"
JWT = "canary-serviceaccount-jwt-e4b2"
CONNECTIONS = [{"name": "orders", "connectionString": f"postgres://u:{PG_PASSWORD}@db:5432/orders"}]


class Component(Section):
    """Shaped like a component's model: a stats client, connection lists, the vault section."""

    statsclient: StatsClientSettings = StatsClientSettings()
    connections: list[dict[str, str]] = Field(default_factory=list)
    vault: VaultSettings = VaultSettings()


@pytest.fixture
def jwt_file(tmp_path: Path) -> Path:
    path = tmp_path / "token"
    path.write_text(JWT + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seeded(vault: FakeVault) -> FakeVault:
    vault.add_kubernetes_role("dsensor", JWT, paths=("dsensor/*",))
    vault.put_secret("dsensor/token", {"SVRN_DIGGER_STATSCLIENT_TOKEN": TOKEN})
    vault.put_secret("dsensor/crawler", {"postgres": CONNECTIONS, "note": "plain"})
    return vault


def settings(vault: FakeVault, jwt_file: Path, **over: Any) -> VaultSettings:
    base: dict[str, Any] = {
        "enabled": True,
        "address": vault.url,
        "role": "dsensor",
        "jwtfile": jwt_file,
        "secrets": [
            {"path": "dsensor/token", "key": "SVRN_DIGGER_STATSCLIENT_TOKEN"},
            {"path": "dsensor/crawler", "key": "postgres", "env": "SVRN_CRAWLER_CRAWL_PG"},
        ],
    }
    base.update(over)
    return VaultSettings.model_validate(base)


def test_environment_holds_tokens_and_connection_json(seeded: FakeVault, jwt_file: Path) -> None:
    env = vault_environment(settings(seeded, jwt_file))
    assert env["SVRN_DIGGER_STATSCLIENT_TOKEN"] == TOKEN
    assert json.loads(env["SVRN_CRAWLER_CRAWL_PG"]) == CONNECTIONS
    assert seeded.logins == 1
    # each path is read once even when several keys come from it
    assert seeded.requests.count("GET /v1/secret/data/dsensor/token") == 1


def test_settings_with_vault_feeds_the_loader(
    seeded: FakeVault, jwt_file: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "vault:\n"
        "  enabled: true\n"
        f"  address: {seeded.url}\n"
        "  role: dsensor\n"
        f"  jwtfile: {jwt_file}\n"
        "  secrets:\n"
        "    - {path: dsensor/token, key: SVRN_DIGGER_STATSCLIENT_TOKEN}\n"
        "    - {path: dsensor/crawler, key: postgres, env: SVRN_DIGGER_CONNECTIONS}\n",
        encoding="utf-8",
    )
    # Vault wins over a value already in the environment
    loaded = settings_with_vault(
        Component, "DIGGER", config, {"SVRN_DIGGER_STATSCLIENT_TOKEN": "stale"}
    )
    assert loaded.statsclient.token.get_secret_value() == TOKEN
    assert loaded.connections == CONNECTIONS


def test_disabled_vault_is_never_contacted(vault: FakeVault) -> None:
    loaded = settings_with_vault(Component, "DIGGER", None, {"SVRN_DIGGER_STATSCLIENT_TOKEN": "t"})
    assert loaded.statsclient.token == SecretStr("t")
    assert vault.requests == []
    assert vault_environment(VaultSettings()) == {}


def test_model_without_vault_section_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="no vault"):
        settings_with_vault(StatsClientSettings, "DIGGER", None, {})


def test_token_is_renewed_by_a_new_login_before_the_lease_ends(
    seeded: FakeVault, jwt_file: Path
) -> None:
    now = [1000.0]
    with VaultSession(settings(seeded, jwt_file), clock=lambda: now[0]) as session:
        session.read("dsensor/token")
        assert session.logins == 1
        now[0] += 3600 * 0.5  # half the lease used: still fresh
        session.read("dsensor/token")
        assert session.logins == 1
        now[0] += 3600 * 0.2  # less than a third left: log in again before reading
        session.read("dsensor/token")
        assert session.logins == 2
    assert seeded.logins == 2


def test_revoked_token_gets_one_new_login(seeded: FakeVault, jwt_file: Path) -> None:
    with VaultSession(settings(seeded, jwt_file)) as session:
        session.read("dsensor/token")
        seeded.revoke_tokens()
        assert session.read("dsensor/token")["SVRN_DIGGER_STATSCLIENT_TOKEN"] == TOKEN
        assert session.logins == 2


def _error(vault: FakeVault, jwt_file: Path, **over: Any) -> str:
    with pytest.raises(VaultError) as info:
        vault_environment(settings(vault, jwt_file, **over))
    return str(info.value)


def test_wrong_service_account_token(seeded: FakeVault, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.write_text("not-the-registered-jwt", encoding="utf-8")
    message = _error(seeded, other)
    assert "login: permission denied" in message
    assert "not-the-registered-jwt" not in message


def test_unknown_role_is_named(seeded: FakeVault, jwt_file: Path) -> None:
    assert "invalid role name" in _error(seeded, jwt_file, role="nobody")


def test_missing_token_file(seeded: FakeVault, tmp_path: Path) -> None:
    message = _error(seeded, tmp_path / "absent")
    assert "cannot read the service-account token file" in message
    empty = tmp_path / "empty"
    empty.write_text("", encoding="utf-8")
    assert "is empty" in _error(seeded, empty)


def test_missing_path_key_and_policy(seeded: FakeVault, jwt_file: Path) -> None:
    gone = [{"path": "dsensor/absent", "key": "X"}]
    assert "secret/dsensor/absent: not found" in _error(seeded, jwt_file, secrets=gone)
    nokey = [{"path": "dsensor/token", "key": "OTHER"}]
    message = _error(seeded, jwt_file, secrets=nokey)
    assert "has no key 'OTHER'" in message
    assert TOKEN not in message
    denied = [{"path": "elsewhere/token", "key": "X"}]
    assert "permission denied reading secret/elsewhere/token" in _error(
        seeded, jwt_file, secrets=denied
    )


def test_deleted_secret(seeded: FakeVault, jwt_file: Path) -> None:
    seeded.soft_delete("dsensor/token")
    message = _error(seeded, jwt_file, secrets=[{"path": "dsensor/token", "key": "K"}])
    assert "secret/dsensor/token" in message


def test_unreachable_vault(jwt_file: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    over = {"address": f"http://127.0.0.1:{port}", "role": "dsensor", "timeout": "2s"}
    config = VaultSettings.model_validate({"enabled": True, "jwtfile": jwt_file, **over})
    with pytest.raises(VaultError, match="cannot connect"):
        vault_environment(config)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({"enabled": True, "role": "r"}, "address must be an http"),
        ({"enabled": True, "address": "https://v:8200"}, "role must be set"),
        ({"secrets": [{"path": "a", "key": "bad-name"}]}, "environment variable name"),
        ({"secrets": [{"path": "../x", "key": "K"}]}, "without '..'"),
        ({"secrets": [{"path": "a", "key": "K"}, {"path": "b", "key": "K"}]}, "same variable"),
    ],
)
def test_bad_vault_settings_are_reported(section: dict[str, Any], expected: str) -> None:
    with pytest.raises(SettingsError, match=expected):
        load_settings(Component, "DIGGER", None, {"SVRN_DIGGER_VAULT": json.dumps(section)})


def test_secret_key_defaults_to_variable_name() -> None:
    assert VaultSecret(path="p", key="SVRN_X").variable == "SVRN_X"
    assert VaultSecret(path="/p/", key="k", env="SVRN_Y").path == "p"


def test_canary_values_never_reach_logs_or_errors(seeded: FakeVault, jwt_file: Path) -> None:
    outputs: list[str] = []
    with capture_logs() as logs:
        vault_environment(settings(seeded, jwt_file))
        seeded.revoke_tokens()
        with VaultSession(settings(seeded, jwt_file)) as session:
            session.read("dsensor/crawler")
        for secrets in ([{"path": "dsensor/token", "key": "NOPE"}], [{"path": "x/y", "key": "K"}]):
            with pytest.raises(VaultError) as info:
                vault_environment(settings(seeded, jwt_file, secrets=secrets))
            outputs.append(str(info.value))
    outputs.extend(json.dumps(entry, default=str) for entry in logs)
    assert any("vault_login" in line for line in outputs)
    for canary in (TOKEN, PG_PASSWORD, JWT, "hvs."):
        assert all(canary not in line for line in outputs), canary
    structlog.reset_defaults()
