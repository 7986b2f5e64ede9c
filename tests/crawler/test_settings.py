"""The documented variables: formats of REFERENCE.md, errors that name variable, entry and field
and never echo a password."""

from __future__ import annotations

import json

import pytest

from sensor_core.settings import SettingsError, load_settings
from sensor_dar.settings import CrawlerSettings

PASSWORD = "s3cr3t-Pa55-q9z"


def _load(env: dict[str, str]) -> CrawlerSettings:
    return load_settings(CrawlerSettings, "CRAWLER", environ=env)


def test_chart_rendered_objects_accepted() -> None:
    env = {
        "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES": json.dumps(
            [{"name": "main", "defaultDBName": "",
              "connectionString": f"postgres://u:{PASSWORD}@db:5432/shop?sslmode=require"}]
        ),
        "SVRN_CRAWLER_CRAWL_S3": json.dumps(
            [{"url": "", "type": "aws", "accesskeyid": "AKIA", "secretaccesskey": PASSWORD,
              "rolearn": "arn:aws:iam::1:role/r", "rolesessionname": "s", "duration": "1h",
              "checkinterval": "12h", "retrymaxattempts": 5, "retrymaxbackoffdelay": "20s"}]
        ),
        "SVRN_CRAWLER_CRAWL_KAFKA": json.dumps(
            [{"instancename": "k", "brokers": ["kafka:9092"], "tls": True,
              "tlsconfig": {"insecureskipverify": False, "cafile": "", "certfile": "",
                            "keyfile": ""},
              "sasl": True, "user": "crawler", "password": PASSWORD}]
        ),
        "SVRN_CRAWLER_CHECKINTERVAL": "6h",
        "SVRN_CRAWLER_STATSCLIENT_TOKEN": "tok",
    }  # fmt: skip
    settings = _load(env)
    pg = settings.crawl.database.postgres[0]
    assert pg.instance_name() == "main"
    assert pg.checkinterval == 24 * 3600
    s3 = settings.crawl.s3[0]
    assert (s3.checkinterval, s3.retrymaxattempts, s3.retrymaxbackoffdelay) == (43200, 5, 20)
    assert s3.secretaccesskey.get_secret_value() == PASSWORD
    assert settings.crawl.kafka[0].sasl
    assert settings.checkinterval == 6 * 3600
    assert settings.statsclient.token.get_secret_value() == "tok"
    assert PASSWORD not in repr(settings)


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES",
         [{"connectionString": f"postgres://u:{PASSWORD}@db/x"}, {"connectionString": f"mysql://u:{PASSWORD}@h/x"}],
         "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES: entry 1 field 'connectionString'"),
        ("SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES", [{"connectionstring": f"postgres://u:{PASSWORD}@h/x"}],
         "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES: entry 0 field 'connectionString'"),
        ("SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES", [{"connectionString": f"postgres://u:{PASSWORD}@h:port/x"}],
         "entry 0 field 'connectionString': Value error, not a valid postgres:// URL"),
        ("SVRN_CRAWLER_CRAWL_S3", [{"url": "ftp://x", "secretaccesskey": PASSWORD}],
         "SVRN_CRAWLER_CRAWL_S3: entry 0 field 'url'"),
        ("SVRN_CRAWLER_CRAWL_S3", [{"retrymaxbackoffdelay": "soon", "secretaccesskey": PASSWORD}],
         "SVRN_CRAWLER_CRAWL_S3: entry 0 field 'retrymaxbackoffdelay'"),
        ("SVRN_CRAWLER_CRAWL_KAFKA", [{"brokers": ["kafka"], "password": PASSWORD}],
         "SVRN_CRAWLER_CRAWL_KAFKA: entry 0 field 'brokers'"),
        ("SVRN_CRAWLER_CRAWL_KAFKA", [{"brokers": ["k:1"], "sasl": True, "password": PASSWORD}],
         "SVRN_CRAWLER_CRAWL_KAFKA: entry 0: Value error, sasl is true but user is empty"),
    ],
)  # fmt: skip
def test_wrong_entry_named_password_never_echoed(var: str, value: object, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        _load({var: json.dumps(value)})
    message = str(info.value)
    assert expected in message
    assert PASSWORD not in message


def test_invalid_json_named() -> None:
    with pytest.raises(SettingsError, match="SVRN_CRAWLER_CRAWL_S3: invalid JSON"):
        _load({"SVRN_CRAWLER_CRAWL_S3": "[{"})


def test_unknown_variable_named() -> None:
    with pytest.raises(SettingsError, match="SVRN_CRAWLER_CRAWL_MYSQL: no such setting"):
        _load({"SVRN_CRAWLER_CRAWL_MYSQL": "[]"})
