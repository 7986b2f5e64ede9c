"""The example external plugin (examples/crawler_plugin_localdir), loaded like any third party:
through an entry point in the group `dsensor.crawler`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.crawler_plugin_localdir import dsensor_localdir
from sensor_dar.manager import CrawlerPlugins
from tests.crawler.helpers import crawl_once, settings_for, types_at
from tests.crawler.seed import People, csv_bytes, gz, ndjson

EXAMPLE_MODULE = "examples.crawler_plugin_localdir.dsensor_localdir"


@pytest.fixture
def installed_example(tmp_path: Path) -> Iterator[None]:
    """A distribution's metadata on sys.path, as `pip install` of the example leaves it."""
    site = tmp_path / "site"
    dist = site / "dsensor_crawler_localdir-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: dsensor-crawler-localdir\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text(f"[dsensor.crawler]\nlocaldir = {EXAMPLE_MODULE}\n")
    sys.path.insert(0, str(site))
    try:
        yield
    finally:
        sys.path.remove(str(site))


@pytest.fixture
def exports(tmp_path: Path, people: People) -> Path:
    root = tmp_path / "exports"
    (root / "daily").mkdir(parents=True)
    rows = people.people(12, start=300)
    for day in range(1, 6):
        (root / "daily" / f"customers-2024-05-0{day}.ndjson.gz").write_bytes(gz(ndjson(rows)))
    (root / "crm.csv").write_bytes(csv_bytes(rows))
    (root / "broken.json").write_bytes(b'{"email": ')
    return root


def _config(path: Path) -> dict[str, object]:
    return {"crawl": {"plugins": {"localdir": [{"name": "exports", "path": str(path)}]}}}


def test_loaded_through_its_entry_point(installed_example: None) -> None:
    plugins = CrawlerPlugins()
    assert "localdir" in plugins.plugin_names()
    assert "localdir" in plugins.source_kinds
    blocked = CrawlerPlugins(blocked=["localdir"])
    assert "localdir" not in blocked.source_kinds


def test_directory_scanned_like_a_bucket(
    installed_example: None, exports: Path, tmp_path: Path
) -> None:
    report, results = crawl_once(settings_for(tmp_path, **_config(exports)))
    assert report.failures == []
    daily = results["daily/customers-{date}.ndjson.gz"]
    assert daily.source == "localdir"
    assert daily.objects == 5
    assert "email" in types_at(daily, "$.email")
    assert "credit_card_number" in types_at(results["crm.csv"], "$.card_number")
    assert results["broken.json"].errors == {"invalid_json": 1}


def test_bad_entry_named_without_its_value(installed_example: None, tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, crawl={"plugins": {"localdir": [{"path": "/x"}, {"name": "secret-name-42"}]}}
    )
    with pytest.raises(ValueError, match="localdir entry 1: field 'path'") as info:
        CrawlerPlugins().connections(settings)
    assert "secret-name-42" not in str(info.value)


def test_missing_directory_is_a_source_failure(installed_example: None, tmp_path: Path) -> None:
    report, _ = crawl_once(settings_for(tmp_path, **_config(tmp_path / "nope")))
    assert [(f.source, f.reason) for f in report.failures] == [("localdir", "not_found")]


def test_unknown_plugin_kind_in_settings(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, crawl={"plugins": {"nosuchkind": [{}]}})
    with pytest.raises(ValueError, match="nosuchkind"):
        CrawlerPlugins().connections(settings)


def test_module_is_the_one_the_entry_point_names() -> None:
    assert dsensor_localdir.__name__ == EXAMPLE_MODULE
    assert json.dumps(dsensor_localdir.KIND) == '"localdir"'
