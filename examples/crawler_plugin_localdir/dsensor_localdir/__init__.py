"""Example crawler plugin: files under local directories, grouped and sampled like S3 keys.

Connections come from `crawl.plugins.localdir` (`SVRN_CRAWLER_CRAWL_PLUGINS`), each
`{"name": "...", "path": "/dir"}`. Symbolic links are not followed; only regular files are read,
each up to `sampling.maxobjectbytes`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from sensor_core.settings import Section
from sensor_dar import hookimpl
from sensor_dar.formats import parse_prefix
from sensor_dar.keygroups import KeyGroup, KeyGrouper, objects_to_sample
from sensor_dar.model import (
    AssetError,
    AssetRef,
    Connection,
    Sample,
    SampleLimits,
    SourceError,
    SourceKind,
)
from sensor_dar.settings import CrawlerSettings, SamplingSettings
from sensor_dar.source import Source

KIND = "localdir"
MAX_FILES = 100_000


class LocalDirConnection(Section):
    name: str = ""
    path: Path


@dataclass(frozen=True)
class LocalDirTarget:
    connection: LocalDirConnection
    sampling: SamplingSettings


class LocalDirSource(Source):
    def __init__(self, connection: Connection, target: LocalDirTarget) -> None:
        super().__init__(connection)
        self.root = target.connection.path
        self.sampling = target.sampling
        if not self.root.is_dir():
            raise SourceError("not_found")

    def groups(self) -> list[KeyGroup]:
        grouper = KeyGrouper(str(self.root), self.sampling.maxobjectspergroup)
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(dirpath) / name
                if grouper.listed >= MAX_FILES or path.is_symlink() or not path.is_file():
                    continue
                stat = path.stat()
                grouper.add(path.relative_to(self.root).as_posix(), stat.st_size, stat.st_mtime)
        return grouper.groups()


def _validated(index: int, raw: dict[str, object]) -> LocalDirConnection:
    try:
        return LocalDirConnection.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_input=False)[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ValueError(
            f"crawl.plugins.localdir entry {index}: field {field!r}: {err['msg']}"
        ) from None


@hookimpl
def register_sources(register: Callable[[SourceKind], None]) -> None:
    register(SourceKind(KIND, "Files in local directories (example plugin)"))


@hookimpl
def configure_connections(settings: CrawlerSettings) -> Sequence[Connection]:
    entries = settings.crawl.plugins.get(KIND, [])
    out = []
    for index, raw in enumerate(entries):
        conn = _validated(index, raw)
        target = LocalDirTarget(conn, settings.sampling)
        out.append(Connection(KIND, conn.name or conn.path.name, target))
    return out


@hookimpl
def open_source(connection: Connection) -> Source | None:
    if connection.kind != KIND or not isinstance(connection.config, LocalDirTarget):
        return None
    return LocalDirSource(connection, connection.config)


@hookimpl
def discover_assets(source: Source) -> Iterable[AssetRef] | None:
    if not isinstance(source, LocalDirSource):
        return None
    return [
        AssetRef(g.pattern, g.fingerprint(), -1, g.total_bytes, handle=g, objects=g.count)
        for g in source.groups()
    ]


@hookimpl
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    if not isinstance(source, LocalDirSource) or not isinstance(asset.handle, KeyGroup):
        return None
    group = asset.handle
    wanted = objects_to_sample(
        group.count, source.sampling.objectsperlog, source.sampling.maxobjectspergroup
    )
    sample = Sample(groups=0)
    for key, size in group.reservoir[:wanted]:
        cap = min(source.sampling.maxobjectbytes, max(0, limits.max_bytes - sample.bytes_read))
        if cap == 0 or len(sample.records) >= limits.max_records:
            break
        try:
            with (source.root / key).open("rb") as handle:
                data = handle.read(cap)
        except OSError:
            sample.add_error("read_failed")
            continue
        parsed = parse_prefix(key, data, len(data) >= size, limits.max_records, cap)
        sample.groups += 1
        sample.bytes_read += len(data)
        sample.records.extend(parsed.records[: limits.max_records - len(sample.records)])
        for reason, count in parsed.problems.items():
            sample.add_error(reason, count)
    if sample.groups == 0 and sample.errors:
        raise AssetError("read_failed")
    return sample
