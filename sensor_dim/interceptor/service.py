"""One live interceptor: capture -> pairs -> Kafka `events`, heartbeats, iplist, metrics.

`run()` is the capture loop on the calling thread; it blocks until `stop()` (thread-safe, what
the signal handler calls). Between packet batches it serves Kafka delivery reports, evicts idle
connections by the wall clock, re-reads the interface choice and sends heartbeats. On stop,
every connection is ended (waiting requests become unanswered pairs), the producer is flushed
for at most `shutdowntimeout`, and every socket, thread and server is closed.
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack

from sensor_core.http_probes import HttpProbes
from sensor_core.logs import get_logger
from sensor_dim.interceptor.control import IpListWatcher, build_heartbeat, valid_addresses
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.live import LiveCapture, choose_interfaces, refresh_routes
from sensor_dim.interceptor.live import system_interfaces as _system_interfaces
from sensor_dim.interceptor.metrics import Health, build_registry
from sensor_dim.interceptor.output import KafkaOutput, PairOutput
from sensor_dim.interceptor.pipeline import PairPipeline
from sensor_dim.interceptor.settings import InterceptorSettings

log = get_logger("dsensor.interceptor")
READ_TIMEOUT_S = 0.05
READ_BUDGET = 2048  # frames per loop turn before the housekeeping runs
EXPIRE_EVERY_S = 1.0


class InterceptorService:
    def __init__(
        self,
        settings: InterceptorSettings,
        *,
        counters: Counters | None = None,
        output: PairOutput | None = None,
        iplist: IpListWatcher | None = None,
        use_iplist: bool = True,
    ) -> None:
        self.settings = settings
        self.counters = counters if counters is not None else Counters()
        self.health = Health()
        self._stop = threading.Event()
        self.output: PairOutput = (
            output if output is not None else KafkaOutput(settings.kafka, self.counters)
        )
        self._iplist = iplist
        if self._iplist is None and use_iplist and settings.node:
            self._iplist = IpListWatcher(settings.kafka, settings.node)
        self.capture = LiveCapture(settings.capture, self.counters)
        self.pipeline = PairPipeline(
            settings.limits, self.counters, self.output.send, node=settings.node
        )
        configured, bad = valid_addresses(list(settings.capture.addresses))
        if bad:
            raise ValueError(f"capture.addresses: {bad} entries are not IP addresses")
        self._configured = configured
        self._from_iplist: list[str] = []
        self.metrics_port = 0

    def stop(self) -> None:
        self._stop.set()

    def gauges(self) -> dict[str, float]:
        return {
            "flows_active": len(self.pipeline.table),
            "buffered_bytes": self.pipeline.table.buffered_bytes,
            "output_backlog": self.output.backlog,
            "interfaces": len(self.capture.interfaces),
        }

    def refresh_interfaces(self) -> None:
        addresses = sorted(set(self._configured) | set(self._from_iplist))
        if addresses and not self.settings.capture.interfaces:
            refresh_routes()
        wanted = choose_interfaces(self.settings.capture, addresses, _system_interfaces())
        self.capture.reconcile(wanted)

    def run(self) -> None:
        with ExitStack() as stack:
            registry = build_registry(self.counters, self.gauges)
            http = self.settings.http
            health = self.health
            server = HttpProbes(
                http.host,
                http.port,
                registry,
                ready=lambda: health.alive and health.ready,
                name="interceptor-metrics",
                alive=lambda: health.alive,
            )
            stack.callback(server.stop)
            self.metrics_port = server.port
            stack.callback(self.capture.close)
            if self._iplist is not None:
                self._iplist.start()
                stack.callback(self._iplist.close)
            self.refresh_interfaces()
            self.health.ready = True
            log.info("interceptor_started", interfaces=len(self.capture.interfaces))
            try:
                self._loop()
            finally:
                self.health.ready = False
                self._shutdown()

    def _loop(self) -> None:
        settings = self.settings
        now = time.monotonic()
        next_expire = now + EXPIRE_EVERY_S
        next_refresh = now + settings.capture.refresh
        next_beat = now
        feed = self.pipeline.feed
        while not self._stop.is_set():
            feed(self.capture.read(READ_TIMEOUT_S, READ_BUDGET))
            self.output.poll()
            now = time.monotonic()
            if now >= next_expire:
                next_expire = now + EXPIRE_EVERY_S
                self.pipeline.expire(time.time_ns())
                self.capture.update_kernel_counters()
            if self._iplist is not None:
                update = self._iplist.take()
                if update is not None:
                    self.counters.inc("iplist_updates")
                    self._from_iplist = update
                    next_refresh = now  # re-choose interfaces now
            if now >= next_refresh:
                next_refresh = now + settings.capture.refresh
                self.refresh_interfaces()
            if now >= next_beat:
                next_beat = now + settings.kafka.heartbeatinterval
                self.send_heartbeat()

    def send_heartbeat(self) -> None:
        value = build_heartbeat(
            self.settings.node,
            self.settings.sensorid,
            self.counters,
            self.capture.interfaces,
            self.pipeline.uninspected,
        )
        self.output.send_heartbeat(self.settings.node, value)

    def _shutdown(self) -> None:
        self.capture.update_kernel_counters()
        self.pipeline.close("shutdown")
        self.send_heartbeat()
        left = self.output.flush(self.settings.shutdowntimeout)
        log.info(
            "interceptor_stopped",
            unsent=left,
            **{k: v for k, v in self.counters.nonzero().items()},
        )
