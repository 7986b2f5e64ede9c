"""Builders of complete Kubernetes objects (plain dicts) that the real client's models accept.

Every builder returns apiVersion, kind, metadata (uid, labels, ownerReferences when `owner` is
given), spec and status filled the way an apiserver would return them. Pass the result to
`k8s_api.add(...)`. `owner` takes another built object and makes it the controller owner.
"""

from __future__ import annotations

import uuid
from typing import Any

Obj = dict[str, Any]
CREATED = "2025-01-01T00:00:00Z"


def _meta(
    name: str, namespace: str | None, labels: dict[str, str] | None, owner: Obj | None
) -> Obj:
    meta: Obj = {
        "name": name,
        "uid": str(uuid.uuid4()),
        "creationTimestamp": CREATED,
        "labels": dict(labels or {}),
    }
    if namespace is not None:
        meta["namespace"] = namespace
    if owner is not None:
        meta["ownerReferences"] = [owner_reference(owner)]
    return meta


def owner_reference(owner: Obj) -> Obj:
    """A controller ownerReference pointing at `owner`."""
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def _container(name: str, image: str, port: int) -> Obj:
    return {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"containerPort": port, "protocol": "TCP", "name": "http"}],
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }


def _pod_spec(app: str, image: str, port: int, node: str | None = None) -> Obj:
    spec: Obj = {
        "containers": [_container(app, image, port)],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "schedulerName": "default-scheduler",
        "terminationGracePeriodSeconds": 30,
    }
    if node is not None:
        spec["nodeName"] = node
    return spec


def _template(app: str, image: str, port: int) -> Obj:
    return {"metadata": {"labels": {"app": app}}, "spec": _pod_spec(app, image, port)}


def make_namespace(name: str, labels: dict[str, str] | None = None) -> Obj:
    meta = _meta(name, None, {"kubernetes.io/metadata.name": name, **(labels or {})}, None)
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": meta,
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def make_node(name: str, ip: str, pod_cidr: str = "10.244.0.0/24") -> Obj:
    info = {
        "architecture": "amd64",
        "bootID": str(uuid.uuid4()),
        "containerRuntimeVersion": "containerd://1.7.13",
        "kernelVersion": "6.1.0-18-amd64",
        "kubeProxyVersion": "v1.30.0",
        "kubeletVersion": "v1.30.0",
        "machineID": uuid.uuid4().hex,
        "operatingSystem": "linux",
        "osImage": "Debian GNU/Linux 12 (bookworm)",
        "systemUUID": str(uuid.uuid4()),
    }
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": _meta(name, None, {"kubernetes.io/hostname": name}, None),
        "spec": {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]},
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
            "nodeInfo": info,
        },
    }


def make_pod(
    name: str,
    namespace: str,
    ip: str,
    node: str,
    owner: Obj | None = None,
    labels: dict[str, str] | None = None,
    image: str = "registry.example/app:1.0",
    port: int = 8080,
) -> Obj:
    owner_app = ((owner or {}).get("metadata", {}).get("labels") or {}).get("app")
    app = (labels or {}).get("app") or owner_app or name
    status = {
        "phase": "Running",
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "hostIP": "192.0.2.10",
        "startTime": CREATED,
        "qosClass": "BestEffort",
        "conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "PodScheduled", "status": "True"},
        ],
        "containerStatuses": [
            {
                "name": app,
                "image": image,
                "imageID": "registry.example/app@sha256:" + "0" * 64,
                "containerID": "containerd://" + uuid.uuid4().hex,
                "ready": True,
                "started": True,
                "restartCount": 0,
                "state": {"running": {"startedAt": CREATED}},
            }
        ],
    }
    spec = _pod_spec(app, image, port, node)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _meta(name, namespace, {"app": app, **(labels or {})}, owner),
        "spec": spec,
        "status": status,
    }


def make_service(
    name: str, namespace: str, cluster_ip: str, port: int = 80, target_port: int = 8080
) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, namespace, {"app": name}, None),
        "spec": {
            "type": "ClusterIP",
            "clusterIP": cluster_ip,
            "clusterIPs": [cluster_ip],
            "selector": {"app": name},
            "ports": [{"name": "http", "port": port, "targetPort": target_port, "protocol": "TCP"}],
            "sessionAffinity": "None",
        },
        "status": {"loadBalancer": {}},
    }


def make_endpointslice(service: str, namespace: str, pods: list[Obj], port: int = 8080) -> Obj:
    """An EndpointSlice of `service` listing the given pods' IPs (each with a targetRef)."""
    endpoints = [
        {
            "addresses": [p["status"]["podIP"]],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "nodeName": p["spec"].get("nodeName"),
            "targetRef": {
                "kind": "Pod",
                "name": p["metadata"]["name"],
                "namespace": namespace,
                "uid": p["metadata"]["uid"],
            },
        }
        for p in pods
    ]
    labels = {"kubernetes.io/service-name": service}
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": _meta(f"{service}-{uuid.uuid4().hex[:5]}", namespace, labels, None),
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": [{"name": "http", "port": port, "protocol": "TCP"}],
    }


def make_deployment(
    name: str, namespace: str, replicas: int = 1, image: str = "registry.example/app:1.0"
) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {**_meta(name, namespace, {"app": name}, None), "generation": 1},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": _template(name, image, 8080),
            "strategy": {"type": "RollingUpdate"},
        },
        "status": {"replicas": replicas, "readyReplicas": replicas, "observedGeneration": 1},
    }


def make_replicaset(name: str, namespace: str, owner: Obj | None = None, replicas: int = 1) -> Obj:
    """A ReplicaSet; with `owner` (a Deployment) it carries that Deployment's labels."""
    app = owner["metadata"]["name"] if owner is not None else name
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": _meta(name, namespace, {"app": app}, owner),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": app}},
            "template": _template(app, "registry.example/app:1.0", 8080),
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }


def make_statefulset(name: str, namespace: str, replicas: int = 1) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": _meta(name, namespace, {"app": name}, None),
        "spec": {
            "replicas": replicas,
            "serviceName": name,
            "selector": {"matchLabels": {"app": name}},
            "template": _template(name, "registry.example/db:1.0", 5432),
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }


def make_daemonset(name: str, namespace: str) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(name, namespace, {"app": name}, None),
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": _template(name, "registry.example/agent:1.0", 9100),
        },
        "status": {
            "currentNumberScheduled": 1,
            "desiredNumberScheduled": 1,
            "numberMisscheduled": 0,
            "numberReady": 1,
        },
    }


def make_cronjob(name: str, namespace: str, schedule: str = "*/5 * * * *") -> Obj:
    template = _template(name, "registry.example/batch:1.0", 8080)
    template["spec"]["restartPolicy"] = "OnFailure"
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": _meta(name, namespace, {"app": name}, None),
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": template}}},
        "status": {},
    }


def make_job(name: str, namespace: str, owner: Obj | None = None) -> Obj:
    """A Job; with `owner` (a CronJob) it is that CronJob's run."""
    app = owner["metadata"]["name"] if owner is not None else name
    template = _template(app, "registry.example/batch:1.0", 8080)
    template["spec"]["restartPolicy"] = "OnFailure"
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(name, namespace, {"app": app}, owner),
        "spec": {"template": template, "backoffLimit": 6, "completions": 1, "parallelism": 1},
        "status": {"active": 1, "startTime": CREATED},
    }
