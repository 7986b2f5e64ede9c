"""Custom types and suppressions pulled from the console's registry (`GET /api/v1/registry`).

A background thread polls the registry with the sensor token; when its version (or ETag)
changes, the rules are compiled into a new Detector that replaces the serving one in a single
assignment. A failed or malformed pull is counted and logged by reason; the last rules stay.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from detection_tool.detector import Detector
from detection_tool.keys import key_tokens
from detection_tool.metrics import DetectionMetrics
from detection_tool.settings import (
    CustomTypeSettings,
    DetectionToolSettings,
    SuppressionSettings,
)
from sensor_core.logs import get_logger

log = get_logger("detection_tool.registry")

REGISTRY_PATH = "/api/v1/registry"
_MAX_BODY = 8 * 1024 * 1024
_PATTERN_CONFIDENCE = 0.85  # a registry pattern alone
_BOTH_CONFIDENCE = 0.95  # a pattern under a key naming one of the keywords
_KEYWORD_CONFIDENCE = 0.8  # a keyword alone


@dataclass(frozen=True)
class RegistryRules:
    """One registry version, as detector settings."""

    version: int
    customtypes: tuple[CustomTypeSettings, ...]
    suppressions: tuple[SuppressionSettings, ...]
    skipped: int  # entries that could not be used (counted, never echoed)


def keyword_pattern(keywords: list[str]) -> str:
    """`member_no` also matches `memberNo`, `MEMBER-NO` (tokens joined by any separator)."""
    parts = []
    for keyword in keywords:
        tokens = key_tokens(keyword)
        if tokens:
            parts.append(r"[\W_]*".join(re.escape(t) for t in tokens))
    return "|".join(f"(?:{p})" for p in parts)


def _custom_types(item: dict[str, Any]) -> list[CustomTypeSettings]:
    common = {
        "id": item["id"],
        "category": item["category"],
        "sensitivity": item["sensitivity"],
        "description": item.get("description") or item.get("name", ""),
    }
    patterns = [p for p in item.get("patterns") or [] if p]
    value = "|".join(f"(?:{p})" for p in patterns)
    key = keyword_pattern(list(item.get("keywords") or []))
    out = []
    if value:
        out.append(CustomTypeSettings(**common, valuepattern=value, confidence=_PATTERN_CONFIDENCE))
    if value and key:
        out.append(
            CustomTypeSettings(
                **common, keypattern=key, valuepattern=value, confidence=_BOTH_CONFIDENCE
            )
        )
    if key and not value:
        out.append(CustomTypeSettings(**common, keypattern=key, confidence=_KEYWORD_CONFIDENCE))
    return out


def _endpoint_context(endpoint: str) -> str:
    """`POST orders.shop /orders` -> `POST /orders`: sensors give `METHOD /route` contexts."""
    parts = endpoint.split()
    if len(parts) == 3:
        return f"{parts[0]} {parts[2]}"
    return endpoint


def _suppression(item: dict[str, Any]) -> SuppressionSettings:
    type_id = str(item.get("type_id") or "")
    path = str(item.get("path") or "")
    endpoint = str(item.get("endpoint") or "")
    asset = str(item.get("asset") or "")
    where = _endpoint_context(endpoint) if endpoint else asset
    return SuppressionSettings(
        types=[type_id] if type_id else [],
        paths=[path] if path else [],
        endpoints=[where] if where else [],
    )


def parse_registry(document: object) -> RegistryRules:
    """The registry document as settings; raises ValueError when it is not one at all."""
    if not isinstance(document, dict) or not isinstance(document.get("version"), int):
        raise ValueError("registry document without a version")
    custom: list[CustomTypeSettings] = []
    suppressions: list[SuppressionSettings] = []
    skipped = 0
    for item in document.get("custom_types") or []:
        try:
            custom.extend(_custom_types(item))
        except (KeyError, TypeError, ValueError, ValidationError):
            skipped += 1
    for item in document.get("suppressions") or []:
        try:
            suppressions.append(_suppression(item))
        except (AttributeError, TypeError, ValueError, ValidationError):
            skipped += 1
    return RegistryRules(document["version"], tuple(custom), tuple(suppressions), skipped)


def detector_with(settings: DetectionToolSettings, rules: RegistryRules) -> Detector:
    """A Detector with the configured rules plus the registry's (configuration first)."""
    detector = settings.detector
    merged = detector.model_copy(
        update={
            "customtypes": [*detector.customtypes, *rules.customtypes],
            "suppressions": [*detector.suppressions, *rules.suppressions],
        }
    )
    return Detector(
        merged, max_depth=settings.maxdepth, max_document_bytes=settings.maxdocumentbytes
    )


class RegistryPoller:
    """Polls the registry every `interval` seconds and hands each new version to `apply`."""

    def __init__(
        self,
        settings: DetectionToolSettings,
        apply: Callable[[Detector], None],
        *,
        timeout: float = 10.0,
        metrics: DetectionMetrics | None = None,
    ) -> None:
        registry = settings.otaregistry
        self._url = registry.url.rstrip("/")
        if not self._url.endswith(REGISTRY_PATH):
            self._url += REGISTRY_PATH
        self._token = registry.auth.token.get_secret_value()
        self._interval = registry.interval
        self._settings = settings
        self._apply = apply
        self._timeout = timeout
        self._metrics = metrics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._etag = ""
        self.version: int | None = None  # the applied registry version
        self.counts: Counter[str] = Counter()  # polls by outcome
        self.skipped_entries = 0  # entries of the applied version that could not be used

    def poll_once(self) -> str:
        """One pull; returns and counts its outcome (`applied`, `unchanged`, `http_401`, ...)."""
        outcome = self._poll()
        self.counts[outcome] += 1
        if self._metrics is not None:
            self._metrics.registry_polls.labels(outcome).inc()
            self._metrics.registry_version.set(self.version or 0)
        if outcome == "applied":
            log.info(
                "registry_applied",
                version=self.version,
                skipped_entries=self.skipped_entries,
                polls=self.counts.total(),
            )
        elif outcome != "unchanged":
            log.warning("registry_poll_failed", reason=outcome, failures=self._failures())
        return outcome

    def _failures(self) -> int:
        return sum(n for k, n in self.counts.items() if k not in ("applied", "unchanged"))

    def _poll(self) -> str:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        if self._etag:
            headers["If-None-Match"] = self._etag
        request = urllib.request.Request(self._url, headers=headers)  # noqa: S310 - configured
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                body = response.read(_MAX_BODY + 1)
                etag = response.headers.get("ETag") or ""
        except urllib.error.HTTPError as exc:
            exc.close()
            return "unchanged" if exc.code == 304 else f"http_{exc.code}"
        except (urllib.error.URLError, OSError, ValueError):
            return "unreachable"
        if len(body) > _MAX_BODY:
            return "too_large"
        try:
            rules = parse_registry(json.loads(body))
        except (ValueError, UnicodeDecodeError):
            return "invalid_document"
        if rules.version == self.version:
            self._etag = etag
            return "unchanged"
        try:
            detector = detector_with(self._settings, rules)
        except Exception as exc:  # a rule the detector cannot compile: keep the last ones
            log.warning("registry_rules_rejected", error_type=type(exc).__name__)
            return "rules_rejected"
        self._apply(detector)
        self.version = rules.version
        self._etag = etag
        self.skipped_entries = rules.skipped
        return "applied"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="registry-poll", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self._interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout + 1.0)
