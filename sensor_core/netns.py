"""Pods on one machine without a cluster: one network namespace per name, routed via the host.

Each namespace gets `eth0` = 10.199.<s>.<4i+2>/30 with its default route to the host end of its
veth pair (10.199.<s>.<4i+1>), where forwarding is turned on for these interfaces only (never the
global switch). Capturing the host ends sees every packet between the pods, as an interceptor
does on a node. Needs root and the `ip` command (iproute2).

Names carry the creating process id (`dsdemo-<pid>-<name>`, veth `vd<pid>x<i>`), so
`remove_stale()` can delete what a killed run left behind, and a test can check that nothing
of a run remains (`existing(prefix)`). `NetnsTopology.close()` stops the processes it started
and deletes its namespaces (which removes the veths); it is safe to call more than once.
"""

from __future__ import annotations

import ipaddress
import os
import random
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sensor_core.logs import get_logger

log = get_logger("dsensor.netns")

PREFIX = "dsdemo-"
_OWNED = re.compile(rf"^{PREFIX}(\d+)-")


class NetnsError(RuntimeError):
    """An `ip` command failed; the message holds the command and its error text."""


def ip_cmd(*argv: str) -> str:
    try:
        out = subprocess.run(["ip", *argv], capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NetnsError(f"ip {' '.join(argv)}: {type(exc).__name__}") from None
    if out.returncode != 0:
        raise NetnsError(f"ip {' '.join(argv)} failed: {out.stderr.strip()}")
    return out.stdout


def existing(prefix: str = PREFIX) -> list[str]:
    """Names of the network namespaces starting with `prefix`."""
    names = [line.split()[0] for line in ip_cmd("netns", "list").splitlines() if line.strip()]
    return sorted(n for n in names if n.startswith(prefix))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale() -> int:
    """Delete the namespaces of runs whose process is gone (killed with SIGKILL); how many."""
    removed = 0
    for name in existing():
        owner = _OWNED.match(name)
        if owner and not _alive(int(owner.group(1))):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
            removed += 1
    if removed:
        log.info("netns_stale_removed", namespaces=removed)
    return removed


def _free_subnet() -> int:
    """A third octet s with no address of this host in 10.199.s.0/24."""
    used = set()
    for match in re.finditer(r"inet (10\.199\.\d+\.\d+)", ip_cmd("-4", "addr", "show")):
        used.add(ipaddress.ip_address(match.group(1)).packed[2])
    free = [s for s in range(256) if s not in used]
    if not free:
        raise NetnsError("no free 10.199.<s>.0/24 subnet on this host")
    return random.choice(free)


@dataclass(frozen=True)
class Pod:
    name: str
    netns: str
    host_if: str
    host_ip: str
    ip: str


@dataclass
class NetnsTopology:
    subnet: int
    pods: dict[str, Pod] = field(default_factory=dict)
    _procs: list[subprocess.Popen[Any]] = field(default_factory=list, repr=False)

    @property
    def host_interfaces(self) -> list[str]:
        return [p.host_if for p in self.pods.values()]

    def command(self, pod: str, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.pods[pod].netns, *argv]

    def popen(self, pod: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        """Start `argv` in `pod`'s namespace; `close()` stops it."""
        proc = subprocess.Popen(self.command(pod, argv), **kwargs)
        self._procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        self._procs.clear()
        for pod in self.pods.values():
            subprocess.run(["ip", "netns", "del", pod.netns], capture_output=True, check=False)
        if self.pods:
            log.info("netns_removed", namespaces=len(self.pods))
        self.pods.clear()


def _add_pod(topo: NetnsTopology, index: int, name: str) -> None:
    pid, base = os.getpid(), 4 * index
    pod = Pod(
        name=name,
        netns=f"{PREFIX}{pid}-{name}",
        host_if=f"vd{pid}x{index}",
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


def create_topology(names: list[str]) -> NetnsTopology:
    """One namespace per name (at most 63) in a free 10.199.<s>.0/24; undone on failure."""
    if len(names) > 63:
        raise ValueError("at most 63 pods fit in one /24 of /30s")
    remove_stale()
    topo = NetnsTopology(subnet=_free_subnet())
    try:
        for index, name in enumerate(names):
            _add_pod(topo, index, name)
    except BaseException:
        topo.close()
        raise
    log.info("netns_created", namespaces=len(names))
    return topo
