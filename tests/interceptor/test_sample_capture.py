from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from examples.sample_traffic import make_sample_pcap as sample
from sensor_core.http_semantics import split_target
from sensor_dim.interceptor.pipeline import read_pairs

COMMITTED = sample.OUTPUT


def _template(target: str) -> str:
    return re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}", "/{id}", split_target(target)[0])


def test_committed_capture_is_reproducible_and_small(tmp_path: Path) -> None:
    fresh = sample.build_demo_capture(tmp_path / "demo.pcap")
    assert fresh.read_bytes() == COMMITTED.read_bytes(), "run make_sample_pcap.py to refresh it"
    assert COMMITTED.stat().st_size < 200_000


def test_sample_gives_exactly_the_expected_pairs() -> None:
    result = read_pairs(COMMITTED, select=False)
    expected = sample.expected_pairs()
    got = [
        (
            f"{p.destination.ip}:{p.destination.port}",
            p.request.method,
            _template(p.request.target),
            p.response.status,
            p.request.message.content_type,
            p.response.message.content_type,
        )
        for p in result.pairs
    ]
    assert got == [
        (
            e.dst,
            e.method,
            split_target(e.target)[0],
            e.status,
            e.request_content_type,
            e.response_content_type,
        )
        for e in expected
    ]
    for pair, exp in zip(result.pairs, expected, strict=True):
        assert pair.source.ip == sample.PODS[exp.client]
        assert not pair.unanswered
        assert not pair.request.message.flags
        assert not pair.response.message.flags
    c = result.counters
    assert c["tcp_out_of_order"] == 1
    assert c["tcp_retransmitted"] == 1
    assert c["tcp_gaps"] == 0


def test_selection_skips_healthz_and_html() -> None:
    result = read_pairs(COMMITTED)
    selected = [(p.request.method, _template(p.request.target)) for p in result.pairs]
    assert selected == [(e.method, split_target(e.target)[0]) for e in sample.expected_pairs(True)]
    assert ("GET", "/healthz") not in selected
    assert result.counters["pairs_skipped_path"] == 1
    assert result.counters["pairs_skipped_content_type"] == 1


def test_gzip_chunked_and_form_bodies_come_out_decoded() -> None:
    pairs = read_pairs(COMMITTED).pairs
    charge = json.loads(pairs[2].response.message.body)
    assert charge["status"] == "succeeded"
    profile = json.loads(pairs[1].response.message.body)
    assert profile["email"] == sample.DEFAULT_CANARIES["email"]
    orders = json.loads(pairs[5].response.message.body)
    assert len(orders["orders"]) == 12
    assert pairs[3].request.message.body.startswith(b"iban=")


def test_canaries_land_in_their_fields(tmp_path: Path) -> None:
    canaries = {
        "email": "canary-7f3a@example.net",
        "credit_card_number": sample.luhn_complete("4000", 16, __import__("random").Random(7)),
        "person_name": "Zebulon Canaryfield",
        "bearer_token": "canary-token-7f3a",
    }
    path = sample.build_demo_capture(tmp_path / "canary.pcap", canaries)
    pairs = read_pairs(path).pairs
    for key, value in canaries.items():
        index, side, field = sample.CANARY_FIELDS[key]
        message = getattr(pairs[index], side).message
        if field.startswith("header."):
            headers = {h.name.lower(): h.value for h in message.headers}
            assert value in headers[field.removeprefix("header.")]
        else:
            doc = json.loads(message.body)
            for part in field.removeprefix("$.").split("."):
                doc = doc[part]
            assert doc == value
    with pytest.raises(ValueError, match="unknown canary keys"):
        sample.build_demo_capture(tmp_path / "x.pcap", {"nope": "1"})


def test_luhn_helper_makes_valid_numbers() -> None:
    rng = __import__("random").Random(1)
    for _ in range(20):
        number = sample.luhn_complete("5", 16, rng)
        digits = [int(d) for d in number]
        checksum = sum(digits[-1::-2]) + sum(sum(divmod(d * 2, 10)) for d in digits[-2::-2])
        assert checksum % 10 == 0
