"""Running the crawler core in tests: settings from plain dicts, one pass, results by asset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from detection_tool.detector import Detector
from sensor_dar.crawl import Crawler, PassReport
from sensor_dar.manager import CrawlerPlugins
from sensor_dar.model import AssetResult
from sensor_dar.settings import CrawlerSettings
from sensor_dar.state import ScanState


def settings_for(data_dir: Path, **values: Any) -> CrawlerSettings:
    return CrawlerSettings.model_validate({"datadir": str(data_dir), **values})


def crawl_once(
    settings: CrawlerSettings, incremental: bool = False
) -> tuple[PassReport, dict[str, AssetResult]]:
    plugins = CrawlerPlugins(settings.disabledplugins)
    results: list[AssetResult] = []
    crawler = Crawler(
        plugins,
        Detector(settings.detector),
        settings.sampling.limits(),
        results.append,
        state=ScanState(settings.datadir) if incremental else None,
    )
    report = crawler.run(plugins.connections(settings))
    return report, {r.asset: r for r in results}


def types_at(result: AssetResult, path: str) -> list[str]:
    for f in result.fields:
        if f.path == path:
            return [x.type_id for x in f.findings]
    raise AssertionError(f"no field {path} in {result.asset}")
