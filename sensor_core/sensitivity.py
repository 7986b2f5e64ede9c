"""Sensitivity and category names <-> their dsensor.v1 enum values."""

from __future__ import annotations

from dsensor.v1 import metadata_pb2

SENSITIVITIES = ("low", "medium", "high")
CATEGORIES = ("personal", "payment", "health", "credentials")


def sensitivity_enum(name: str) -> int:
    """`"high"` -> SENSITIVITY_HIGH; an unknown name -> SENSITIVITY_UNSPECIFIED."""
    return (
        metadata_pb2.Sensitivity.Value(f"SENSITIVITY_{name.upper()}")
        if name in SENSITIVITIES
        else 0
    )


def sensitivity_name(value: int) -> str:
    return SENSITIVITIES[value - 1] if 1 <= value <= len(SENSITIVITIES) else "unspecified"


def category_enum(name: str) -> int:
    return metadata_pb2.Category.Value(f"CATEGORY_{name.upper()}") if name in CATEGORIES else 0


def category_name(value: int) -> str:
    return CATEGORIES[value - 1] if 1 <= value <= len(CATEGORIES) else "unspecified"
