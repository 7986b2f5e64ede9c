"""Which modules are compiled with mypyc (setup.py), and whether this tree's builds are fresh.

The interceptor's per-packet path (capture, frames, flows, HTTP/1.x, pairing) with the small
helpers it calls, and the detector's per-value path (walking documents, key context, value
recognizers and validators, the model, combining findings). Nothing here is imported at run
time by the services: setup.py reads the list, `scripts/setup.sh` and the tests ask whether a
source checkout's compiled modules are older than their sources. This module imports nothing
of the project, so the build can read it before any dependency is installed.
"""

from __future__ import annotations

import importlib
import importlib.machinery
from pathlib import Path

COMPILED_MODULES = (
    "detection_tool.analysis",
    "detection_tool.catalog",
    "detection_tool.detector",
    "detection_tool.exclusions",
    "detection_tool.findings",
    "detection_tool.keys",
    "detection_tool.model",
    "detection_tool.national_ids",
    "detection_tool.negatives",
    "detection_tool.parsing",
    "detection_tool.recognizers",
    "detection_tool.records",
    "detection_tool.shared_findings",
    "detection_tool.validators",
    "detection_tool.value_shape",
    "detection_tool.walk",
    "sensor_core.http_semantics",
    "sensor_dim.interceptor.connection",
    "sensor_dim.interceptor.content_coding",
    "sensor_dim.interceptor.counters",
    "sensor_dim.interceptor.flow_ended",
    "sensor_dim.interceptor.flow_model",
    "sensor_dim.interceptor.flow_reassembly",
    "sensor_dim.interceptor.flows",
    "sensor_dim.interceptor.frames",
    "sensor_dim.interceptor.http1",
    "sensor_dim.interceptor.http1_chunked",
    "sensor_dim.interceptor.http1_events",
    "sensor_dim.interceptor.http1_framing",
    "sensor_dim.interceptor.http1_head",
    "sensor_dim.interceptor.http1_message",
    "sensor_dim.interceptor.http1_reader",
    "sensor_dim.interceptor.pair_wire",
    "sensor_dim.interceptor.pairing",
    "sensor_dim.interceptor.pcap_file",
    "sensor_dim.interceptor.pipeline",
    "sensor_dim.interceptor.selection",
    "sensor_dim.interceptor.uninspected",
    "sensor_dim.interceptor.wire_numbers",
)

ROOT = Path(__file__).resolve().parents[1]


def _binaries(source: Path) -> list[Path]:
    stem = source.with_suffix("")
    return [
        path
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if (path := stem.with_name(stem.name + suffix)).exists()
    ]


def is_compiled(name: str) -> bool:
    """Whether the module `name` (imported now if it was not) runs from a compiled binary."""
    module = importlib.import_module(name)
    return str(module.__file__).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def build_state(root: Path = ROOT) -> tuple[list[str], list[str]]:
    """(modules compiled in this tree, stale compiled modules).

    mypyc compiles the modules together (one may use another's constants and layouts), so
    when any source is newer than the oldest binary, every compiled module is stale; so is a
    binary left from a module no longer compiled (it would shadow its source).
    """
    compiled: list[str] = []
    oldest = newest_source = 0.0
    for name in COMPILED_MODULES:
        source = root.joinpath(*name.split(".")).with_suffix(".py")
        binaries = _binaries(source)
        newest_source = max(newest_source, source.stat().st_mtime)
        if binaries:
            compiled.append(name)
            built = min(path.stat().st_mtime for path in binaries)
            oldest = built if not oldest else min(oldest, built)
    stale = compiled if compiled and newest_source > oldest else []
    return compiled, stale + orphan_binaries(root)


def orphan_binaries(root: Path = ROOT) -> list[str]:
    """Compiled modules of this tree's packages that are not in COMPILED_MODULES."""
    suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
    found: set[str] = set()
    for package in {name.split(".")[0] for name in COMPILED_MODULES}:
        for path in root.joinpath(package).rglob("*.so"):
            suffix = next((s for s in suffixes if path.name.endswith(s)), None)
            if suffix is None:
                continue
            name = ".".join((*path.relative_to(root).parent.parts, path.name[: -len(suffix)]))
            if name not in COMPILED_MODULES:
                found.add(name)
    return sorted(found)
