"""A bounded on-disk queue of unsent batches: one file per batch, oldest dropped first.

Each entry is written atomically (temporary file, fsync, rename), so a crash leaves either the
whole batch or nothing. File names sort by creation order: ``<nanoseconds>-<sequence>.batch``.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sensor_core.logs import get_logger

log = get_logger("sensor_core.spool")

SUFFIX = ".batch"
TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class SpoolEntry:
    path: Path
    size: int


class Spool:
    """Batches waiting on disk under `directory`, at most `max_bytes` in total."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self._sequence = itertools.count()
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # temporary files left by a crash mid-write hold no complete batch
        for leftover in self.directory.glob(TEMP_PREFIX + "*"):
            leftover.unlink(missing_ok=True)
        self._ready = True

    def entries(self) -> list[SpoolEntry]:
        """Spooled batches, oldest first (an unreadable directory reads as empty)."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in self.directory.glob("*" + SUFFIX):
            try:
                found.append(SpoolEntry(path, path.stat().st_size))
            except FileNotFoundError:
                continue
        found.sort(key=lambda e: e.path.name)
        return found

    def total_bytes(self) -> int:
        return sum(e.size for e in self.entries())

    def put(self, data: bytes) -> tuple[bool, int]:
        """Store one batch. Returns (stored, older batches dropped to make room).

        A batch larger than the whole cap is not stored. Raises OSError when the disk fails.
        """
        if len(data) > self.max_bytes:
            return False, 0
        self._prepare()
        dropped = 0
        entries = self.entries()
        used = sum(e.size for e in entries)
        for entry in entries:
            if used + len(data) <= self.max_bytes:
                break
            entry.path.unlink(missing_ok=True)
            used -= entry.size
            dropped += 1
        name = f"{time.time_ns():020d}-{next(self._sequence):06d}{SUFFIX}"
        temp = self.directory / (TEMP_PREFIX + name)
        try:
            with temp.open("wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.directory / name)
        except OSError:
            temp.unlink(missing_ok=True)
            raise
        return True, dropped

    @staticmethod
    def read(entry: SpoolEntry) -> bytes | None:
        """The batch bytes, or None when the file vanished or cannot be read."""
        try:
            return entry.path.read_bytes()
        except OSError as exc:
            log.warning("spool_read_failed", file=entry.path.name, error=type(exc).__name__)
            return None

    @staticmethod
    def remove(entry: SpoolEntry) -> None:
        entry.path.unlink(missing_ok=True)
