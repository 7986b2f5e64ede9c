"""Two network namespaces joined by a veth pair, for live-capture tests (root only).

Gives `NetnsPair`: namespaces `ns_a`/`ns_b`, interfaces `if_a`/`if_b`, addresses `ip_a`/`ip_b`
(10.199.<n>.1 and .2 /30: test hosts of our own, the only non-loopback addresses tests may use),
`run(ns, argv)` and `popen(ns, argv)` through `ip netns exec`. `close()` kills the processes it
started and deletes both namespaces (which removes the veth pair).
"""

from __future__ import annotations

import random
import secrets
import subprocess
from dataclasses import dataclass, field
from typing import Any


def _ip(*argv: str) -> None:
    out = subprocess.run(["ip", *argv], capture_output=True, text=True, check=False, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(f"ip {' '.join(argv)} failed: {out.stderr.strip()}")


@dataclass
class NetnsPair:
    ns_a: str
    ns_b: str
    if_a: str
    if_b: str
    ip_a: str
    ip_b: str
    prefix_len: int = 30
    _procs: list[subprocess.Popen[Any]] = field(default_factory=list, repr=False)

    def command(self, ns: str, argv: list[str]) -> list[str]:
        if ns not in (self.ns_a, self.ns_b):
            raise ValueError(f"{ns} is not one of this pair's namespaces")
        return ["ip", "netns", "exec", ns, *argv]

    def run(self, ns: str, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[Any]:
        """Run `argv` inside `ns` and wait (check=False, output captured, 60 s timeout)."""
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("timeout", 60)
        return subprocess.run(self.command(ns, argv), check=False, **kwargs)

    def popen(self, ns: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        """Start `argv` inside `ns`; it is killed at cleanup if still running."""
        proc = subprocess.Popen(self.command(ns, argv), **kwargs)
        self._procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        self._procs.clear()
        for ns in (self.ns_a, self.ns_b):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def create_pair() -> NetnsPair:
    """Create the namespaces, the veth pair and the addresses; undo everything on failure."""
    tag = secrets.token_hex(3)
    subnet = random.randrange(256)
    pair = NetnsPair(
        ns_a=f"dsx-{tag}-a",
        ns_b=f"dsx-{tag}-b",
        if_a=f"vdx{tag}a",
        if_b=f"vdx{tag}b",
        ip_a=f"10.199.{subnet}.1",
        ip_b=f"10.199.{subnet}.2",
    )
    try:
        _ip("netns", "add", pair.ns_a)
        _ip("netns", "add", pair.ns_b)
        _ip("link", "add", pair.if_a, "netns", pair.ns_a, "type", "veth",
            "peer", "name", pair.if_b, "netns", pair.ns_b)  # fmt: skip
        for ns, ifname, ip in (
            (pair.ns_a, pair.if_a, pair.ip_a),
            (pair.ns_b, pair.if_b, pair.ip_b),
        ):
            _ip("-n", ns, "addr", "add", f"{ip}/{pair.prefix_len}", "dev", ifname)
            _ip("-n", ns, "link", "set", ifname, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
    except BaseException:
        pair.close()
        raise
    return pair
