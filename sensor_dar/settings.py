"""The crawler's settings (YAML via --config, overrides SVRN_CRAWLER_<KEY PATH>).

`crawl.s3`, `crawl.kafka` and `crawl.database.postgres` are the documented variables
`SVRN_CRAWLER_CRAWL_S3`, `SVRN_CRAWLER_CRAWL_KAFKA` and `SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from detection_tool.settings import DetectorSettings
from sensor_core.durations import Duration
from sensor_core.sections import (
    DEFAULT_DATA_DIR,
    HttpSettings,
    LoggingSettings,
    StatsClientSettings,
)
from sensor_core.settings import Section
from sensor_core.vault import VaultSettings
from sensor_dar.connections import CrawlSettings
from sensor_dar.model import SampleLimits


class SamplingSettings(Section):
    """Bounds on what one asset costs; nothing is ever read in full."""

    # records (rows, messages, lines) analysed per asset: enough to type a column by share
    maxrecords: int = Field(default=100, ge=1, le=100_000)
    # bytes read per asset (S3: over all sampled objects of a key group)
    maxbytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    # bytes read from one S3 object (a ranged read)
    maxobjectbytes: int = Field(default=1024 * 1024, ge=1024)
    # S3: objects sampled per key group = ceil(objectsperlog * log10(1 + group size)), capped
    objectsperlog: float = Field(default=3.0, gt=0)
    maxobjectspergroup: int = Field(default=20, ge=1, le=1000)
    # per statement (PostgreSQL) or per read (Kafka, S3)
    timeout: Duration = 10.0
    # characters kept of one text value (PostgreSQL) before detection
    maxvaluechars: int = Field(default=4096, ge=16)

    def limits(self) -> SampleLimits:
        return SampleLimits(
            max_records=self.maxrecords, max_bytes=self.maxbytes, timeout_seconds=self.timeout
        )


class CrawlerSettings(Section):
    # native Vault: secrets read before the settings load (sensor_core.vault)
    vault: VaultSettings = VaultSettings()
    crawl: CrawlSettings = CrawlSettings()
    # how often a connection is scanned when it sets no `checkinterval` of its own
    checkinterval: Duration = 12 * 3600.0
    # skip assets whose fingerprint (row counters, sizes, offsets) did not change
    incremental: bool = True
    sampling: SamplingSettings = SamplingSettings()
    detector: DetectorSettings = DetectorSettings()
    # plugin names (entry-point names) not to load, built-in or third-party
    disabledplugins: list[str] = Field(default_factory=list)
    statsclient: StatsClientSettings = StatsClientSettings()
    http: HttpSettings = HttpSettings(port=9001)
    logging: LoggingSettings = LoggingSettings()
    datadir: Path = DEFAULT_DATA_DIR
