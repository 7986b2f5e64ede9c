from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from dsensor.v1 import stats_pb2_grpc

from sensor_console.server import ConsoleServer
from tests.console.builders import console_settings


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    server = ConsoleServer(console_settings(tmp_path))
    server.start()
    yield server
    server.stop(0)


@pytest.fixture
def stub(console: ConsoleServer) -> Iterator[Any]:
    channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
    yield stats_pb2_grpc.StatsServiceStub(channel)  # type: ignore[no-untyped-call]
    channel.close()
