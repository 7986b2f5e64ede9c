"""Addresses named from the cluster's state; others fall back to configured names or the Host."""

from __future__ import annotations

from dsensor.v1 import metadata_pb2

from sensor_dim.digger.assets import Resolver
from sensor_dim.digger.kube_state import KubeState

_SERVICE_LABEL = "dsensor.io/service"
MAX_CACHED_ANSWERS = 16384


class KubeResolver:
    """A `Resolver` backed by KubeState (pods, services, nodes, owners).

    Answers are kept per (address, Host header) while the state's version is unchanged (any
    watch event clears them), so a busy digger does not rebuild the same Asset for every pair.
    Callers must not change the returned messages."""

    def __init__(self, state: KubeState, fallback: Resolver, cluster: str = "") -> None:
        self._state = state
        self._fallback = fallback
        self._cluster = cluster
        self._answers: dict[tuple[str, str], metadata_pb2.Asset] = {}
        self._version = -1

    def resolve(self, ip: str, host_header: str = "") -> metadata_pb2.Asset:
        version = self._state.version
        if version != self._version or len(self._answers) >= MAX_CACHED_ANSWERS:
            self._answers.clear()
            self._version = version
        answer = self._answers.get((ip, host_header))
        if answer is None:
            answer = self._answers[(ip, host_header)] = self._resolve(ip, host_header)
        return answer

    def _resolve(self, ip: str, host_header: str) -> metadata_pb2.Asset:
        workload = self._state.workload_for(ip)
        if workload is None:
            return self._fallback.resolve(ip, host_header)
        kind = (
            metadata_pb2.ASSET_KIND_SERVICE
            if workload.kind == "Service"
            else metadata_pb2.ASSET_KIND_WORKLOAD
        )
        labels = {}
        if _SERVICE_LABEL in workload.labels:
            labels["service"] = workload.labels[_SERVICE_LABEL]
        return metadata_pb2.Asset(
            kind=kind,
            name=workload.name,
            namespace=workload.namespace,
            workload_kind=workload.kind,
            cluster=self._cluster,
            labels=labels,
        )
