"""The whole sensor on one machine: sample services in namespaces, every component a process.

services (one netns each) --veth--> interceptor (root netns, captures the host ends)
  -> Kafka mock `events` -> two diggers (one consumer group, names from the Kubernetes API
  fake, remote detection-tool) -> console (SQLite); the crawler scans PostgreSQL, moto S3 and
  Kafka into the same console. `E2EStack.close()` stops every process and deletes every netns.

The e2e tests share one stack (tests/e2e/conftest.py): a test that damages it undoes the damage
itself, and `restore()` after every test brings back whatever is still missing (a stopped
process, a frozen or cut-off broker, the Kubernetes API, a digger's changed settings).
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from confluent_kafka import Producer

from examples.services.fakedata import Canaries
from examples.services.ready import command as ready_command
from tests.e2e.broker import NetnsKafka
from tests.e2e.procs import BIN, Component, http_get
from tests.e2e.topology import Topology, create_topology
from tests.harness import k8s_objects as k
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import KafkaBroker
from tests.harness.ports import free_port

SERVICES = ["frontend", "users", "orders", "payments", "paygate"]
PORT = 8080
NODE = "node-e2e"
# service -> (Kubernetes namespace, workload); paygate is not in the cluster: an external API
WORKLOADS = {
    "frontend": ("shop", "frontend"),
    "users": ("shop", "users"),
    "orders": ("shop", "orders"),
    "payments": ("payments", "payments"),
}
EXTERNAL_NAME = "api.paygate.example"


def kubeconfig(api: FakeKubeApi, path: Path) -> Path:
    cluster = {"name": "fake", "cluster": {"server": api.url}}
    context = {"name": "fake", "context": {"cluster": "fake", "user": "digger"}}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [cluster],
        "users": [{"name": "digger", "user": {"token": api.token}}],
        "contexts": [context],
        "current-context": "fake",
    }
    path.write_text(yaml.safe_dump(config))
    return path


@dataclass
class E2EStack:
    workdir: Path
    kafka: KafkaBroker
    k8s: FakeKubeApi
    canaries: Canaries
    topo: Topology | None = None
    components: dict[str, Component] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    api_token: str = ""
    stores: dict[str, str] = field(default_factory=dict)
    # the broker behind a veth (tests/e2e/broker.py), when it runs that way: its link can go down
    kafka_link: NetnsKafka | None = None
    # more namespaces on captured veths (benchmarks/e2e.py replays traffic from one), and more
    # addresses for the interceptor to monitor (the replayed servers)
    extra_pods: list[str] = field(default_factory=list)
    extra_addresses: list[str] = field(default_factory=list)
    k8s_down: bool = False
    _configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _stack: ExitStack = field(default_factory=ExitStack)

    # -- bring-up ------------------------------------------------------------------------------

    def start(self, detection: str = "inprocess") -> E2EStack:
        self.workdir.mkdir(parents=True, exist_ok=True)
        secret_dir = self.workdir.parent / "services"  # values live here: not searched
        secret_dir.mkdir(exist_ok=True)
        self.canaries.save(secret_dir / "canaries.json")
        self.topics = {n: KafkaBroker.new_topic(n) for n in ("events", "heartbeat", "iplist")}
        self._create_topics()
        self.topo = create_topology(SERVICES + self.extra_pods)
        self._stack.callback(self.topo.close)
        self._register_pods()
        self.tokens = {s: secrets.token_urlsafe(18) for s in ("digger-a", "digger-b", "crawler")}
        self.start_console()
        self.api_token = self._api_token()
        if detection == "remote":
            self._add("detection-tool", ["detection-tool"], self._detection_config()).start()
        started = [self._add("interceptor", ["interceptor"], self._interceptor_config())]
        for name in ("digger-a", "digger-b"):
            started.append(self._add(name, ["digger"], self._digger_config(name, detection)))
        self._start_services(secret_dir / "canaries.json")
        for component in started:  # together: the diggers join their group at the same time
            component.launch()
        for component in started:
            component.wait_ready(30)
        self._wait_services()
        return self

    def _create_topics(self) -> None:
        producer = Producer(self.kafka.producer_config())
        for topic in self.topics.values():  # the mock creates a topic on its first metadata request
            producer.list_topics(topic, timeout=10)
        producer.flush(5)

    def _register_pods(self) -> None:
        assert self.topo is not None
        self.k8s.add(k.make_node(NODE, "192.0.2.10"))
        for ns in {ns for ns, _ in WORKLOADS.values()}:
            self.k8s.add(k.make_namespace(ns))
        for service, (ns, app) in WORKLOADS.items():
            deploy = k.make_deployment(app, ns)
            rs = k.make_replicaset(f"{app}-6c8d", ns, owner=deploy)
            pod = k.make_pod(f"{app}-6c8d-x1", ns, self.topo.pods[service].ip, NODE, owner=rs)
            for obj in (deploy, rs, pod):
                self.k8s.add(obj)

    def _add(self, name: str, command: list[str], config: dict[str, Any]) -> Component:
        port = config["http"]["port"]
        component = Component(name, command, config, self.workdir, port)
        self.components[name] = component
        self._configs[name] = copy.deepcopy(config)
        self._stack.callback(component.stop)
        return component

    def console_config(self) -> dict[str, Any]:
        console = self.components.get("console")
        if console is not None:
            return console.config
        return {
            "grpc": {"host": "127.0.0.1", "port": free_port()},
            "http": {"host": "127.0.0.1", "port": free_port()},
            "datadir": str(self.workdir / "console"),
            "sensortokens": [{"sensorid": s, "token": t} for s, t in self.tokens.items()],
            "retention": {"maxage": "0", "events": "0"},
            "logging": {"format": "json"},
        }

    def start_console(self) -> None:
        if "console" in self.components:
            self.components["console"].start()
            return
        self._add("console", ["console"], self.console_config()).start()

    def _api_token(self) -> str:
        console = self.components["console"]
        out = subprocess.run(
            [str(BIN / "console"), "--config", str(console.config_path), "token", "create",
             "e2e", "--role", "readonly"],
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return out.stdout.strip().split()[-1]

    def _detection_config(self) -> dict[str, Any]:
        return {
            "grpc": {"host": "127.0.0.1", "port": free_port()},
            "http": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"format": "json"},
        }

    def _interceptor_config(self) -> dict[str, Any]:
        assert self.topo is not None
        return {
            "node": NODE,
            "sensorid": "interceptor-e2e",
            "capture": {
                "interfaces": self.topo.host_interfaces,
                "addresses": [p.ip for p in self.topo.pods.values()] + self.extra_addresses,
            },
            "kafka": {
                "connection": {"brokers": [self.kafka.bootstrap]},
                "eventstopic": self.topics["events"],
                "heartbeattopic": self.topics["heartbeat"],
                "iplisttopic": self.topics["iplist"],
                "linger": "20ms",
                "deliverytimeout": "60s",
                "heartbeatinterval": "1s",
            },
            "http": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"format": "json"},
            "shutdowntimeout": "10s",
        }

    def _digger_config(self, name: str, detection: str) -> dict[str, Any]:
        assert self.topo is not None
        console = self.components["console"].config
        config: dict[str, Any] = {
            "kafka": {"brokers": [self.kafka.bootstrap]},
            "eventstopic": self.topics["events"],
            "heartbeattopic": self.topics["heartbeat"],
            "consumergroup": f"diggers-{self.topics['events']}",
            "fetchwaitmax": "10ms",
            "flushinterval": "300ms",
            "healthinterval": "1s",
            "statsclient": {
                "address": f"127.0.0.1:{console['grpc']['port']}",
                "token": self.tokens[name],
                "sensorid": name,
                "clustername": "e2e",
                "flushinterval": "300ms",
                "timeout": "3s",
            },
            "kubernetes": {
                "enabled": True,
                "kubeconfig": str(kubeconfig(self.k8s, self.workdir / "kubeconfig")),
                "iplisttopic": self.topics["iplist"],
                "iplistinterval": "500ms",
            },
            "workloads": [
                {
                    "ip": self.topo.pods["paygate"].ip,
                    "name": EXTERNAL_NAME,
                    "namespace": "external",
                    "kind": "ExternalService",
                },
            ],
            "datadir": str(self.workdir / name),
            "http": {"host": "127.0.0.1", "port": free_port()},
            "logging": {"format": "json"},
            "shutdowntimeout": "15s",
        }
        if detection == "remote":
            port = self.components["detection-tool"].config["grpc"]["port"]
            # a short patience: an outage longer than it exercises redelivery, not just retries
            config["detection"] = {
                "mode": "remote",
                "address": f"127.0.0.1:{port}",
                "patience": "2s",
            }
        return config

    def _start_services(self, canaries: Path) -> None:
        assert self.topo is not None
        pods = self.topo.pods
        peers = {
            "orders": {"users": pods["users"].ip, "payments": pods["payments"].ip},
            "payments": {"paygate": pods["paygate"].ip},
        }
        for name in ("users", "orders", "payments", "paygate"):
            argv = [sys.executable, "-m", "examples.services.app", name,
                    "--listen", f"{pods[name].ip}:{PORT}", "--canaries", str(canaries)]  # fmt: skip
            for peer, ip in peers.get(name, {}).items():
                argv += ["--peer", f"{peer}={ip}:{PORT}"]
            self.topo.popen(name, argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _wait_services(self, timeout: float = 60) -> None:
        """Each service listening before any traffic: the frontend's client waits for users and
        orders only, and orders answers 502 while payments or paygate are still starting. Probed
        from each service's own namespace, so the probe never crosses a captured veth."""
        assert self.topo is not None
        for name in ("users", "orders", "payments", "paygate"):
            address = f"{self.topo.pods[name].ip}:{PORT}"
            out = self.topo.run(name, ready_command(address, timeout), timeout=timeout + 30)
            assert out.returncode == 0, f"{name}: {out.stderr[-2000:]}"

    # -- damage undone -------------------------------------------------------------------------

    def restart(self, *names: str, **overrides: Any) -> None:
        """Stop components and start them again, together, with their first settings plus
        `overrides`."""
        components = [self.components[name] for name in names]
        for component in components:
            component.terminate()
        for component in components:
            component.stop()
        for name, component in zip(names, components, strict=True):
            component.config = {**copy.deepcopy(self._configs[name]), **overrides}
            component.launch()
        for component in components:
            component.wait_ready(30)

    def stop_k8s(self) -> None:
        self.k8s.stop()
        self.k8s_down = True

    def restore(self) -> None:
        """Undo what a test left broken: broker thawed and linked, API up, every process as
        first configured and running."""
        if self.kafka.pid is not None:
            os.kill(self.kafka.pid, signal.SIGCONT)
        if self.kafka_link is not None:
            self.kafka_link.set_link(True)
        if self.k8s_down:
            self.k8s.restart()
            self.k8s_down = False
        broken = [
            name
            for name, component in self.components.items()
            if component.process is None
            or component.process.poll() is not None
            or component.config != self._configs[name]
        ]
        for group in (["console", "detection-tool"], ["interceptor", "digger-a", "digger-b"]):
            # the console and the detection-tool first: the others talk to them
            names = [name for name in group if name in broken]
            if names:
                self.restart(*names)

    # -- use -----------------------------------------------------------------------------------

    def drive(self, rounds: int, interval: float = 0.0, hot_logins: int = 0) -> dict[str, int]:
        assert self.topo is not None
        pods = self.topo.pods
        canaries = self.workdir.parent / "services" / "canaries.json"
        out = self.topo.run(
            "frontend",
            [sys.executable, "-m", "examples.services.drive",
             "--users", f"{pods['users'].ip}:{PORT}", "--orders", f"{pods['orders'].ip}:{PORT}",
             "--canaries", str(canaries), "--rounds", str(rounds),
             "--interval", str(interval), "--hot-logins", str(hot_logins)],
        )  # fmt: skip
        assert out.returncode == 0, (
            f"drive exited {out.returncode}: {out.stdout} {out.stderr[-2000:]}"
        )
        counts: dict[str, int] = json.loads(out.stdout)
        return counts

    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.components['console'].config['http']['port']}"

    def api(self, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.api_token}"}
        return json.loads(http_get(self.console_url() + path, headers))

    def wait_for(self, check: Any, timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.3)

    def close(self) -> None:
        for component in self.components.values():  # all stop at once; close() waits for each
            component.terminate()
        self._stack.close()
