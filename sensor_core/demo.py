"""`dsensor demo`: the data-in-motion pipeline once, in one process, on embedded defaults.

capture (bundled pcap) -> pairs -> bounded in-process queue (stands in for Kafka) -> digger
(in-process detector) -> stats client -> real gRPC -> console (SQLite) -> summary read back
from the console's JSON API. No root, no Kafka, no cluster.
"""

from __future__ import annotations

import json
import queue
import secrets
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import click
import yaml
from dsensor.v1 import pair_pb2, stats_pb2
from pydantic import SecretStr

from detection_tool.detector import Detector
from sensor_console.auth import add_user, create_api_token
from sensor_console.server import ConsoleServer
from sensor_console.settings import ConsoleSettings, SensorToken
from sensor_core.logs import configure_logging, get_logger
from sensor_core.process import stop_on_signals
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
_DONE = b""


def bundled_capture() -> Path:
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


class _Producer(threading.Thread):
    """The interceptor side: pairs from the capture onto the bus as protobuf bytes."""

    def __init__(self, capture: Path, bus: queue.Queue[bytes], counters: Counters) -> None:
        super().__init__(name="demo-interceptor", daemon=True)
        self.capture, self.bus, self.counters = capture, bus, counters
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            for pair in iter_pairs(self.capture, counters=self.counters, node="demo"):
                self.bus.put(pair.SerializeToString())
        except Exception as exc:  # handed to the main thread, which reports it
            self.error = exc
        finally:
            self.bus.put(_DONE)


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


def run_pipeline(settings: DemoSettings, console: ConsoleServer, token: str) -> DemoResult:
    """Replay the capture through interceptor, digger and stats client into `console`."""
    started = time.monotonic()
    interceptor_counters = Counters()
    bus: queue.Queue[bytes] = queue.Queue(maxsize=QUEUE_SIZE)
    producer = _Producer(settings.capture, bus, interceptor_counters)
    builder = MetadataBuilder()
    processor = PairProcessor(Detector(), StaticResolver(bundled_workloads(), "demo"), builder)
    stats_settings = StatsClientSettings(
        address=f"127.0.0.1:{console.grpc_port}",
        token=SecretStr(token),
        sensorid=SENSOR_ID,
        clustername="demo",
    )
    producer.start()
    while (raw := bus.get()) != _DONE:
        processor.process(pair_pb2.HttpPair.FromString(raw))
    producer.join()
    if producer.error is not None:
        raise producer.error
    with StatsClient(stats_settings, stats_pb2.SENSOR_KIND_DEMO, settings.data_dir) as stats:
        for flow in builder.drain():
            stats.add_flow(flow)
        stats.flush()
        statsclient = dict(stats.counters)
    api_token = demo_api_token(console)
    flows = _fetch_json(console.url + "/api/v1/flows?limit=1000", api_token)["flows"]
    log.info(
        "demo_run",
        pairs=processor.counters["pairs"],
        flows=len(flows),
        seconds=round(time.monotonic() - started, 3),
    )
    return DemoResult(
        console_url=console.url,
        api_token=api_token,
        flows=flows,
        interceptor=interceptor_counters.nonzero(),
        digger=dict(processor.counters),
        statsclient=statsclient,
    )


def _types_text(field: dict[str, Any]) -> tuple[str, str]:
    types = field["data_types"]
    names = ", ".join(t["type_id"] for t in types)
    rank = {"low": 1, "medium": 2, "high": 3}
    top = max((t["sensitivity"] for t in types), key=lambda s: rank.get(s, 0), default="")
    return names, top


def _asset_text(asset: dict[str, Any]) -> str:
    if asset["external"] and asset["kind"] == "external":
        return f"{asset['name']} (external)"
    return f"{asset['namespace']}/{asset['name']}" if asset["namespace"] else asset["name"]


def summary_lines(result: DemoResult) -> list[str]:
    """The table a person reads: one row per field that carries a data type."""
    header = ("FLOW", "ENDPOINT", "FIELD", "DATA TYPES", "SENSITIVITY")
    rows: list[tuple[str, str, str, str, str]] = []
    services: set[str] = set()
    endpoints: set[str] = set()
    type_counts: dict[str, int] = {}
    for flow in sorted(result.flows, key=lambda f: (f["source"]["name"], f["path_template"])):
        source, destination = _asset_text(flow["source"]), _asset_text(flow["destination"])
        services.update((source, destination))
        endpoint = f"{flow['method']} {flow['path_template']}"
        endpoints.add(f"{destination} {endpoint}")
        for direction in ("request", "response"):
            for field in flow[direction]:
                if not field["data_types"]:
                    continue
                names, top = _types_text(field)
                for t in field["data_types"]:
                    type_counts[t["type_id"]] = type_counts.get(t["type_id"], 0) + 1
                side = "req" if direction == "request" else "resp"
                rows.append(
                    (f"{source} -> {destination}", endpoint, f"{side} {field['path']}", names, top)
                )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.append("")
    lines.append(
        f"services: {len(services)}  endpoints: {len(endpoints)}  typed fields: {len(rows)}"
    )
    lines.append(
        "data types: "
        + ", ".join(
            f"{t} ({n})" for t, n in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    )
    return lines


@click.command("demo")
@click.option(
    "--pcap",
    "capture",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Capture to replay instead of the bundled sample.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the console keeps its SQLite database (default: a temporary directory).",
)
@click.option("--serve", is_flag=True, help="Keep the console and dashboard up until Ctrl-C.")
@click.option(
    "--port",
    "http_port",
    type=int,
    default=8080,
    show_default=True,
    help="Dashboard port with --serve (0 picks a free one).",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="warning",
    show_default=True,
)
def demo_command(
    capture: Path | None, data_dir: Path | None, serve: bool, http_port: int, log_level: str
) -> None:
    """Run interceptor -> digger -> detector -> console once and print what was found."""
    with ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="dsensor-demo-"))
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = DemoSettings(
            capture=capture or bundled_capture(),
            data_dir=data_dir,
            http_port=http_port if serve else 0,
            log=LoggingSettings.model_validate({"level": log_level}),
        )
        configure_logging(settings.log)
        token = secrets.token_urlsafe(24)
        try:
            console = stack.enter_context(running_console(settings, token))
            result = run_pipeline(settings, console, token)
        except Exception as exc:
            raise click.ClickException(f"demo failed: {type(exc).__name__}: {exc}") from None
        click.echo(
            f"dsensor demo: {result.digger.get('pairs', 0)} pairs from {settings.capture.name}"
        )
        click.echo("")
        for line in summary_lines(result):
            click.echo(line)
        click.echo("")
        if serve:
            username, password = demo_login(console)
            click.echo(f"console: {result.console_url}  (Ctrl-C to stop)")
            click.echo(f"log in as {username} with password {password}")
            click.echo(f"API: curl -H 'Authorization: Bearer {result.api_token}' ...")
            stop = threading.Event()
            with stop_on_signals(lambda _name: stop.set()):
                while not stop.wait(1.0):
                    pass
            click.echo("stopping")
        else:
            click.echo(f"console: {result.console_url} (stopped; --serve keeps it up)")
