"""Sampling: new endpoints always analysed, known ones at a bounded and fair rate, and pairs that
are only counted join their endpoint's flow without their path being read."""

from __future__ import annotations

import json

from dsensor.v1 import pair_pb2

from detection_tool.detector import Detector
from sensor_dim.digger.assets import KnownWorkload, StaticResolver
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from sensor_dim.digger.sampler import Sampler, SamplerLimits


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_new_endpoints_are_always_admitted_even_under_overload() -> None:
    clock = Clock()
    sampler = Sampler(SamplerLimits(rate=1, burst=1, globalrate=1), clock)
    assert sampler.visit("hot").analyse
    assert not any(sampler.visit("hot").analyse for _ in range(1000))
    assert all(sampler.visit(f"new-{i}").analyse for i in range(50))


def test_known_endpoint_rate_is_bounded() -> None:
    clock = Clock()
    sampler = Sampler(SamplerLimits(rate=2, burst=2, globalrate=1000), clock)
    admitted = 0
    for _ in range(100):  # 10 seconds of 10 pairs/s
        clock.now += 0.1
        admitted += sampler.visit("ep").analyse
    assert 19 <= admitted <= 23  # 2/s over 10 s, plus the first sight and the burst


def test_global_budget_is_shared_fairly() -> None:
    clock = Clock()
    sampler = Sampler(SamplerLimits(rate=100, burst=1, globalrate=10), clock)
    counts = {"hot": 0, "cold": 0}
    for step in range(1000):  # 10 s: "hot" sends 90 pairs/s, "cold" 10 pairs/s
        clock.now = step * 0.01
        key = "cold" if step % 10 == 0 else "hot"
        counts[key] += sampler.visit(key).analyse
    # a fair share of 10/s between two endpoints is 5/s each; the quiet one is not starved
    assert 40 <= counts["hot"] <= 60
    assert counts["cold"] >= 40
    assert sampler.shed > 800


def test_key_table_is_bounded() -> None:
    sampler = Sampler(SamplerLimits(maxendpoints=100), Clock())
    for i in range(1000):
        sampler.visit(i).template = f"/t/{i}"
    assert sampler.forgotten == 900
    assert len(sampler) == 100
    # a forgotten key starts again: analysed, with no template remembered
    again = sampler.visit(0)
    assert again.analyse
    assert again.template == ""
    assert sampler.visit(999).template == "/t/999"


def _pair(target: str, email: str) -> pair_pb2.HttpPair:
    pair = pair_pb2.HttpPair(unix_nanos=1)
    pair.source.ip, pair.source.port = "10.244.1.10", 40000
    pair.destination.ip, pair.destination.port = "10.244.2.20", 8080
    pair.request.method, pair.request.target = "PUT", target
    pair.request.message.content_type = "application/json"
    pair.request.message.body = json.dumps({"email": email}).encode()
    pair.response.status = 200
    return pair


def test_counted_pairs_join_the_analysed_flow() -> None:
    builder = MetadataBuilder()
    sampler = Sampler(SamplerLimits(rate=0.001, burst=1), Clock())
    processor = PairProcessor(Detector(), StaticResolver([]), builder, sampler)
    for i in range(20):
        processor.process(_pair("/people/jane.canary@example.org/settings", f"u{i}@example.org"))
    [flow] = builder.drain()
    assert (flow.observed, flow.analysed) == (20, 1)
    assert flow.endpoint.path_template == "/people/{email}/settings"
    assert b"jane.canary" not in flow.SerializeToString()
    assert processor.counters["analysed"] == 1


def _from(ip: str, target: str = "/orders/17") -> pair_pb2.HttpPair:
    pair = _pair(target, "x@example.org")
    pair.source.ip = ip
    return pair


def test_many_client_addresses_do_not_defeat_sampling() -> None:
    """10,000 callers that resolve to no workload (replayed, NAT'd, outside) share one bucket
    per endpoint: the endpoint is analysed at its budget, and the key table stays small."""
    clock = Clock()
    builder = MetadataBuilder()
    sampler = Sampler(SamplerLimits(rate=1, burst=2, globalrate=100), clock)
    checkout = KnownWorkload(ip="10.244.9.9", name="checkout", namespace="shop")
    processor = PairProcessor(Detector(), StaticResolver([checkout]), builder, sampler)
    for i in range(10_000):  # 10 s at 1,000 pairs/s, every pair from a new address
        clock.now = i / 1000
        # in-cluster addresses nobody names, and addresses outside the cluster
        ip = (
            f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
            if i % 2
            else f"203.0.{i // 256}.{i % 256}"
        )
        processor.process(_from(ip))
    analysed = processor.counters["analysed"]
    assert 1 + 2 + 8 <= analysed <= 1 + 2 + 11  # first sight, the burst, then 1/s for 10 s
    assert len(sampler) == 1  # one endpoint, one bucket for all its unresolved callers
    assert sampler.shed == 10_000 - analysed

    # a workload calling the known endpoint for the first time is a new flow: analysed at once
    processor.process(_from("10.244.9.9"))
    assert processor.counters["analysed"] == analysed + 1
    assert len(sampler) == 2
    flows = {(f.source.name, f.analysed) for f in builder.drain()}
    assert ("checkout", 1) in flows


def test_sampler_keys_stay_bounded_whatever_the_addresses() -> None:
    sampler = Sampler(SamplerLimits(rate=0.001, burst=1), Clock())
    processor = PairProcessor(Detector(), StaticResolver([]), MetadataBuilder(), sampler)
    for i in range(3000):  # three endpoints, a thousand new addresses each
        processor.process(_from(f"192.168.{i // 256}.{i % 256}", f"/items/{i % 3}x"))
    assert len(sampler) == 3
    assert processor.counters["analysed"] == 3
