"""Render the chart through Helm's own engine (helm-python-sdk, offline) and walk the result."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.harness.prereq import require

CHART = Path(__file__).resolve().parents[2] / "chart"
EXAMPLES = CHART.parent / "examples" / "values"
RELEASE = "dsensor"
NAMESPACE = "dsensor"
KUBE_VERSION = "1.30.0"

Obj = dict[str, Any]


def helm() -> Any:
    """The helm_python module, or a skip (a failure under CI) when it is not installed."""
    try:
        import helm_python
    except ImportError:  # pragma: no cover - depends on the environment
        require(False, "helm-python-sdk is not installed (pip install -e .[dev])")
        raise
    return helm_python


@functools.cache
def _chart() -> Any:
    return helm().Chart.load(CHART)


def render(values: Obj | None = None) -> list[Obj]:
    """Every manifest of one offline install render, parsed."""
    rendered = _chart().render(values or {}, name=RELEASE, namespace=NAMESPACE, is_install=True)
    docs: list[Obj] = []
    for path, text in sorted(rendered.items()):
        if path.endswith("NOTES.txt"):
            continue
        docs.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return docs


def render_error(values: Obj) -> str:
    """The message of a render that must fail (bad values caught by the schema or a template)."""
    errors = helm().HelmError
    try:
        _chart().render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    except errors as exc:
        return str(exc)
    raise AssertionError("the render succeeded")


def example(name: str) -> Obj:
    loaded = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def kinds(docs: list[Obj], kind: str) -> list[Obj]:
    return [d for d in docs if d["kind"] == kind]


def named(docs: list[Obj], kind: str, suffix: str) -> Obj:
    found = [d for d in kinds(docs, kind) if d["metadata"]["name"].endswith(suffix)]
    assert len(found) == 1, f"{kind} *{suffix}: {len(found)} found"
    return found[0]


def pod_specs(docs: list[Obj]) -> Iterator[tuple[str, Obj]]:
    """(workload name, pod spec) of every Deployment, DaemonSet and StatefulSet."""
    for doc in docs:
        if doc["kind"] in ("Deployment", "DaemonSet", "StatefulSet"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def containers(docs: list[Obj]) -> Iterator[tuple[str, Obj, Obj]]:
    """(workload name, pod spec, container) of every container, init containers included."""
    for name, spec in pod_specs(docs):
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            yield name, spec, container


def env_of(container: Obj) -> dict[str, Obj]:
    return {e["name"]: e for e in container.get("env", [])}


def config_file(docs: list[Obj], component: str) -> Obj:
    configmap = named(docs, "ConfigMap", f"-{component}")
    loaded = yaml.safe_load(configmap["data"]["config.yaml"])
    assert isinstance(loaded, dict)
    return loaded
