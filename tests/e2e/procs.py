"""dsensor components as real processes: `<command> --config FILE`, logs to a file, probes.

`Component.start()` writes the YAML, starts the command from the venv's bin directory in its own
process group and waits for `/readyz` (or `/healthz`) on its HTTP port (`launch()` and
`wait_ready()` do the two halves, to start several at once); `stop()` sends SIGTERM and waits,
killing only if it must (`terminate()` only signals, to stop several at once). Ports come from
`tests.harness.ports.free_port()`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BIN = Path(sys.executable).parent


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 5) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read()
        return data


@dataclass
class Component:
    name: str
    command: list[str]
    config: dict[str, Any]
    workdir: Path
    http_port: int
    probe: str = "/readyz"
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    @property
    def config_path(self) -> Path:
        return self.workdir / f"{self.name}.yaml"

    def start(self, timeout: float = 30) -> Component:
        self.launch()
        self.wait_ready(timeout)
        return self

    def launch(self) -> Component:
        """Start the process without waiting for it to be ready (`wait_ready` does)."""
        self.config_path.write_text(yaml.safe_dump(self.config))
        argv = [str(BIN / self.command[0]), *self.command[1:], "--config", str(self.config_path)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.http_port}{self.probe}"
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            with contextlib.suppress(OSError, urllib.error.URLError):
                http_get(url, timeout=2)
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready within {timeout}s")
            time.sleep(0.2)

    def metrics(self) -> bytes:
        return http_get(f"http://127.0.0.1:{self.http_port}/metrics")

    def signal(self, signum: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signum)

    def terminate(self) -> None:
        """Ask the process to stop (SIGTERM) without waiting: `stop()` waits."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 30) -> int | None:
        proc, self.process = self.process, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        return proc.returncode

    def kill(self) -> None:
        proc, self.process = self.process, None
        if proc is not None:
            proc.kill()
            proc.wait(timeout=10)


def counter_value(metrics_text: bytes, family: str, **labels: str) -> float:
    """The sum of `family`'s samples (with `_total`) whose labels include `labels`; 0 if none."""
    from prometheus_client.parser import text_string_to_metric_families

    total = 0.0
    for metric in text_string_to_metric_families(metrics_text.decode()):
        if metric.name != family:
            continue
        for sample in metric.samples:
            if sample.name.endswith("_total") and labels.items() <= sample.labels.items():
                total += sample.value
    return total
