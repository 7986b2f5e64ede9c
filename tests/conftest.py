"""Fixtures every test can use: real servers and our two HTTP fakes (see tests/harness/).

Session-scoped (started once, shared; use unique names): `postgres`, `kafka_broker`,
`s3_server`. Per test (cheap, isolated state): `k8s_api`, `vault`, `netns_pair` (root).
Tests that use a server fixture get the `integration` marker, `netns_pair` users `privileged`.
A missing prerequisite skips on a laptop and fails under CI=true. The session refuses to start
when the compiled interceptor modules are older than their sources (run scripts/setup.sh).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from sensor_core.compiled import build_state
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import KafkaBroker, kafka_from_env, start_mock_cluster
from tests.harness.netns import NetnsPair, create_pair
from tests.harness.postgres import PostgresCluster, find_bindir, start_cluster
from tests.harness.prereq import require, require_binary, require_root
from tests.harness.s3 import S3Server, start_s3
from tests.harness.vault_fake import FakeVault

INTEGRATION_FIXTURES = {"postgres", "kafka_broker", "s3_server", "k8s_api", "vault"}
PRIVILEGED_FIXTURES = {"netns_pair"}


def pytest_sessionstart(session: pytest.Session) -> None:
    _compiled, stale = build_state()
    if stale:
        pytest.exit(
            f"{len(stale)} compiled modules (mypyc) are older than their sources, e.g. "
            f"{stale[0]}: run scripts/setup.sh to rebuild them",
            returncode=2,
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & INTEGRATION_FIXTURES:
            item.add_marker(pytest.mark.integration)
        if names & PRIVILEGED_FIXTURES:
            item.add_marker(pytest.mark.privileged)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    require(find_bindir() is not None, "PostgreSQL server binaries (Debian postgresql)")
    if os.geteuid() == 0:
        require_binary("runuser")
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[KafkaBroker]:
    real = kafka_from_env()
    if real is not None:
        yield real
        return
    broker = start_mock_cluster()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = start_s3()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def k8s_api() -> Iterator[FakeKubeApi]:
    with FakeKubeApi() as api:
        yield api


@pytest.fixture
def vault() -> Iterator[FakeVault]:
    with FakeVault() as fake:
        yield fake


@pytest.fixture
def netns_pair() -> Iterator[NetnsPair]:
    require_root("network namespaces")
    require_binary("ip")
    pair = create_pair()
    try:
        yield pair
    finally:
        pair.close()
