"""Addresses named from the cluster's state; others fall back to configured names or the Host."""

from __future__ import annotations

from dsensor.v1 import metadata_pb2

from sensor_dim.digger.assets import Resolver
from sensor_dim.digger.kube_state import KubeState

_SERVICE_LABEL = "dsensor.io/service"


class KubeResolver:
    """A `Resolver` backed by KubeState (pods, services, nodes, owners)."""

    def __init__(self, state: KubeState, fallback: Resolver, cluster: str = "") -> None:
        self._state = state
        self._fallback = fallback
        self._cluster = cluster

    def resolve(self, ip: str, host_header: str = "") -> metadata_pb2.Asset:
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
