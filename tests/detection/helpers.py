"""Test helpers: values built at test time (checksums computed, not copied)."""

from __future__ import annotations

import base64
import json

from detection_tool import Detector, Finding


def luhn_complete(prefix: str) -> str:
    """`prefix` plus the check digit that makes it pass Luhn."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch)
            if i % 2 == 1:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def b64url(obj: object) -> str:
    raw = json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def make_jwt(header: object | None = None) -> str:
    head = b64url(header if header is not None else {"alg": "HS256", "typ": "JWT"})
    return f"{head}.{b64url({'sub': '1234567890', 'iat': 1516239022})}.c2lnbmF0dXJl"


def types_at(detector: Detector, key: str, value: object, parent: str | None = None) -> list[str]:
    """Type ids found for one value under one key (inside `parent` when given)."""
    doc: dict[str, object] = {key: value}
    if parent is not None:
        doc = {parent: doc}
    result = detector.detect_document(doc)
    return [f.type_id for findings in result.values() for f in findings]


def type_ids(result: dict[str, list[Finding]]) -> dict[str, list[str]]:
    """A detection result as path -> type ids, best first."""
    return {path: [f.type_id for f in findings] for path, findings in result.items()}


def findings_at(result: dict[str, list[Finding]], path: str) -> dict[str, Finding]:
    return {f.type_id: f for f in result.get(path, [])}
