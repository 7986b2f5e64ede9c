from __future__ import annotations

from collections.abc import Iterator

import pytest

from detection_tool.server import RunningServer, serve
from detection_tool.settings import DetectionToolSettings


@pytest.fixture
def running_server() -> Iterator[RunningServer]:
    """A real detection service on loopback, gRPC and HTTP on free ports."""
    settings = DetectionToolSettings.model_validate(
        {"grpc": {"host": "127.0.0.1", "port": 0}, "http": {"host": "127.0.0.1", "port": 0}}
    )
    running = serve(settings)
    try:
        yield running
    finally:
        running.stop(grace=1.0)
