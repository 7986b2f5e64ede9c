"""What the detector returns per field path: type ids and explanations, never values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from detection_tool.catalog import Category, DataType, Sensitivity, data_type


@dataclass(frozen=True, slots=True)
class Finding:
    """One data type found at one path.

    `reasons` name recognizers, validators and key contexts (``"value:email_pattern"``,
    ``"validator:luhn"``, ``"key:card_number"``); they never hold a value.
    """

    type_id: str
    confidence: float
    sensitivity: Sensitivity
    category: Category
    reasons: tuple[str, ...]


def make_finding(
    type_id: str, confidence: float, reasons: Iterable[str], entry: DataType | None = None
) -> Finding:
    """A finding with the catalog's category and sensitivity, confidence clamped to 0..1."""
    entry = entry or data_type(type_id)
    conf = round(min(1.0, max(0.0, confidence)), 3)
    return Finding(type_id, conf, entry.sensitivity, entry.category, tuple(dict.fromkeys(reasons)))


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per type (highest confidence, reasons united), best first."""
    best: dict[str, Finding] = {}
    for f in findings:
        seen = best.get(f.type_id)
        if seen is None:
            best[f.type_id] = f
            continue
        top, other = (f, seen) if f.confidence > seen.confidence else (seen, f)
        reasons = tuple(dict.fromkeys(top.reasons + other.reasons))
        best[f.type_id] = Finding(f.type_id, top.confidence, f.sensitivity, f.category, reasons)
    return sort_findings(best.values())


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Highest confidence first; type id breaks ties so output is stable."""
    return sorted(findings, key=lambda f: (-f.confidence, f.type_id))
