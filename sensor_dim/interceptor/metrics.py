"""Prometheus metrics and health state of the interceptor (served by sensor_core.http_probes).

Every counter of `counters.Counters` is exported as `dsensor_interceptor_<name>_total` with
its help text; gauges show the live state (connections tracked, buffered bytes, output
backlog, interfaces read). Labels carry no addresses and no payload. /healthz answers 200
while the capture loop runs; /readyz answers 200 once capture is open (503 before and while
stopping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from sensor_dim.interceptor.counters import COUNTER_HELP, Counters

PREFIX = "dsensor_interceptor_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

GAUGE_HELP = {
    "flows_active": "TCP connections tracked now",
    "buffered_bytes": "out-of-order bytes buffered over all connections",
    "output_backlog": "pairs and heartbeats waiting for the broker",
    "interfaces": "interfaces read",
}


@dataclass
class Health:
    """What the probes answer; written by the service, read by the HTTP thread."""

    alive: bool = True
    ready: bool = False


class InterceptorCollector(Collector):
    def __init__(self, counters: Counters, gauges: Callable[[], dict[str, float]]) -> None:
        self._counters = counters
        self._gauges = gauges

    def collect(self) -> Iterator[Any]:
        values = self._counters.snapshot()
        for name, help_text in COUNTER_HELP.items():
            family = CounterMetricFamily(PREFIX + name, help_text)
            family.add_metric([], values[name])
            yield family
        for gauge_name, value in self._gauges().items():
            gauge = GaugeMetricFamily(PREFIX + gauge_name, GAUGE_HELP.get(gauge_name, gauge_name))
            gauge.add_metric([], value)
            yield gauge


def build_registry(counters: Counters, gauges: Callable[[], dict[str, float]]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(InterceptorCollector(counters, gauges))
    return registry
