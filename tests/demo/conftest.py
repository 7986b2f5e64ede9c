"""Fixtures for running the demo pipeline in-process against a real console on loopback."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sensor_console.server import ConsoleServer
from sensor_core.demo import (
    DemoResult,
    DemoSettings,
    run_pipeline,
    running_console,
    services_capture,
)
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings


@dataclass
class DemoRun:
    result: DemoResult
    capture: Path
    console: ConsoleServer
    data_dir: Path
    logs: io.StringIO


def run_demo(capture: Path, data_dir: Path) -> Iterator[DemoRun]:
    """The demo pipeline with debug logs captured; the console stays up while the caller looks."""
    logs = io.StringIO()
    log_settings = LoggingSettings(level="debug", format="json")
    configure_logging(log_settings, stream=logs)
    settings = DemoSettings(capture=capture, data_dir=data_dir, log=log_settings)
    token = secrets.token_urlsafe(16)
    with running_console(settings, token) as console:
        yield DemoRun(run_pipeline(settings, console, token), capture, console, data_dir, logs)


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRun]:
    yield from run_demo(services_capture(), tmp_path_factory.mktemp("demo"))
