"""The console's Prometheus metrics, on a registry the server owns (no global state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter


class ConsoleMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.batches = Counter(
            "dsensor_console_batches",
            "PushBatch requests by outcome",
            ["outcome"],
            registry=registry,
        )
        self.flows = Counter("dsensor_console_flows", "Flows stored", registry=registry)
        self.assets = Counter(
            "dsensor_console_data_assets", "Data asset reports stored", registry=registry
        )
        self.heartbeats = Counter(
            "dsensor_console_heartbeats",
            "Heartbeat requests by outcome",
            ["outcome"],
            registry=registry,
        )
        self.http_requests = Counter(
            "dsensor_console_http_requests",
            "HTTP requests by route and status code",
            ["route", "code"],
            registry=registry,
        )
        self.webhooks = Counter(
            "dsensor_console_webhook_posts",
            "Webhook deliveries by outcome",
            ["outcome"],
            registry=registry,
        )
        self.logins = Counter(
            "dsensor_console_logins", "Login attempts by outcome", ["outcome"], registry=registry
        )
