"""Prometheus metrics of the detection service (labels are codes and names, never values)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class DetectionMetrics:
    """One registry per service instance, so tests can run several servers in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.documents = Counter(
            "dsensor_detection_documents_total",
            "Documents analysed, by result (ok or an error code).",
            ["result"],
            registry=self.registry,
        )
        self.records = Counter(
            "dsensor_detection_records_total",
            "Records analysed in record sets, by result (ok or invalid).",
            ["result"],
            registry=self.registry,
        )
        self.findings = Counter(
            "dsensor_detection_findings_total",
            "Findings reported (one per path and type), by data type id.",
            ["type"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "dsensor_detection_request_seconds",
            "Time to answer one request, by method.",
            ["method"],
            registry=self.registry,
        )
        self.registry_polls = Counter(
            "dsensor_detection_registry_polls_total",
            "Pulls of the console's registry, by outcome (applied, unchanged or a failure code).",
            ["outcome"],
            registry=self.registry,
        )
        self.registry_version = Gauge(
            "dsensor_detection_registry_version",
            "Version of the registry rules in use (0: none pulled yet).",
            registry=self.registry,
        )
