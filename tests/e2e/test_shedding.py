"""A slow consumer: diggers whose analysis budget is far below the offered load shed it fairly.

Both diggers are restarted with a tiny budget (the next test's `restore()` puts their settings back)
and one endpoint (POST /login) is made far busier than the others. Every endpoint must still be
analysed (a new endpoint is never starved), every pair must still be counted in the console
(counted-only pairs join their flow), and the busy endpoint must not take the budget.
"""

from __future__ import annotations

import pytest

from tests.e2e.datamap import counts_since, flow_counts
from tests.e2e.faults import digger_counter, now_ns
from tests.e2e.stack import E2EStack
from tests.e2e.test_faults import settle
from tests.e2e.test_pipeline import EXPECTED

pytestmark = [pytest.mark.privileged, pytest.mark.slow, pytest.mark.integration]
ROUNDS = 12
HOT_LOGINS = 9  # POST /login gets 10 pairs a round, every other flow 1
LOGIN = ("shop/frontend", "shop/users", "POST", "/login")
# far below the offered load: well under one analysis a second per digger
BUDGET = {"enabled": True, "rate": 0.05, "burst": 1, "globalrate": 0.5}


def test_slow_consumer_sheds_load_fairly(e2e: E2EStack) -> None:
    e2e.drive(rounds=1)
    settle(e2e, "the data map before the budget shrinks")
    e2e.restart("digger-a", "digger-b", sampling=BUDGET)
    counts = flow_counts(e2e)
    started_at = now_ns()
    sent = e2e.drive(rounds=ROUNDS, hot_logins=HOT_LOGINS)
    assert sent["failed"] == 0
    sent_per_flow = {key: ROUNDS for key in EXPECTED} | {LOGIN: ROUNDS * (1 + HOT_LOGINS)}
    settle(e2e, "the traffic under a small budget", started_at)
    # every pair the restarted diggers took is counted in the console, analysed or not (the
    # interceptor may emit a pair twice: sent counts are a lower bound, see test_fault_outages)
    pairs = digger_counter(e2e, "pipeline", "pairs")
    e2e.wait_for(
        lambda: sum(o for o, _ in counts_since(counts, flow_counts(e2e)).values()) >= pairs,
        30,
        "every pair counted in the console",
    )
    delta = counts_since(counts, flow_counts(e2e))
    assert sum(observed for observed, _ in delta.values()) == pairs
    assert all(delta[key][0] >= n for key, n in sent_per_flow.items()), delta
    analysed = {key: delta[key][1] for key in EXPECTED}
    # every endpoint analysed: a new one is never starved, however small the budget
    assert all(n >= 1 for n in analysed.values()), analysed
    # the load was shed: far fewer analyses than pairs
    assert sum(analysed.values()) * 4 <= pairs, analysed
    # fairly: the endpoint with 10x the traffic did not get 10x the analyses
    others = [n for key, n in analysed.items() if key != LOGIN]
    assert analysed[LOGIN] <= max(others) + 2, analysed
    # the diggers' own counters agree: every pair admitted or shed, shedding happened
    admitted = digger_counter(e2e, "sampler", "admitted")
    shed = digger_counter(e2e, "sampler", "shed")
    assert shed > 0
    assert admitted + shed == pairs
    assert admitted == digger_counter(e2e, "pipeline", "analysed")
