"""Settings: YAML file + SVRN_<COMPONENT>_<KEY PATH> overrides, clear errors, no secret echoed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field, SecretStr

from sensor_core.durations import Duration, format_duration, parse_duration
from sensor_core.sections import StatsClientSettings
from sensor_core.settings import Section, SettingsError, env_names, load_settings

SECRET = "s3cr3t-Value-that-must-not-leak"


class Conn(Section):
    name: str
    connectionString: SecretStr  # noqa: N815 - the documented key keeps its case
    port: int = 5432


class Database(Section):
    postgres: list[Conn] = Field(default_factory=list)


class Crawl(Section):
    s3: list[dict[str, object]] = Field(default_factory=list)
    database: Database = Database()
    checkinterval: Duration = 86400.0


class Example(Section):
    statsclient: StatsClientSettings = StatsClientSettings()
    brokers: list[str] = Field(default_factory=lambda: ["localhost:9092"])
    cafile: str | None = None
    crawl: Crawl = Crawl()
    workers: int = 2
    debug: bool = False


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings(Example, "CRAWLER", None, {})
    assert settings.workers == 2
    assert settings.crawl.checkinterval == 86400.0
    assert settings.statsclient.address == "localhost:10350"


def test_documented_variable_names_override_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("workers: 4\nstatsclient:\n  token: from-file\n  address: console:10350\n")
    env = {
        "SVRN_CRAWLER_STATSCLIENT_TOKEN": "from-env",
        "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES": (
            '[{"name": "shop", "connectionString": "postgres://u:p@db:5432/shop"}]'
        ),
        "SVRN_CRAWLER_CRAWL_CHECKINTERVAL": "1h30m",
        "SVRN_CRAWLER_DEBUG": "true",
    }
    settings = load_settings(Example, "CRAWLER", config, env)
    assert settings.workers == 4
    assert settings.statsclient.address == "console:10350"
    assert settings.statsclient.token.get_secret_value() == "from-env"
    assert settings.crawl.database.postgres[0].name == "shop"
    assert settings.crawl.checkinterval == 5400.0
    assert settings.debug is True


def test_settings_are_frozen() -> None:
    settings = load_settings(Example, "CRAWLER", None, {})
    with pytest.raises(ValueError, match="frozen"):
        settings.workers = 3


def test_every_key_path_has_its_variable() -> None:
    names = {var for _, var, _ in env_names(Example, "CRAWLER")}
    assert "SVRN_CRAWLER_CRAWL_S3" in names
    assert "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES" in names
    assert "SVRN_CRAWLER_STATSCLIENT_TOKEN" in names


def test_malformed_json_names_the_variable_and_not_the_value() -> None:
    env = {"SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES": '[{"name": "x", "connectionString": "' + SECRET}
    with pytest.raises(SettingsError) as info:
        load_settings(Example, "CRAWLER", None, env)
    message = str(info.value)
    assert "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES: invalid JSON" in message
    assert SECRET not in message


def test_wrong_entry_names_variable_entry_and_field_without_the_password() -> None:
    env = {
        "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES": (
            '[{"name": "ok", "connectionString": "x"},'
            ' {"name": "bad", "connectionString": "' + SECRET + '", "port": "' + SECRET + '"}]'
        )
    }
    with pytest.raises(SettingsError) as info:
        load_settings(Example, "CRAWLER", None, env)
    message = str(info.value)
    assert "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES: entry 1 field 'port'" in message
    assert SECRET not in message


def test_unknown_key_in_file_is_named(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("statsclient:\n  tokn: " + SECRET + "\n")
    with pytest.raises(SettingsError) as info:
        load_settings(Example, "CRAWLER", config, {})
    assert "key statsclient.tokn" in str(info.value)
    assert SECRET not in str(info.value)


def test_unknown_variable_of_the_component_is_an_error() -> None:
    with pytest.raises(SettingsError, match="SVRN_CRAWLER_WORKRES: no such setting"):
        load_settings(Example, "CRAWLER", None, {"SVRN_CRAWLER_WORKRES": "3"})


def test_other_components_variables_are_ignored() -> None:
    settings = load_settings(Example, "CRAWLER", None, {"SVRN_DIGGER_STATSCLIENT_TOKEN": "t"})
    assert settings.statsclient.token.get_secret_value() == ""


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("workers: [1\n", "invalid YAML at line 2"),
        ("- a\n- b\n", "top level must be a mapping"),
        ("workers: many\n", "key workers"),
    ],
)
def test_broken_config_files(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(content)
    with pytest.raises(SettingsError, match=expected):
        load_settings(Example, "CRAWLER", config, {})


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(Example, "CRAWLER", tmp_path / "absent.yaml", {})
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"workers: \xff\xfe\n")
    with pytest.raises(SettingsError, match="not UTF-8"):
        load_settings(Example, "CRAWLER", bad, {})


def test_secret_is_hidden_in_repr() -> None:
    settings = load_settings(Example, "CRAWLER", None, {"SVRN_CRAWLER_STATSCLIENT_TOKEN": SECRET})
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("12h", 43200.0),
        ("30s", 30.0),
        ("1m30s", 90.0),
        ("250ms", 0.25),
        ("1.5h", 5400.0),
        ("0", 0.0),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "12", "h", "1x", "1h 30m", "-5s", "1h30"])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_durations_round_trip() -> None:
    for seconds in (30.0, 90.0, 43200.0, 5400.0, 0.25):
        assert parse_duration(format_duration(seconds)) == pytest.approx(seconds)


def test_list_of_strings_takes_json_and_optional_text_takes_plain_text() -> None:
    env = {"SVRN_CRAWLER_BROKERS": '["k1:9092", "k2:9092"]', "SVRN_CRAWLER_CAFILE": "/etc/ca.pem"}
    settings = load_settings(Example, "CRAWLER", None, env)
    assert settings.brokers == ["k1:9092", "k2:9092"]
    assert settings.cafile == "/etc/ca.pem"
    with pytest.raises(SettingsError, match="SVRN_CRAWLER_BROKERS: invalid JSON"):
        load_settings(Example, "CRAWLER", None, {"SVRN_CRAWLER_BROKERS": "k1:9092"})
