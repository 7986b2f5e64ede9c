"""`dsensor demo --live`: the sample services in network namespaces, captured live (root).

Each service (examples/services/: users, orders, payments, the external gateway, and the
frontend driver) runs in its own namespace (sensor_core.netns); the interceptor's live source
reads the host ends of the veths; the driver sends traffic for the given number of seconds; the
pairs go through the same in-process pipeline as the replay (sensor_core.demo_pipeline). The
namespaces and processes are removed on every exit: done, failed, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sensor_console.server import ConsoleServer
from sensor_core.demo_pipeline import (
    DONE,
    QUEUE_SIZE,
    DemoResult,
    DemoSettings,
    Producer,
    consume,
    deliver,
    log,
    new_processor,
)
from sensor_core.netns import NetnsTopology, create_topology
from sensor_dim.digger.assets import KnownWorkload
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.live import LiveCapture
from sensor_dim.interceptor.pipeline import PairPipeline
from sensor_dim.interceptor.settings import CaptureSettings, InterceptorLimits

SERVICES = ["frontend", "users", "orders", "payments", "paygate"]
PORT = 8080
# service -> (Kubernetes namespace, workload, kind); the gateway plays an external API
WORKLOADS = {
    "frontend": ("shop", "frontend", "Deployment"),
    "users": ("shop", "users", "Deployment"),
    "orders": ("shop", "orders", "Deployment"),
    "payments": ("payments", "payments", "Deployment"),
    "paygate": ("external", "api.paygate.example", "ExternalService"),
}
PEERS = {"orders": ("users", "payments"), "payments": ("paygate",)}
ROUNDS_PER_BATCH = 4
ROUND_INTERVAL_S = 0.1
SERVICE_START_S = 30
SETTLE_S = 1.0  # after the last request: the last packets reach the capture


class LiveUnavailableError(Exception):
    """Live mode cannot run here; the message says why and what to do."""


def services_root() -> Path:
    """The directory `examples.services` imports from (a source checkout)."""
    spec = importlib.util.find_spec("examples.services.app")
    if spec is None or spec.origin is None:
        raise LiveUnavailableError(
            "dsensor demo --live runs the sample services of a source checkout "
            "(examples/services/); run it from the repository (scripts/demo.sh --live)"
        )
    return Path(spec.origin).resolve().parents[2]


def check_live() -> Path:
    """Raise `LiveUnavailableError` unless live mode can run; the services' import root."""
    if os.geteuid() != 0:
        raise LiveUnavailableError(
            "dsensor demo --live needs root (it creates network namespaces and captures "
            "packets): run it with sudo, or without --live to replay the recorded capture "
            "of the same services"
        )
    if shutil.which("ip") is None:
        raise LiveUnavailableError("dsensor demo --live needs the `ip` command (iproute2)")
    return services_root()


def live_workloads(topo: NetnsTopology) -> list[KnownWorkload]:
    return [
        KnownWorkload(ip=topo.pods[s].ip, name=name, namespace=ns, kind=kind)
        for s, (ns, name, kind) in WORKLOADS.items()
    ]


class _LiveProducer(Producer):
    """Live capture on the given interfaces until `stop` is set; then open pairs are closed."""

    def __init__(self, interfaces: list[str], bus: queue.Queue[bytes], counters: Counters) -> None:
        super().__init__("demo-live-interceptor", bus, counters)
        self.interfaces = interfaces
        self.stop = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        capture = LiveCapture(CaptureSettings(interfaces=self.interfaces), self.counters)
        pipeline = PairPipeline(
            InterceptorLimits(),
            self.counters,
            lambda key, value: self.bus.put(value),
            node="demo",
        )
        try:
            capture.reconcile(self.interfaces)
            if len(capture.interfaces) != len(self.interfaces):
                raise RuntimeError("could not open a capture socket on every veth")
            self.ready.set()
            next_expire = time.monotonic() + 1.0
            while not self.stop.is_set():
                pipeline.feed(capture.read(0.2, 2000))
                if time.monotonic() >= next_expire:
                    next_expire = time.monotonic() + 1.0
                    pipeline.expire(time.time_ns())
            capture.update_kernel_counters()
            pipeline.close("shutdown")
        except Exception as exc:  # handed to the main thread, which reports it
            self.error = exc
        finally:
            self.ready.set()
            capture.close()
            self.bus.put(DONE)


class _Driver(threading.Thread):
    """Runs the services' driver in the frontend namespace in batches until the time is up."""

    def __init__(
        self, topo: NetnsTopology, canaries: Path, env: dict[str, str], seconds: float
    ) -> None:
        super().__init__(name="demo-driver", daemon=True)
        self.topo, self.canaries, self.env, self.seconds = topo, canaries, env, seconds
        self.stop = threading.Event()
        self.counts = {"rounds": 0, "requests": 0, "failed": 0, "batches": 0}
        self.error: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    def interrupt(self) -> None:
        """Stop now: no new batch, and the running one is terminated."""
        self.stop.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()

    def run(self) -> None:
        pods = self.topo.pods
        argv = [sys.executable, "-m", "examples.services.drive",
                "--users", f"{pods['users'].ip}:{PORT}", "--orders", f"{pods['orders'].ip}:{PORT}",
                "--canaries", str(self.canaries), "--rounds", str(ROUNDS_PER_BATCH),
                "--interval", str(ROUND_INTERVAL_S), "--wait", "20"]  # fmt: skip
        deadline = time.monotonic() + self.seconds
        while not self.stop.is_set() and (
            time.monotonic() < deadline or not self.counts["batches"]
        ):
            proc = self.topo.popen(
                "frontend", argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env
            )
            self.proc = proc
            out, _ = proc.communicate(timeout=120)
            if self.stop.is_set():
                return
            try:
                batch: dict[str, int] = json.loads(out)
            except ValueError:
                # the driver prints only counts; without them, the services did not answer
                self.error = f"the traffic driver failed (exit code {proc.returncode})"
                return
            for key in ("rounds", "requests", "failed"):
                self.counts[key] += int(batch.get(key, 0))
            self.counts["batches"] += 1


def run_live(
    settings: DemoSettings,
    console: ConsoleServer,
    token: str,
    seconds: float,
    stop: threading.Event,
) -> DemoResult:
    """Services in namespaces, driven for `seconds`, captured live into `console`; `stop`
    (set by a signal) ends the run early. Namespaces are removed before it returns or raises."""
    root = check_live()
    started = time.monotonic()
    counters = Counters()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    with ExitStack() as stack:
        topo = create_topology(SERVICES)
        stack.callback(topo.close)
        canaries = _canaries_file(stack)
        bus: queue.Queue[bytes] = queue.Queue(maxsize=QUEUE_SIZE)
        producer = _LiveProducer(topo.host_interfaces, bus, counters)
        stack.callback(producer.stop.set)
        producer.start()
        producer.ready.wait(30)
        _start_services(topo, canaries, env)
        driver = _Driver(topo, canaries, env, seconds)
        driver.start()
        stack.callback(driver.interrupt)  # before the namespaces go: no new batch starts
        threading.Thread(
            target=_stop_after, args=(driver, producer, stop), name="demo-stopper", daemon=True
        ).start()
        processor, builder = new_processor(live_workloads(topo))
        consume(bus, processor, producer)
        driver.stop.set()
        driver.join(timeout=30)
        if stop.is_set():
            raise KeyboardInterrupt
        if driver.error is not None:
            raise RuntimeError(driver.error)
    result = deliver(settings, console, token, processor, builder, counters.nonzero())
    result.driven = dict(driver.counts)
    log.info(
        "demo_run",
        mode="live",
        pairs=processor.counters["pairs"],
        requests=driver.counts["requests"],
        flows=len(result.flows),
        seconds=round(time.monotonic() - started, 3),
    )
    return result


def _stop_after(driver: _Driver, producer: _LiveProducer, stop: threading.Event) -> None:
    """Stop the capture when the driver is done (after a settle time) or on a signal."""
    while driver.is_alive() and not stop.is_set() and producer.is_alive():
        driver.join(timeout=0.2)
    if stop.is_set():
        driver.interrupt()
    else:
        stop.wait(SETTLE_S)
    driver.stop.set()
    producer.stop.set()


def _canaries_file(stack: ExitStack) -> Path:
    """This run's values of the services, outside the console's data directory."""
    import tempfile

    from examples.services.fakedata import Canaries

    directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dsensor-live-")))
    path = directory / "canaries.json"
    Canaries.generate().save(path)
    return path


def _start_services(topo: NetnsTopology, canaries: Path, env: dict[str, str]) -> None:
    from examples.services.ready import command as ready_command

    pods = topo.pods
    for name in ("users", "orders", "payments", "paygate"):
        argv = [sys.executable, "-m", "examples.services.app", name,
                "--listen", f"{pods[name].ip}:{PORT}", "--canaries", str(canaries)]  # fmt: skip
        for peer in PEERS.get(name, ()):
            argv += ["--peer", f"{peer}={pods[peer].ip}:{PORT}"]
        topo.popen(name, argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for name in ("users", "orders", "payments", "paygate"):
        # each one listening before traffic: orders answers 502 while its peers still start;
        # probed inside the service's own namespace, so no probe crosses a captured veth
        ready = ready_command(f"{pods[name].ip}:{PORT}", SERVICE_START_S)
        out = subprocess.run(
            topo.command(name, ready), capture_output=True, text=True, env=env, check=False
        )
        if out.returncode != 0:
            raise RuntimeError(f"the sample service {name} did not start: {out.stderr.strip()}")


def describe(result: DemoResult, seconds: float) -> str:
    driven: dict[str, Any] = result.driven
    return (
        f"dsensor demo --live: {result.digger.get('pairs', 0)} pairs captured live on "
        f"{len(SERVICES)} veths in {seconds:g} s ({driven.get('requests', 0)} requests sent, "
        f"{driven.get('failed', 0)} failed)"
    )
