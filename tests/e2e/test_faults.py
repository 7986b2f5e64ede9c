"""Faults on purpose, each its own test: the console away, a digger killed, the broker frozen,
the Kubernetes API down. Each runs on the shared stack and is undone after it (conftest)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.e2e.datamap import data_map
from tests.e2e.faults import (
    OUTAGE_SECONDS,
    batch_surplus,
    flows_seen_after,
    group_lag,
    now_ns,
    spooled_files,
    statsclient,
    stored_batches,
)
from tests.e2e.procs import counter_value
from tests.e2e.stack import E2EStack
from tests.e2e.test_pipeline import EXPECTED

pytestmark = [pytest.mark.privileged, pytest.mark.slow, pytest.mark.integration]


def settle(e2e: E2EStack, what: str, since_ns: int = 0) -> None:
    e2e.wait_for(lambda: set(EXPECTED) <= flows_seen_after(e2e, since_ns), 40, what)
    e2e.wait_for(lambda: group_lag(e2e) == 0, 30, "the digger group to commit every pair")


def test_console_outage_spools_and_resends_once(e2e: E2EStack) -> None:
    e2e.drive(rounds=3)
    settle(e2e, "the data map before the outage")
    surplus = batch_surplus(e2e)  # batches of the crawler and of earlier digger processes
    dropped = statsclient(e2e, "dropped_batches")
    e2e.components["console"].stop()
    down_at = now_ns()
    e2e.drive(rounds=4)
    e2e.wait_for(lambda: statsclient(e2e, "spooled_batches") > 0, 20, "batches to be spooled")
    time.sleep(OUTAGE_SECONDS)
    assert spooled_files(e2e) > 0
    e2e.start_console()
    e2e.wait_for(lambda: statsclient(e2e, "resent_batches") > 0, 30, "spooled batches resent")
    e2e.wait_for(lambda: spooled_files(e2e) == 0, 30, "the spool to empty")
    settle(e2e, "the outage's traffic in the console", down_at)
    assert set(data_map(e2e)) == set(EXPECTED)
    assert statsclient(e2e, "dropped_batches") == dropped
    # every batch the console accepted (first sends and resends) is stored exactly once
    assert stored_batches(e2e) > surplus
    assert batch_surplus(e2e) == surplus


def test_digger_killed_the_other_takes_over(e2e: E2EStack) -> None:
    e2e.drive(rounds=2)
    settle(e2e, "the data map before the kill")
    e2e.components["digger-a"].kill()
    killed_at = now_ns()
    e2e.drive(rounds=4)
    settle(e2e, "every flow after the kill, through digger-b", killed_at)
    assert set(data_map(e2e)) == set(EXPECTED)
    survivor = e2e.components["digger-b"].metrics()
    assert counter_value(survivor, "dsensor_digger_statsclient", event="dropped_batches") == 0


def test_broker_frozen_capture_continues_and_delivery_resumes(e2e: E2EStack) -> None:
    e2e.drive(rounds=2)
    settle(e2e, "the data map before the freeze")
    interceptor = e2e.components["interceptor"]
    queued_before = counter_value(interceptor.metrics(), "dsensor_interceptor_pairs_queued")
    assert e2e.kafka.pid is not None
    os.kill(e2e.kafka.pid, signal.SIGSTOP)
    frozen_at = now_ns()
    try:
        e2e.drive(rounds=4)
        metrics = interceptor.metrics()
        # capture goes on while the broker is away: pairs queue up (or are dropped and counted)
        queued = counter_value(metrics, "dsensor_interceptor_pairs_queued")
        dropped = counter_value(metrics, "dsensor_interceptor_output_queue_drops")
        assert queued + dropped >= queued_before + 4 * 5
        time.sleep(OUTAGE_SECONDS)
    finally:
        os.kill(e2e.kafka.pid, signal.SIGCONT)
    settle(e2e, "delivery to resume after the freeze", frozen_at)
    metrics = interceptor.metrics()
    delivered = counter_value(metrics, "dsensor_interceptor_pairs_delivered")
    dropped = counter_value(metrics, "dsensor_interceptor_output_queue_drops")
    assert delivered + dropped == counter_value(metrics, "dsensor_interceptor_pairs_queued")


def test_kubernetes_api_down_cached_names_keep_working(e2e: E2EStack) -> None:
    e2e.drive(rounds=2)
    settle(e2e, "the data map before the API goes away")
    e2e.stop_k8s()  # every watch ends and new connections are refused from here on
    down_at = now_ns()
    e2e.drive(rounds=3)
    settle(e2e, "traffic after the API went away", down_at)
    # the names still come from the diggers' last known state: no bare addresses appear
    assert set(data_map(e2e)) == set(EXPECTED)
    for name in ("digger-a", "digger-b"):
        process = e2e.components[name].process
        assert process is not None
        assert process.poll() is None
