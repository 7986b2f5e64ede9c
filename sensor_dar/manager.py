"""A typed facade over pluggy's plugin manager: call sites never touch the untyped `pm.hook`.

Plugins are loaded from the entry-point group `dsensor.crawler` (built-in and third-party alike),
minus the names on the block-list (`disabledplugins`, `SVRN_CRAWLER_DISABLEDPLUGINS`);
`check_pending()` then fails loudly on a misspelled hook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

from sensor_dar import hookspecs
from sensor_dar.model import AssetRef, AssetResult, Connection, Sample, SampleLimits, SourceKind
from sensor_dar.source import Source

if TYPE_CHECKING:
    from sensor_dar.settings import CrawlerSettings


class PluginError(Exception):
    """Plugins cannot be loaded or disagree (duplicate source kind, unanswered connection)."""


class CrawlerPlugins:
    """The loaded crawler plugins and typed calls of every hook."""

    def __init__(
        self,
        blocked: Iterable[str] = (),
        *,
        load_entry_points: bool = True,
        extra: Sequence[tuple[str, object]] = (),
    ) -> None:
        self._pm = pluggy.PluginManager(hookspecs.PROJECT)
        self._pm.add_hookspecs(hookspecs)
        for name in blocked:
            self._pm.set_blocked(name)
        for name, plugin in extra:
            if not self._pm.is_blocked(name):
                self._pm.register(plugin, name=name)
        if load_entry_points:
            try:
                self._pm.load_setuptools_entrypoints(hookspecs.ENTRY_POINT_GROUP)
            except ImportError as exc:
                raise PluginError(f"a crawler plugin failed to import: {exc.name}") from None
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            bad = self._pm.get_name(exc.plugin) or "?"
            raise PluginError(f"plugin {bad!r} implements a hook that does not exist") from None
        self._kinds = self._collect_kinds()

    @property
    def _hook(self) -> Any:
        return self._pm.hook

    def plugin_names(self) -> list[str]:
        return sorted(n for n, plugin in self._pm.list_name_plugin() if n and plugin is not None)

    def _collect_kinds(self) -> dict[str, SourceKind]:
        kinds: dict[str, SourceKind] = {}

        def register(kind: SourceKind) -> None:
            if kind.name in kinds:
                raise PluginError(f"source kind {kind.name!r} is registered twice")
            kinds[kind.name] = kind

        self._hook.register_sources(register=register)
        return kinds

    @property
    def source_kinds(self) -> dict[str, SourceKind]:
        return dict(self._kinds)

    def connections(self, settings: CrawlerSettings) -> list[Connection]:
        """Every configured connection; ValueError names the bad entry and field."""
        out: list[Connection] = []
        results: list[Sequence[Connection]] = self._hook.configure_connections(settings=settings)
        for result in reversed(results):  # pluggy calls the last registered first
            out.extend(result)
        unknown = sorted(set(settings.crawl.plugins) - set(self._kinds))
        if unknown:
            raise ValueError(
                "crawl.plugins: no loaded plugin crawls source kind(s) " + ", ".join(unknown)
            )
        return out

    def open_source(self, connection: Connection) -> Source:
        source: Source | None = self._hook.open_source(connection=connection)
        if source is None:
            raise PluginError(f"no plugin opens connections of kind {connection.kind!r}")
        return source

    def discover_assets(self, source: Source) -> Iterable[AssetRef]:
        assets: Iterable[AssetRef] | None = self._hook.discover_assets(source=source)
        if assets is None:
            raise PluginError(f"no plugin discovers assets of kind {source.kind!r}")
        return assets

    def sample_records(self, source: Source, asset: AssetRef, limits: SampleLimits) -> Sample:
        sample: Sample | None = self._hook.sample_records(source=source, asset=asset, limits=limits)
        if sample is None:
            raise PluginError(f"no plugin samples assets of kind {source.kind!r}")
        return sample

    def asset_scanned(self, result: AssetResult) -> None:
        self._hook.asset_scanned(result=result)
