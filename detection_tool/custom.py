"""Custom data types and suppressions from configuration, compiled once per Detector."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from detection_tool import validators as v
from detection_tool.catalog import CATALOG, DataType
from detection_tool.findings import Finding
from detection_tool.settings import CustomTypeSettings, SuppressionSettings


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`."""
    if not text:
        return 0.0
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in Counter(text).values())


def high_entropy(text: str) -> bool:
    """At least 16 characters, 3.5 bits per character, letters and digits mixed."""
    return (
        len(text) >= 16
        and shannon_entropy(text) >= 3.5
        and any(c.isdigit() for c in text)
        and any(c.isalpha() for c in text)
    )


VALIDATORS: Mapping[str, Callable[[str], bool]] = MappingProxyType(
    {
        "luhn": lambda t: v.luhn(v.digits_of(t)) and len(v.digits_of(t)) > 1,
        "iban": v.iban,
        "card": v.card_number,
        "ssn": v.ssn_structure,
        "ip": v.ip_address,
        "jwt": v.jwt,
        "email": lambda t: "@" in t and "." in t.rsplit("@", 1)[-1],
        "entropy": high_entropy,
    }
)


@dataclass(frozen=True, slots=True)
class CustomType:
    entry: DataType
    key: re.Pattern[str] | None
    value: re.Pattern[str] | None
    validator: Callable[[str], bool] | None
    validator_name: str
    confidence: float

    def match(self, text: str, key: str | None) -> tuple[str, ...] | None:
        """The reasons when `text` under `key` is of this type, else None."""
        reasons: list[str] = []
        if self.key is not None:
            if key is None or self.key.search(key) is None:
                return None
            reasons.append("key:custom:" + self.entry.id)
        if self.value is not None:
            if self.value.fullmatch(text) is None:
                return None
            reasons.append("value:custom:" + self.entry.id)
        if self.validator is not None:
            if not self.validator(text):
                return None
            reasons.append("validator:" + self.validator_name)
        return tuple(reasons)


def compile_custom_types(items: Sequence[CustomTypeSettings]) -> tuple[CustomType, ...]:
    out = []
    for item in items:
        entry = CATALOG.get(item.id) or DataType(
            item.id, item.category, item.sensitivity, item.description or "Custom data type"
        )
        out.append(
            CustomType(
                entry=entry,
                key=re.compile(item.keypattern, re.IGNORECASE) if item.keypattern else None,
                value=re.compile(item.valuepattern, re.DOTALL) if item.valuepattern else None,
                validator=VALIDATORS[item.validator] if item.validator else None,
                validator_name=item.validator,
                confidence=item.confidence,
            )
        )
    return tuple(out)


def catalog_with(custom: Iterable[CustomType]) -> Mapping[str, DataType]:
    """The built-in catalog plus configured types (a built-in id keeps its entry)."""
    merged = dict(CATALOG)
    for c in custom:
        merged.setdefault(c.entry.id, c.entry)
    return MappingProxyType(merged)


_INDEX = re.compile(r"\[\d+\]")


def _glob(pattern: str) -> re.Pattern[str]:
    """`*` matches any run of characters; `[*]` in a pattern also matches `[0]`."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


@dataclass(frozen=True, slots=True)
class Suppression:
    types: frozenset[str]
    paths: tuple[re.Pattern[str], ...]
    endpoints: tuple[re.Pattern[str], ...]

    def applies(self, path: str, context: str | None) -> bool:
        if self.endpoints and (
            context is None or not any(p.fullmatch(context) for p in self.endpoints)
        ):
            return False
        if self.paths:
            normal = _INDEX.sub("[*]", path)
            return any(p.fullmatch(path) or p.fullmatch(normal) for p in self.paths)
        return True


class Suppressions:
    """Drops configured (path, endpoint, type) combinations from results."""

    def __init__(self, items: Sequence[SuppressionSettings]) -> None:
        self._rules = tuple(
            Suppression(
                frozenset(i.types),
                tuple(_glob(p) for p in i.paths),
                tuple(_glob(e) for e in i.endpoints),
            )
            for i in items
        )
        self.dropped = 0

    def __bool__(self) -> bool:
        return bool(self._rules)

    def apply(
        self, result: dict[str, list[Finding]], context: str | None
    ) -> dict[str, list[Finding]]:
        if not self._rules:
            return result
        out: dict[str, list[Finding]] = {}
        for path, findings in result.items():
            rules = [r for r in self._rules if r.applies(path, context)]
            kept = [
                f for f in findings if not any(not r.types or f.type_id in r.types for r in rules)
            ]
            self.dropped += len(findings) - len(kept)
            if kept:
                out[path] = kept
        return out
