"""Learned path segments: a position with many distinct literal values becomes `{var}`; a few
distinct resource names stay literal; memory stays bounded under random paths."""

from __future__ import annotations

import random
import string

from dsensor.v1 import pair_pb2

from sensor_dim.digger.assets import StaticResolver
from sensor_dim.digger.endpoints import join_template, template_segments
from sensor_dim.digger.learned_segments import VARIABLE, SegmentLearner
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from tests.digger.test_pipeline import KeyNameDetector

WORDS = ["red", "blue", "green", "shoe", "hat", "coat", "wool", "silk", "mini", "maxi"]


def _sku_words(count: int, seed: int = 3) -> list[str]:
    """Distinct lower-case word slugs with no digit: no built-in placeholder matches them."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < count:
        out.add("-".join(rng.sample(WORDS, 3)) + "-" + "".join(rng.choices("xyz", k=4)))
    return sorted(out)


def _template(learner: SegmentLearner, path: str, method: str = "GET", host: str = "shop") -> str:
    return join_template(learner.apply(method, host, template_segments(path)), False)


def test_many_distinct_sku_words_collapse_and_stay_collapsed() -> None:
    learner = SegmentLearner(threshold=100)
    skus = _sku_words(500)
    templates = [_template(learner, f"/shop/{sku}/reviews") for sku in skus]
    assert set(templates[100:]) == {f"/shop/{VARIABLE}/reviews"}
    assert len(set(templates)) == 100  # 99 literal ones before the collapse, then {var}
    assert learner.collapsed == 1
    # stable: a value first seen before the collapse now maps to the collapsed template
    assert _template(learner, f"/shop/{skus[0]}/reviews") == f"/shop/{VARIABLE}/reviews"
    # scoped by method and host: another host has not learned it
    other = _template(learner, f"/shop/{skus[0]}/reviews", host="other")
    assert other == f"/shop/{skus[0]}/reviews"


def test_few_resource_names_stay_literal() -> None:
    learner = SegmentLearner(threshold=100)
    rng = random.Random(5)
    resources = ["users", "orders", "payments", "invoices", "carts"]
    seen = {_template(learner, f"/api/v1/{rng.choice(resources)}/{rng.randrange(10**6)}")
            for _ in range(5000)}  # fmt: skip
    assert seen == {f"/api/v1/{r}/{{id}}" for r in resources}
    assert learner.collapsed == 0


def test_memory_stays_bounded_under_random_paths() -> None:
    learner = SegmentLearner(threshold=50, maxprefixes=1000)
    rng = random.Random(11)
    letters = string.ascii_lowercase
    for i in range(100_000):
        parts = ["".join(rng.choices(letters, k=rng.randrange(3, 12))) for _ in range(3)]
        # random hosts too: nothing collapses, so every path brings new prefixes
        learner.apply(rng.choice(["GET", "POST"]), f"h{rng.randrange(10**6)}", parts)
        if i % 1000 == 0:
            assert len(learner) <= 1000
    assert len(learner) == 1000
    assert learner.forgotten > 290_000  # about three new prefixes per path
    assert learner.tracked_values() <= 1000 * 50


def _pair(target: str) -> pair_pb2.HttpPair:
    pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000)
    pair.source.ip, pair.destination.ip, pair.destination.port = "10.0.0.1", "10.0.0.2", 80
    pair.request.method, pair.request.target = "GET", target
    pair.request.message.headers.add(name="Host", value="shop:80")
    return pair


def test_flows_before_the_collapse_are_kept_and_every_pair_is_counted() -> None:
    builder = MetadataBuilder()
    processor = PairProcessor(
        KeyNameDetector(), StaticResolver([]), builder, learner=SegmentLearner(threshold=20)
    )
    skus = _sku_words(200)
    processor.process_batch([_pair(f"/shop/{sku}?q=1") for sku in skus])
    flows = builder.drain()
    by_template = {f.endpoint.path_template: f.observed for f in flows}
    assert by_template[f"/shop/{VARIABLE}"] == 200 - 19
    assert sum(by_template.values()) == 200
    assert len(by_template) == 20
    serialized = b"".join(f.SerializeToString() for f in flows)
    assert not any(sku.encode() in serialized for sku in skus[100:])


def test_remembered_answers_learn_the_same_as_counting_every_pair() -> None:
    """Repeated paths take the remembered answer; the result and the collapse are the same as
    for a learner that counts every pair, and a collapse is seen by the very next pair."""
    rng = random.Random(8)
    skus = _sku_words(150)
    paths = [f"/shop/{rng.choice(skus[: 20 + i // 10])}/reviews" for i in range(1500)]
    learner = SegmentLearner(threshold=100)
    fresh = [_template(SegmentLearner(threshold=100), p) for p in paths[:1]]
    templates = [_template(learner, p) for p in paths]
    reference = SegmentLearner(threshold=100)
    expected = []
    for path in paths:  # a learner that never answers from memory
        expected.append(
            join_template(reference._learn("GET", "shop", template_segments(path))[0], False)
        )
    assert templates == expected
    assert fresh[0] == templates[0]
    assert learner.collapsed == reference.collapsed == 1
    assert templates[-1] == f"/shop/{VARIABLE}/reviews"
    # the answer is a new list each time: a caller changing it cannot change the next answer
    answer = learner.apply("GET", "shop", ["shop", "x", "reviews"])
    answer[0] = "changed"
    assert learner.apply("GET", "shop", ["shop", "x", "reviews"])[0] == "shop"


def test_remembered_answers_keep_busy_prefixes_when_the_table_is_full() -> None:
    learner = SegmentLearner(threshold=1000, maxprefixes=4)
    _template(learner, "/busy/a")
    busy = learner._prefixes["GET shop busy"]
    for i in range(200):
        _template(learner, "/busy/a")  # remembered after the first time
        _template(learner, f"/other{i}/x")  # new prefixes keep the table at its limit
    assert learner.forgotten > 150
    # the busy prefix was refreshed by its remembered answers: never forgotten and re-created
    assert learner._prefixes["GET shop busy"] is busy


def test_routes_by_raw_path_answer_as_the_segment_calls_do() -> None:
    """`route` remembers answers by the raw path; templates and collapses are those of `apply`
    on the split path, trailing slash kept, including right after a collapse."""
    rng = random.Random(9)
    skus = _sku_words(150)
    paths = [
        f"/shop/{rng.choice(skus[: 20 + i // 10])}/{rng.choice(tails)}"
        for i, tails in enumerate([["reviews", "reviews/", "7"]] * 1500)
    ]
    by_route, by_segments = SegmentLearner(threshold=100), SegmentLearner(threshold=100)
    for path in paths:
        learned, template = by_route.route("GET", "shop", path)
        expected = by_segments.apply("GET", "shop", template_segments(path))
        assert list(learned) == expected
        assert template == join_template(expected, path.endswith("/"))
    assert by_route.collapsed == by_segments.collapsed == 1
    assert by_route.route("GET", "shop", "/shop/new-thing/reviews/")[1] == "/shop/{var}/reviews/"
