"""The pipeline of `dsensor demo`, in one process, on embedded defaults.

pairs (a capture replayed, or live capture: sensor_core.demo_live) -> bounded in-process queue
(stands in for Kafka) -> digger (in-process detector) -> stats client -> real gRPC -> console
(SQLite) -> flows read back from the console's JSON API. No Kafka, no cluster.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from dsensor.v1 import pair_pb2, stats_pb2
from pydantic import SecretStr

from detection_tool.detector import Detector
from sensor_console.auth import add_user, create_api_token
from sensor_console.server import ConsoleServer
from sensor_console.settings import ConsoleSettings, SensorToken
from sensor_core.logs import get_logger
from sensor_core.sections import LoggingSettings, StatsClientSettings
from sensor_core.stats_client import StatsClient
from sensor_dim.digger.assets import KnownWorkload, StaticResolver
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.pipeline import iter_pairs

log = get_logger("dsensor.demo")

SENSOR_ID = "demo-digger"
QUEUE_SIZE = 1000
DONE = b""


def services_capture() -> Path:
    """What `dsensor demo` replays: the sample services (examples/services/) recorded by
    examples/sample_traffic/record_services.py."""
    return Path(str(resources.files("sensor_core.demo_data").joinpath("services.pcap")))


def bundled_capture() -> Path:
    """The synthetic capture of TCP and HTTP edge cases (retransmission, reordering, chunked,
    gzip, unselected pairs) made by examples/sample_traffic/make_sample_pcap.py; component
    tests replay it."""
    return Path(str(resources.files("sensor_core.demo_data").joinpath("demo.pcap")))


def bundled_workloads() -> list[KnownWorkload]:
    text = resources.files("sensor_core.demo_data").joinpath("workloads.yaml").read_text()
    return [KnownWorkload.model_validate(item) for item in yaml.safe_load(text)]


@dataclass(frozen=True)
class DemoSettings:
    """What one demo run uses; built in the command from its options."""

    capture: Path
    data_dir: Path
    log: LoggingSettings
    http_port: int = 0


@dataclass
class DemoResult:
    console_url: str
    api_token: str
    flows: list[dict[str, Any]]
    interceptor: dict[str, int]
    digger: dict[str, int]
    statsclient: dict[str, int]
    driven: dict[str, int] = field(default_factory=dict)  # live mode: the driver's counts


class Producer(threading.Thread):
    """The interceptor side: puts pairs on the bus as protobuf bytes, then `DONE`; an error
    is kept for the main thread, which reports it."""

    def __init__(self, name: str, bus: queue.Queue[bytes], counters: Counters) -> None:
        super().__init__(name=name, daemon=True)
        self.bus, self.counters = bus, counters
        self.error: Exception | None = None


class _ReplayProducer(Producer):
    """Pairs of a capture file."""

    def __init__(self, capture: Path, bus: queue.Queue[bytes], counters: Counters) -> None:
        super().__init__("demo-interceptor", bus, counters)
        self.capture = capture

    def run(self) -> None:
        try:
            for pair in iter_pairs(self.capture, counters=self.counters, node="demo"):
                self.bus.put(pair.SerializeToString())
        except Exception as exc:  # handed to the main thread, which reports it
            self.error = exc
        finally:
            self.bus.put(DONE)


def _fetch_json(url: str, api_token: str) -> Any:
    headers = {"Authorization": f"Bearer {api_token}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own console
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own console
        return json.loads(response.read())


def demo_api_token(console: ConsoleServer, role: str = "readonly") -> str:
    """A new API token of the demo's console (the console requires login)."""
    assert console.store is not None
    name = f"demo-{secrets.token_hex(4)}"
    return console.store.write(lambda conn: create_api_token(conn, name, role))


def demo_login(console: ConsoleServer) -> tuple[str, str]:
    """(username, password) of a fresh admin user for the dashboard of `dsensor demo --serve`."""
    assert console.store is not None
    password = secrets.token_urlsafe(12)
    console.store.write(lambda conn: add_user(conn, "admin", password, "admin"))
    return "admin", password


@contextmanager
def running_console(settings: DemoSettings, token: str) -> Iterator[ConsoleServer]:
    console_settings = ConsoleSettings.model_validate(
        {
            "grpc": {"host": "127.0.0.1", "port": 0},
            "http": {"host": "127.0.0.1", "port": settings.http_port},
            "datadir": settings.data_dir,
            "sensortokens": [SensorToken(sensorid=SENSOR_ID, token=SecretStr(token))],
            # captures may be old: the demo keeps what it replayed however long it serves
            "retention": {"maxage": "0", "events": "0"},
        }
    )
    with ConsoleServer(console_settings) as console:
        yield console


def consume(bus: queue.Queue[bytes], processor: PairProcessor, producer: Producer) -> None:
    """Run the digger side until the producer is done; re-raise the producer's error."""
    while True:
        try:
            raw = bus.get(timeout=0.5)  # a timeout keeps the main thread open to signals
        except queue.Empty:
            continue
        if raw == DONE:
            break
        processor.process(pair_pb2.HttpPair.FromString(raw))
    producer.join()
    if producer.error is not None:
        raise producer.error


def deliver(
    settings: DemoSettings,
    console: ConsoleServer,
    token: str,
    processor: PairProcessor,
    builder: MetadataBuilder,
    interceptor: dict[str, int],
) -> DemoResult:
    """Send the digger's flows through the stats client and read them back from the console."""
    stats_settings = StatsClientSettings(
        address=f"127.0.0.1:{console.grpc_port}",
        token=SecretStr(token),
        sensorid=SENSOR_ID,
        clustername="demo",
    )
    with StatsClient(stats_settings, stats_pb2.SENSOR_KIND_DEMO, settings.data_dir) as stats:
        for flow in builder.drain():
            stats.add_flow(flow)
        stats.flush()
        statsclient = dict(stats.counters)
    api_token = demo_api_token(console)
    flows = _fetch_json(console.url + "/api/v1/flows?limit=1000", api_token)["flows"]
    return DemoResult(
        console_url=console.url,
        api_token=api_token,
        flows=flows,
        interceptor=interceptor,
        digger=dict(processor.counters),
        statsclient=statsclient,
    )


def new_processor(workloads: list[KnownWorkload]) -> tuple[PairProcessor, MetadataBuilder]:
    builder = MetadataBuilder()
    return PairProcessor(Detector(), StaticResolver(workloads, "demo"), builder), builder


def run_pipeline(settings: DemoSettings, console: ConsoleServer, token: str) -> DemoResult:
    """Replay the capture through interceptor, digger and stats client into `console`."""
    started = time.monotonic()
    interceptor_counters = Counters()
    bus: queue.Queue[bytes] = queue.Queue(maxsize=QUEUE_SIZE)
    producer = _ReplayProducer(settings.capture, bus, interceptor_counters)
    processor, builder = new_processor(bundled_workloads())
    producer.start()
    consume(bus, processor, producer)
    result = deliver(settings, console, token, processor, builder, interceptor_counters.nonzero())
    log.info(
        "demo_run",
        mode="replay",
        pairs=processor.counters["pairs"],
        flows=len(result.flows),
        seconds=round(time.monotonic() - started, 3),
    )
    return result
