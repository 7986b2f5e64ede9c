"""Keys and file names grouped by name pattern, and how many members of a group are sampled.

`logs/2024/05/01/part-0001.json.gz` and `logs/2024/05/02/part-0002.json.gz` are one group,
`logs/{date}/part-{n}.json.gz`: dates, numbers, UUIDs, hex ids, e-mails and long tokens become
placeholders (so a value in a key never reaches a group name). Each group keeps its count, total
size, newest modification time and a reservoir of keys (bounded memory on any bucket size);
it is sampled in proportion to the log of its size.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field

from sensor_core.jsonpaths import is_safe_key
from sensor_dim.digger.endpoints import segment_placeholder

MAX_GROUPS_PER_BUCKET = 5000
OTHER_GROUP = "{other}"
MAX_SEGMENTS = 16
_DATE_PATH = re.compile(r"(?<![0-9])(19|20)\d{2}/(0[1-9]|1[0-2])(/(0[1-9]|[12]\d|3[01]))?(?![0-9])")
_HIVE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]{0,63})=.*$")
_DIGITS = re.compile(r"\d+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EXTENSION = re.compile(
    r"(\.(json|ndjson|jsonl|csv|tsv|yaml|yml|parquet|txt|log|avro|orc|xml|md|gz|zst|bz2)){1,2}$",
    re.IGNORECASE,
)
_DATE_IN_NAME = re.compile(r"(19|20)\d{2}-?\d{2}-?\d{2}(T\d{2}:?\d{2}(:?\d{2})?Z?)?")


def _stem_pattern(stem: str) -> str:
    if _UUID.fullmatch(stem):
        return "{uuid}"
    stem = _DATE_IN_NAME.sub("{date}", stem)
    placeholder = segment_placeholder(stem)
    if placeholder is not None:
        return placeholder
    cleaned = []
    for part in re.split(r"([-_.])", stem):
        if part in ("-", "_", ".", "{date}") or not part:
            cleaned.append(part)
            continue
        placeholder = segment_placeholder(part)
        if placeholder is not None:
            cleaned.append(placeholder)
        elif _DIGITS.search(part):
            cleaned.append(_DIGITS.sub("{n}", part))
        elif not is_safe_key(part) or len(part) > 40:
            cleaned.append("{name}")
        else:
            cleaned.append(part)
    return "".join(cleaned)


def _segment(segment: str, last: bool) -> str:
    hive = _HIVE.match(segment)
    if hive:  # partition directories: dt=2024-05-01 -> dt={value}
        return f"{hive.group(1)}={{value}}"
    ext_match = _EXTENSION.search(segment) if last else None
    ext = ext_match.group(0) if ext_match else ""
    stem = segment[: len(segment) - len(ext)] if ext else segment
    if "@" in stem:
        return "{email}" + ext
    return _stem_pattern(stem) + ext if stem else ext


def key_pattern(key: str) -> str:
    """The group pattern of one key (structure only)."""
    text = _DATE_PATH.sub("{date}", key)
    segments = text.split("/")
    if len(segments) > MAX_SEGMENTS:
        segments = [*segments[: MAX_SEGMENTS - 1], "{deep}"]
    out = []
    for i, segment in enumerate(segments):
        if segment == "{date}" or not segment:
            out.append(segment)
        else:
            out.append(_segment(segment, last=i == len(segments) - 1))
    return "/".join(out)


@dataclass
class KeyGroup:
    pattern: str
    count: int = 0
    total_bytes: int = 0
    newest: float = 0.0
    reservoir: list[tuple[str, int]] = field(default_factory=list)  # (key, size)

    def fingerprint(self) -> str:
        return f"{self.count}|{self.total_bytes}|{self.newest:.0f}"


class KeyGrouper:
    """Feeds listed objects into groups; `groups()` when the listing is done."""

    def __init__(self, bucket: str, reservoir_size: int) -> None:
        self._groups: dict[str, KeyGroup] = {}
        self._size = reservoir_size
        self._rng = random.Random(bucket)
        self.listed = 0

    def add(self, key: str, size: int, modified: float) -> None:
        self.listed += 1
        if key.endswith("/") and size == 0:
            return  # a "folder" marker
        pattern = key_pattern(key)
        group = self._groups.get(pattern)
        if group is None:
            if len(self._groups) >= MAX_GROUPS_PER_BUCKET:
                pattern = OTHER_GROUP
                group = self._groups.get(pattern)
            if group is None:
                group = self._groups[pattern] = KeyGroup(pattern)
        group.count += 1
        group.total_bytes += size
        group.newest = max(group.newest, modified)
        if len(group.reservoir) < self._size:
            group.reservoir.append((key, size))
        else:
            slot = self._rng.randrange(group.count)
            if slot < self._size:
                group.reservoir[slot] = (key, size)

    def groups(self) -> list[KeyGroup]:
        return sorted(self._groups.values(), key=lambda g: g.pattern)


def objects_to_sample(count: int, per_log: float, cap: int) -> int:
    """ceil(per_log * log10(1 + count)), at least 1, at most `cap` and the group size."""
    if count <= 0:
        return 0
    return max(1, min(cap, count, math.ceil(per_log * math.log10(1 + count))))
