"""Wires one digger process: detector, resolver, builder, processor, stats client, Kafka loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from dsensor.v1 import stats_pb2
from prometheus_client import CollectorRegistry

from detection_tool.detector import Detector
from sensor_core.http_probes import CountersCollector, HttpProbes
from sensor_core.logs import get_logger
from sensor_core.stats_client import StatsClient
from sensor_dim.digger.assets import Resolver, StaticResolver
from sensor_dim.digger.cluster import ClusterView
from sensor_dim.digger.consumer import ConsumerFactory, EventConsumer, consumer_config
from sensor_dim.digger.health import HealthForwarder
from sensor_dim.digger.learned_segments import SegmentLearner
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from sensor_dim.digger.remote_detection import PatientDetector
from sensor_dim.digger.sampler import Sampler, SamplerLimits
from sensor_dim.digger.settings import DiggerSettings

log = get_logger("dsensor.digger")


class DiggerConfigError(Exception):
    """A setting the digger cannot run with (the message names it)."""


def build_detector(settings: DiggerSettings) -> Detector | PatientDetector:
    """The in-process detector, or the detection-tool service (patient when it is away)."""
    detection = settings.detection
    if detection.mode == "remote":
        return PatientDetector(
            detection.address, timeout=detection.timeout, patience=detection.patience
        )
    return Detector()


class DiggerService:
    """One digger: `run()` blocks until `stop()` (thread-safe) and closes everything it opened."""

    def __init__(
        self, settings: DiggerSettings, consumer_factory: ConsumerFactory | None = None
    ) -> None:
        self.settings = settings
        detector = build_detector(settings)
        self.remote = detector if isinstance(detector, PatientDetector) else None
        self.builder = MetadataBuilder()
        self.cluster: ClusterView | None = None
        resolver: Resolver
        if settings.kubernetes.enabled:
            self.cluster = ClusterView(settings)
            resolver = self.cluster.resolver
        else:
            resolver = StaticResolver(settings.workloads, settings.statsclient.clustername)
        sampling = settings.sampling
        self.sampler = (
            Sampler(
                SamplerLimits(
                    rate=sampling.rate,
                    burst=sampling.burst,
                    globalrate=sampling.globalrate,
                    maxendpoints=sampling.maxendpoints,
                )
            )
            if sampling.enabled
            else None
        )
        self.learner = SegmentLearner(
            settings.endpoints.learnthreshold, settings.endpoints.maxprefixes
        )
        self.processor = PairProcessor(
            detector,
            resolver,
            self.builder,
            self.sampler,
            settings.metadata.maskedshapes,
            self.learner,
        )
        self.stats = StatsClient(settings.statsclient, stats_pb2.SENSOR_KIND_DIM, settings.datadir)
        self.consumer = EventConsumer(
            settings, self.processor, self.builder, self.stats, consumer_factory
        )

        self.health = HealthForwarder(
            {
                **consumer_config(settings),
                "group.id": settings.consumergroup + "-heartbeat",
                "enable.auto.offset.store": True,
                "auto.offset.reset": "latest",
            },
            settings.heartbeattopic,
            self.stats,
            self._own_counters,
            settings.healthinterval,
        )
        self.registry = CollectorRegistry()
        self.registry.register(CountersCollector("dsensor_digger", self._counter_sources()))
        self.probes: HttpProbes | None = None
        self._running = False

    def _counter_sources(self) -> dict[str, Callable[[], Mapping[str, int]]]:
        sources: dict[str, Callable[[], Mapping[str, int]]] = {
            "pipeline": lambda: self.processor.counters,
            "consumer": lambda: self.consumer.counters,
            "statsclient": lambda: self.stats.counters,
        }
        sampler = self.sampler
        if sampler is not None:
            sources["sampler"] = lambda: {
                "admitted": sampler.admitted,
                "shed": sampler.shed,
                "forgotten": sampler.forgotten,
            }
        learner = self.learner
        sources["endpoints"] = lambda: {
            "learned": learner.collapsed,
            "forgotten": learner.forgotten,
            "tracked": len(learner),
        }
        health = self.health
        sources["health"] = lambda: {
            "received": health.received,
            "invalid": health.invalid,
            "sent": health.sent,
        }
        remote = self.remote
        if remote is not None:
            sources["detection"] = lambda: remote.counters
        cluster = self.cluster
        if cluster is not None:
            sources["kubernetes"] = lambda: cluster.watcher.counters
            sources["iplist"] = lambda: {"published": cluster.publisher.published}
        return sources

    def _own_counters(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for source, read in self._counter_sources().items():
            if source != "statsclient":  # the stats client adds its own
                out.update({f"{source}_{k}": int(v) for k, v in read().items()})
        return out

    def ready(self) -> bool:
        """Consuming, and (with Kubernetes) every watched kind listed once."""
        if not self._running:
            return False
        return self.cluster is None or self.cluster.watcher.wait_synced(0)

    def stop(self) -> None:
        self.consumer.stop()

    def run(self) -> None:
        """Consume until stopped; raises consumer.ConsumerFailedError when it had to give up."""
        http = self.settings.http
        self.probes = HttpProbes(http.host, http.port, self.registry, self.ready, "digger-http")
        log.info("digger_http", port=self.probes.port)
        if self.cluster is not None:
            self.cluster.start()
        self.health.start()
        self._running = True
        try:
            self.consumer.run()
        finally:
            self._running = False
            self.health.stop()
            if self.cluster is not None:
                self.cluster.stop()
            self.stats.close()
            if self.remote is not None:
                self.remote.close()
            self.probes.stop()
            log.info(
                "digger_counters",
                **{f"pipeline_{k}": v for k, v in self.processor.counters.items()},
                **{f"statsclient_{k}": v for k, v in self.stats.counters.items() if v},
            )
