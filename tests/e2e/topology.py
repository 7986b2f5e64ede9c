"""Pods on one node, without a cluster: one network namespace per service, routed via the root.

Each service namespace gets `eth0` = 10.199.<s>.<4i+2>/30 with its default route to the host end
of its veth pair (10.199.<s>.<4i+1>, in the root namespace), where forwarding is turned on for our
own interfaces only (never the global switch). The interceptor runs in the root namespace and
captures the host ends, as it does on a node. `close()` kills what it started and deletes the
namespaces (which removes the veths).
"""

from __future__ import annotations

import random
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def ip_cmd(*argv: str) -> None:
    out = subprocess.run(["ip", *argv], capture_output=True, text=True, check=False, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(f"ip {' '.join(argv)} failed: {out.stderr.strip()}")


@dataclass(frozen=True)
class Pod:
    name: str
    netns: str
    host_if: str
    host_ip: str
    ip: str


@dataclass
class Topology:
    tag: str
    subnet: int
    pods: dict[str, Pod] = field(default_factory=dict)
    _procs: list[subprocess.Popen[Any]] = field(default_factory=list, repr=False)

    def popen(self, pod: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        proc = subprocess.Popen(["ip", "netns", "exec", self.pods[pod].netns, *argv], **kwargs)
        self._procs.append(proc)
        return proc

    def run(
        self, pod: str, argv: list[str], timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ip", "netns", "exec", self.pods[pod].netns, *argv],
            capture_output=True, text=True, check=False, timeout=timeout,
        )  # fmt: skip

    @property
    def host_interfaces(self) -> list[str]:
        return [p.host_if for p in self.pods.values()]

    def set_link(self, pod: str, up: bool) -> None:
        ip_cmd("link", "set", self.pods[pod].host_if, "up" if up else "down")

    def close(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        self._procs.clear()
        for pod in self.pods.values():
            subprocess.run(["ip", "netns", "del", pod.netns], capture_output=True, check=False)


def _add_pod(topo: Topology, index: int, name: str) -> Pod:
    base = 4 * index
    pod = Pod(
        name=name,
        netns=f"dse-{topo.tag}-{name}",
        host_if=f"ve{topo.tag}{index}",
        host_ip=f"10.199.{topo.subnet}.{base + 1}",
        ip=f"10.199.{topo.subnet}.{base + 2}",
    )
    topo.pods[name] = pod  # registered first: close() deletes it even if a step below fails
    ip_cmd("netns", "add", pod.netns)
    ip_cmd("link", "add", pod.host_if, "type", "veth", "peer", "name", "eth0", "netns", pod.netns)
    ip_cmd("addr", "add", f"{pod.host_ip}/30", "dev", pod.host_if)
    ip_cmd("link", "set", pod.host_if, "up")
    Path(f"/proc/sys/net/ipv4/conf/{pod.host_if}/forwarding").write_text("1\n")
    ip_cmd("-n", pod.netns, "addr", "add", f"{pod.ip}/30", "dev", "eth0")
    ip_cmd("-n", pod.netns, "link", "set", "eth0", "up")
    ip_cmd("-n", pod.netns, "link", "set", "lo", "up")
    ip_cmd("-n", pod.netns, "route", "add", "default", "via", pod.host_ip)
    return pod


def create_topology(names: list[str]) -> Topology:
    """One namespace per name (at most 63), all in one random 10.199.<s>.0/24."""
    topo = Topology(tag=secrets.token_hex(3), subnet=random.randrange(256))
    try:
        for index, name in enumerate(names):
            _add_pod(topo, index, name)
    except BaseException:
        topo.close()
        raise
    return topo
