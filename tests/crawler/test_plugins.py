"""The plugin manager facade and the hook specs: loading, block-list, check_pending, meta tests."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest

from sensor_dar import hookimpl, hookspecs
from sensor_dar.manager import CrawlerPlugins, PluginError
from sensor_dar.model import (
    AssetRef,
    AssetResult,
    Connection,
    Sample,
    SampleLimits,
    SourceKind,
)
from sensor_dar.settings import CrawlerSettings
from sensor_dar.source import Source
from tests.crawler.helpers import crawl_once, settings_for

BUILT_IN = {"postgres", "s3", "kafka"}
TESTS_DIR = Path(__file__).parent


class MemorySource(Source):
    pass


class MemoryPlugin:
    """A complete source plugin in memory: one asset of records, and an observer."""

    def __init__(self, records: list[object]) -> None:
        self.records = records
        self.observed: list[AssetResult] = []

    @hookimpl
    def register_sources(self, register: Callable[[SourceKind], None]) -> None:
        register(SourceKind("memory", "records held in memory"))

    @hookimpl
    def configure_connections(self, settings: CrawlerSettings) -> Sequence[Connection]:
        return [Connection("memory", "mem", None)]

    @hookimpl
    def open_source(self, connection: Connection) -> Source | None:
        return MemorySource(connection) if connection.kind == "memory" else None

    @hookimpl
    def discover_assets(self, source: Source) -> Iterable[AssetRef] | None:
        if not isinstance(source, MemorySource):
            return None
        return [AssetRef("people", fingerprint="v1", records_estimate=len(self.records))]

    @hookimpl
    def sample_records(
        self, source: Source, asset: AssetRef, limits: SampleLimits
    ) -> Sample | None:
        if not isinstance(source, MemorySource):
            return None
        return Sample(records=self.records[: limits.max_records])

    @hookimpl
    def asset_scanned(self, result: AssetResult) -> None:
        self.observed.append(result)


def test_built_in_plugins_come_from_entry_points() -> None:
    plugins = CrawlerPlugins()
    assert set(plugins.plugin_names()) >= BUILT_IN
    assert set(plugins.source_kinds) >= BUILT_IN


def test_block_list_keeps_a_plugin_out() -> None:
    plugins = CrawlerPlugins(blocked=["kafka"])
    assert "kafka" not in plugins.plugin_names()
    assert "kafka" not in plugins.source_kinds
    assert {"postgres", "s3"} <= set(plugins.source_kinds)


def test_block_list_from_the_environment(tmp_path: Path) -> None:
    from sensor_core.settings import load_settings

    settings = load_settings(
        CrawlerSettings, "CRAWLER", environ={"SVRN_CRAWLER_DISABLEDPLUGINS": '["s3", "kafka"]'}
    )
    assert set(CrawlerPlugins(settings.disabledplugins).source_kinds) >= {"postgres"}
    assert "s3" not in CrawlerPlugins(settings.disabledplugins).source_kinds


def test_misspelled_hook_fails_loudly() -> None:
    class Typo:
        @hookimpl
        def sample_record(self, source: Source) -> None:  # not a hook: sample_records
            pass

    with pytest.raises(PluginError, match="'typo' implements a hook that does not exist"):
        CrawlerPlugins(load_entry_points=False, extra=[("typo", Typo())])


def test_duplicate_source_kind_refused() -> None:
    first, second = MemoryPlugin([]), MemoryPlugin([])
    with pytest.raises(PluginError, match="registered twice"):
        CrawlerPlugins(load_entry_points=False, extra=[("a", first), ("b", second)])


def test_a_connection_nobody_opens_is_a_source_failure(tmp_path: Path) -> None:
    plugins = CrawlerPlugins(load_entry_points=False)
    with pytest.raises(PluginError, match="no plugin opens"):
        plugins.open_source(Connection("ghost", "x", None))


def test_every_hook_runs_through_a_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = MemoryPlugin([{"email": f"user{i}@example.org"} for i in range(10)])
    real_init = CrawlerPlugins.__init__

    def with_memory(self: CrawlerPlugins, blocked: Iterable[str] = (), **_: object) -> None:
        real_init(self, blocked, load_entry_points=False, extra=[("memory", plugin)])

    monkeypatch.setattr(CrawlerPlugins, "__init__", with_memory)
    report, results = crawl_once(settings_for(tmp_path), incremental=True)
    assert results["people"].sampled == 10
    assert [r.asset for r in plugin.observed] == ["people"]
    # the fingerprint did not change: the second incremental pass skips the asset
    report, results = crawl_once(settings_for(tmp_path), incremental=True)
    assert results == {}
    assert report.counters["assets_unchanged"] == 1


def test_plugin_exception_becomes_a_reason_code(tmp_path: Path) -> None:
    plugin = MemoryPlugin([])

    def explode(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample:
        raise RuntimeError("value jane@example.org leaked into an exception")

    plugin.sample_records = hookimpl(explode)  # type: ignore[method-assign]
    plugins = CrawlerPlugins(load_entry_points=False, extra=[("memory", plugin)])
    from detection_tool.detector import Detector
    from sensor_dar.crawl import Crawler

    results: list[AssetResult] = []
    crawler = Crawler(plugins, Detector(), SampleLimits(), results.append)
    crawler.run(plugins.connections(settings_for(tmp_path)))
    assert results[0].errors == {"plugin_error": 1}


# -- meta: every hook is documented and tested ----------------------------------------------


def _hook_functions() -> dict[str, Callable[..., object]]:
    return {
        name: fn
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(fn, hookspecs.PROJECT + "_spec")
    }


def test_hook_list_is_complete() -> None:
    assert set(_hook_functions()) == set(hookspecs.HOOK_NAMES)


@pytest.mark.parametrize("name", hookspecs.HOOK_NAMES)
def test_hook_is_documented(name: str) -> None:
    fn = _hook_functions()[name]
    doc = " ".join((inspect.getdoc(fn) or "").split())
    assert len(doc) > 40, f"hook {name} needs a docstring"
    for param in inspect.signature(fn).parameters:
        assert re.search(rf"\b{param}\b", doc), f"hook {name}: parameter {param} undocumented"
    assert ("first non-None result wins" in doc) or ("implementation is called" in doc), (
        f"hook {name}: say whether the first result wins or every implementation is called"
    )
    readme = (Path(hookspecs.__file__).parent / "PLUGINS.md").read_text()
    assert f"`{name}(" in readme, f"hook {name} is missing from sensor_dar/PLUGINS.md"


@pytest.mark.parametrize("name", hookspecs.HOOK_NAMES)
def test_hook_is_tested(name: str) -> None:
    """Some test module implements the hook (`def <name>(`) or calls it through the manager."""
    sources = [p.read_text() for p in TESTS_DIR.glob("test_*.py") if p.name != Path(__file__).name]
    sources.append(Path(__file__).read_text().split("# -- meta")[0])
    assert any(f"def {name}(" in text or f".{name}(" in text for text in sources), (
        f"hook {name} has no test"
    )
