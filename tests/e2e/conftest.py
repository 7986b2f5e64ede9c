"""The e2e fixture: the whole stack, fresh per test (faults change its state)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.services.fakedata import Canaries
from tests.e2e.stack import E2EStack
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import KafkaBroker
from tests.harness.prereq import require_binary, require_root


@pytest.fixture
def e2e(kafka_broker: KafkaBroker, k8s_api: FakeKubeApi, tmp_path: Path) -> Iterator[E2EStack]:
    require_root("the end-to-end topology (network namespaces, live capture)")
    require_binary("ip")
    stack = E2EStack(tmp_path / "sensor", kafka_broker, k8s_api, Canaries.generate())
    try:
        stack.start()
        yield stack
    finally:
        stack.close()
