"""The e2e fixtures: one whole stack for the session, put back together after every test.

`e2e_stack` starts the topology once (services in namespaces, Kafka behind its own veth, the
interceptor, two diggers with remote detection, the detection-tool, the console, the fake
Kubernetes API): starting it is most of an e2e test's time. `e2e` hands it to a test after
`restore()`ing whatever an earlier test's fault left broken (a restart costs seconds: the test
that restarts both diggers, test_shedding.py, runs last). When the session ends, everything
every test left is searched for the canaries. Tests compare counts from before and
after their own traffic, never totals, so they do not depend on the order they run in.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from examples.services.fakedata import Canaries
from tests.e2e.broker import start_netns_kafka
from tests.e2e.privacy import leaks
from tests.e2e.stack import E2EStack
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.prereq import require_binary, require_root


@pytest.fixture(scope="session")
def e2e_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2EStack]:
    require_root("the end-to-end topology (network namespaces, live capture)")
    require_binary("ip")
    kafka = start_netns_kafka()
    try:
        with FakeKubeApi() as k8s:
            workdir = tmp_path_factory.mktemp("e2e") / "sensor"
            stack = E2EStack(workdir, kafka.broker, k8s, Canaries.generate(), kafka_link=kafka)
            try:
                stack.start(detection="remote")
                yield stack
                # once more at the end, over what every test left behind (the faults' spools,
                # the shedding test's restarted diggers): nothing that left a detector holds
                # a canary
                stack.restore()
                assert leaks(stack) == [], "a canary value left the detectors"
            finally:
                stack.close()
    finally:
        kafka.close()


@pytest.fixture
def e2e(e2e_stack: E2EStack) -> E2EStack:
    e2e_stack.restore()  # before, not after: the last test's damage is never repaired for nothing
    return e2e_stack
