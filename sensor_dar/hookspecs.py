"""Every hook a crawler plugin can implement, in one module.

A plugin is a module or object with functions decorated by `sensor_dar.hookimpl` and registered
under the entry-point group `dsensor.crawler` (built-in plugins in `plugins/` are registered the
same way). A source plugin implements the first five hooks for its own source kind and returns
None for connections and sources of other kinds; `asset_scanned` is for observers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import pluggy

from sensor_dar.model import AssetRef, AssetResult, Connection, Sample, SampleLimits, SourceKind

if TYPE_CHECKING:
    from sensor_dar.settings import CrawlerSettings
    from sensor_dar.source import Source

PROJECT = "dsensor_crawler"
ENTRY_POINT_GROUP = "dsensor.crawler"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_sources(register: Callable[[SourceKind], None]) -> None:
    """Announce the source kinds this plugin crawls.

    register: call it once per `SourceKind(name, summary)`; names are unique across plugins.
    Every implementation is called.
    """


@hookspec
def configure_connections(settings: CrawlerSettings) -> Sequence[Connection]:
    """Turn the crawler's settings into the connections of this plugin's source kinds.

    settings: the crawler's frozen settings; built-in kinds read `settings.crawl.s3`, `.kafka`,
    `.database.postgres`, third-party kinds `settings.crawl.plugins[<kind>]` (validate those
    entries and raise `ValueError` naming the entry and field, never a value).
    Every implementation is called; the lists are concatenated.
    """
    return []


@hookspec(firstresult=True)
def open_source(connection: Connection) -> Source | None:
    """Connect to one configured data store.

    connection: a connection this plugin returned from `configure_connections`.
    Return a `Source` for your own kinds and None for others (the first non-None result wins).
    Raise `SourceError(reason)` when the store cannot be reached or refuses the credentials.
    """


@hookspec(firstresult=True)
def discover_assets(source: Source) -> Iterable[AssetRef] | None:
    """List the assets (tables, key groups, topics) of an opened source.

    source: what this plugin's `open_source` returned; return None for other plugins' sources
    (the first non-None result wins). Skip system schemas and internal topics. Raise
    `SourceError(reason)` when listing fails as a whole.
    """


@hookspec(firstresult=True)
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    """Read a bounded sample of one asset, read-only, as JSON-like records.

    source: this plugin's opened source; asset: one of its discovered assets; limits: record,
    byte and time bounds to honour. Return None for other plugins' sources (the first non-None
    result wins). Raise `AssetError(reason)` when the asset cannot be read at all; problems with
    parts of it (one object) go into `Sample.errors`.
    """


@hookspec
def asset_scanned(result: AssetResult) -> None:
    """Observe one scanned asset (structure and types only, never values).

    result: the asset's fields, data types, counts and error codes. Every implementation is
    called, after the crawler has handed the result to its own outputs.
    """


HOOK_NAMES: tuple[str, ...] = (
    "register_sources",
    "configure_connections",
    "open_source",
    "discover_assets",
    "sample_records",
    "asset_scanned",
)
