"""Naming the two ends of a pair: addresses become workloads, services or external hosts.

This first resolver knows the workloads it is configured with. The Kubernetes resolver (watches
of pods, services and endpoint slices) plugs in behind the same `Resolver` protocol.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import Protocol

from dsensor.v1 import metadata_pb2

from sensor_core.settings import Section

MAX_CACHED_ANSWERS = 16384


class KnownWorkload(Section):
    """One address the resolver can name without the Kubernetes API."""

    ip: str
    name: str
    namespace: str = "default"
    kind: str = "Deployment"


class Resolver(Protocol):
    def resolve(self, ip: str, host_header: str = "") -> metadata_pb2.Asset: ...


# every caller outside the cluster that resolved to no name, as one asset: the addresses of the
# people using a service are their personal data and would make one flow per client
PUBLIC_CALLERS = metadata_pb2.Asset(
    kind=metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS, name="internet", external=True
)


def caller_asset(asset: metadata_pb2.Asset) -> metadata_pb2.Asset:
    """The sender of a pair as the metadata names it: `asset`, or PUBLIC_CALLERS for a bare
    address outside the cluster (in-cluster addresses keep their IP: a node, a pod not watched)."""
    if asset.kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS and asset.external:
        return PUBLIC_CALLERS
    return asset


# address ranges a cluster's pods, services and nodes live in; anything else is outside
_INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
        "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10",
    )
)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _is_private(ip: str) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in _INTERNAL_NETWORKS)


@functools.lru_cache(maxsize=8192)
def _host_name(host_header: str) -> str:
    """`api.example.com:443` -> `api.example.com`; an IP literal or garbage -> ''."""
    host = host_header.strip().lower()
    if host.startswith("["):  # [v6]:port
        return ""
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if not host or len(host) > 253:
        return ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return ""
    labels = host.split(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    if all(label and set(label) <= allowed for label in labels):
        return host
    return ""


class StaticResolver:
    """Names addresses from a fixed list; others become external hosts or bare addresses."""

    def __init__(self, workloads: Iterable[KnownWorkload], cluster: str = "") -> None:
        self._by_ip = {w.ip: w for w in workloads}
        self._cluster = cluster
        # the answers never change: kept per (ip, Host header), bounded; callers do not mutate
        self._answers: dict[tuple[str, str], metadata_pb2.Asset] = {}

    def resolve(self, ip: str, host_header: str = "") -> metadata_pb2.Asset:
        answer = self._answers.get((ip, host_header))
        if answer is None:
            if len(self._answers) >= MAX_CACHED_ANSWERS:
                self._answers.clear()
            answer = self._answers[(ip, host_header)] = self._resolve(ip, host_header)
        return answer

    def _resolve(self, ip: str, host_header: str) -> metadata_pb2.Asset:
        known = self._by_ip.get(ip)
        if known is not None:
            return metadata_pb2.Asset(
                kind=metadata_pb2.ASSET_KIND_WORKLOAD,
                name=known.name,
                namespace=known.namespace,
                workload_kind=known.kind,
                cluster=self._cluster,
            )
        host = _host_name(host_header)
        if host and not _is_private(ip):
            return metadata_pb2.Asset(
                kind=metadata_pb2.ASSET_KIND_EXTERNAL, name=host, external=True
            )
        return metadata_pb2.Asset(
            kind=metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS,
            name=ip,
            external=not _is_private(ip),
        )
