"""The example plugin on its own: a directory of exports scanned through dsensor's crawler."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from detection_tool.detector import Detector
from sensor_dar.crawl import Crawler
from sensor_dar.manager import CrawlerPlugins
from sensor_dar.model import AssetResult
from sensor_dar.settings import CrawlerSettings


def test_directory_scanned(tmp_path: Path) -> None:
    plugin = importlib.import_module("dsensor_localdir")
    (tmp_path / "exports").mkdir()
    rows = [{"contact": f"user{i}@example.org"} for i in range(5)]
    for day in ("2024-05-01", "2024-05-02"):
        text = "\n".join(json.dumps(r) for r in rows)
        (tmp_path / "exports" / f"{day}.ndjson").write_text(text + "\n")
    settings = CrawlerSettings.model_validate(
        {"crawl": {"plugins": {"localdir": [{"name": "dir", "path": str(tmp_path)}]}}}
    )
    plugins = CrawlerPlugins(load_entry_points=False, extra=[("localdir", plugin)])
    results: list[AssetResult] = []
    crawler = Crawler(plugins, Detector(), settings.sampling.limits(), results.append)
    crawler.run(plugins.connections(settings))
    assert [r.asset for r in results] == ["exports/{date}.ndjson"]
    assert results[0].sampled == 10
