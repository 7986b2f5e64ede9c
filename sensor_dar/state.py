"""Scan state for incremental runs: `<datadir>/crawler/state.json`.

Per asset a digest of its fingerprint (row counters, sizes, offsets: never content) and when it
was scanned; per connection when its last pass ended. Written atomically (temp file + rename);
an unreadable or foreign file is set aside and the next scan is a full one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from sensor_core.logs import get_logger

log = get_logger("sensor_dar.state")

VERSION = 1
MAX_ASSETS = 1_000_000


def digest(fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


class ScanState:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "crawler" / "state.json"
        self._assets: dict[str, dict[str, Any]] = {}
        self._connections: dict[str, float] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            self._set_aside("unreadable")
            return
        if not isinstance(raw, dict) or raw.get("version") != VERSION:
            self._set_aside("unknown_version")
            return
        assets, connections = raw.get("assets"), raw.get("connections")
        if isinstance(assets, dict):
            self._assets = {k: v for k, v in assets.items() if isinstance(v, dict)}
        if isinstance(connections, dict):
            self._connections = {
                k: float(v) for k, v in connections.items() if isinstance(v, int | float)
            }

    def _set_aside(self, reason: str) -> None:
        log.warning("scan_state_reset", reason=reason)
        with contextlib.suppress(OSError):
            self.path.replace(self.path.with_suffix(".bad"))

    @staticmethod
    def asset_key(connection_key: str, asset: str) -> str:
        return f"{connection_key}|{asset}"

    def unchanged(self, connection_key: str, asset: str, fingerprint: str) -> bool:
        """True when the asset was scanned before and its fingerprint is the same."""
        if not fingerprint:
            return False
        entry = self._assets.get(self.asset_key(connection_key, asset))
        return entry is not None and entry.get("fingerprint") == digest(fingerprint)

    def record_asset(self, connection_key: str, asset: str, fingerprint: str) -> None:
        key = self.asset_key(connection_key, asset)
        if key not in self._assets and len(self._assets) >= MAX_ASSETS:
            return
        self._assets[key] = {"fingerprint": digest(fingerprint), "scanned": int(time.time())}
        self._dirty = True

    def forget_asset(self, connection_key: str, asset: str) -> None:
        """A failed asset is rescanned next time."""
        if self._assets.pop(self.asset_key(connection_key, asset), None) is not None:
            self._dirty = True

    def last_scan(self, connection_key: str) -> float | None:
        return self._connections.get(connection_key)

    def record_connection(self, connection_key: str, when: float) -> None:
        self._connections[connection_key] = when
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": VERSION, "assets": self._assets, "connections": self._connections}
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(payload, out, separators=(",", ":"), sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(self.path)
        self._dirty = False
