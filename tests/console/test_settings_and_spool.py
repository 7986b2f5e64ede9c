"""Console settings validation and the disk spool on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from sensor_console.settings import ConsoleSettings
from sensor_core.settings import SettingsError, load_settings
from sensor_core.spool import Spool


def test_defaults_match_the_contract() -> None:
    settings = load_settings(ConsoleSettings, "CONSOLE", environ={})
    assert settings.grpc.port == 10350
    assert settings.http.port == 8080
    assert settings.grpc.maxmessagebytes == 16 * 1024 * 1024
    assert settings.database_path == Path("/var/lib/dsensor/console.db")


def test_tokens_from_the_environment_and_database_url(tmp_path: Path) -> None:
    env = {
        "SVRN_CONSOLE_SENSORTOKENS": '[{"sensorid": "digger", "token": "s3cr3t-value"}]',
        "SVRN_CONSOLE_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    settings = load_settings(ConsoleSettings, "CONSOLE", environ=env)
    assert settings.sensortokens[0].sensorid == "digger"
    assert settings.database_path == tmp_path / "x.db"
    assert "s3cr3t-value" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"SVRN_CONSOLE_DATABASE_URL": "mysql://u:pw@h/db"}, "use sqlite:///PATH or postgresql"),
        ({"SVRN_CONSOLE_GRPC_TLS": '{"certfile": "/c.pem"}'}, "both certfile and keyfile"),
        (
            {
                "SVRN_CONSOLE_SENSORTOKENS": '[{"sensorid": "a", "token": "same-tok"},'
                ' {"sensorid": "b", "token": "same-tok"}]'
            },
            "share one token",
        ),
        ({"SVRN_CONSOLE_SENSORTOKENS": '[{"sensorid": "a", "token": ""}]'}, "must not be empty"),
    ],
)
def test_bad_settings_are_explained_without_values(env: dict[str, str], problem: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(ConsoleSettings, "CONSOLE", environ=env)
    assert problem in str(err.value)
    assert "same-tok" not in str(err.value)
    assert "pw@h" not in str(err.value)


def test_spool_orders_caps_and_cleans_up(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", max_bytes=25)
    assert spool.entries() == []
    assert spool.put(b"a" * 10) == (True, 0)
    assert spool.put(b"b" * 10) == (True, 0)
    assert spool.put(b"c" * 10) == (True, 1)
    assert [e.path.read_bytes()[:1] for e in spool.entries()] == [b"b", b"c"]
    assert spool.put(b"d" * 26) == (False, 0)
    assert spool.total_bytes() == 20

    (tmp_path / "s" / ".tmp-half-written.batch").write_bytes(b"partial")
    fresh = Spool(tmp_path / "s", max_bytes=100)
    fresh.put(b"e")
    assert not list((tmp_path / "s").glob(".tmp-*"))
    assert len(fresh.entries()) == 3


def test_spool_disabled_with_zero_cap(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "s", max_bytes=0)
    assert spool.put(b"x") == (False, 0)
    assert spool.entries() == []
