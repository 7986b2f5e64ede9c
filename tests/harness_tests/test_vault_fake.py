"""The Vault fake through the real hvac client: kubernetes login, KV v2 read, lookup-self."""

from __future__ import annotations

from collections.abc import Iterator

import hvac
import pytest
from hvac import exceptions

from tests.harness.vault_fake import FakeVault

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2ln"


@pytest.fixture
def hvac_client(vault: FakeVault) -> Iterator[hvac.Client]:
    vault.add_kubernetes_role("dsensor", JWT, paths=("dsensor/*",))
    vault.put_secret("dsensor/stats", {"token": "s3cr3t"})
    c = hvac.Client(url=vault.url)
    try:
        yield c
    finally:
        c.adapter.close()


def test_login_then_read_secret(vault: FakeVault, hvac_client: hvac.Client) -> None:
    login = hvac_client.auth.kubernetes.login("dsensor", JWT)
    assert login["auth"]["client_token"].startswith("hvs.")
    assert hvac_client.is_authenticated()
    secret = hvac_client.secrets.kv.v2.read_secret_version(
        path="dsensor/stats", mount_point="secret", raise_on_deleted_version=True
    )
    assert secret["data"]["data"] == {"token": "s3cr3t"}
    assert secret["data"]["metadata"]["version"] == 1
    assert hvac_client.lookup_token()["data"]["meta"]["role"] == "dsensor"
    assert vault.logins == 1


def test_bad_logins_are_refused_like_vault(hvac_client: hvac.Client) -> None:
    with pytest.raises(exceptions.InvalidRequest, match="invalid role name"):
        hvac_client.auth.kubernetes.login("nobody", JWT)
    with pytest.raises(exceptions.Forbidden, match="permission denied"):
        hvac_client.auth.kubernetes.login("dsensor", "not.a.valid-jwt")


def test_bad_token_missing_path_and_policy(vault: FakeVault, hvac_client: hvac.Client) -> None:
    kv = hvac_client.secrets.kv.v2
    hvac_client.token = "hvs.unknown"
    with pytest.raises(exceptions.Forbidden):
        kv.read_secret_version(
            path="dsensor/stats", mount_point="secret", raise_on_deleted_version=True
        )
    hvac_client.auth.kubernetes.login("dsensor", JWT)
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_version(path="dsensor/none", raise_on_deleted_version=True)
    vault.put_secret("other/team", {"k": "v"})
    with pytest.raises(exceptions.Forbidden):
        kv.read_secret_version(path="other/team", raise_on_deleted_version=True)
    vault.soft_delete("dsensor/stats")
    with pytest.raises(exceptions.InvalidPath):
        kv.read_secret_version(path="dsensor/stats", raise_on_deleted_version=True)
    vault.revoke_tokens()
    assert not hvac_client.is_authenticated()
