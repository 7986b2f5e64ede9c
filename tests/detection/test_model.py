"""The learned component: bundled weights, what it weighs, reproducible training."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from detection_tool import Detector
from detection_tool.model import FEATURES, FindingModel, feature_vector, weighed
from detection_tool.settings import DetectorSettings
from detection_tool.value_shape import ValueShape, is_placeholder

from .helpers import luhn_complete, type_ids


def test_bundled_weights_match_the_features() -> None:
    model = FindingModel.bundled()
    assert len(model.weights) == len(FEATURES)
    assert 0.0 < model.blend < 1.0


def test_weights_with_other_features_are_refused() -> None:
    text = json.dumps({"features": ["a"], "weights": [1.0], "bias": 0.0, "blend": 0.5})
    with pytest.raises(ValueError, match="do not match"):
        FindingModel.from_json(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("N/A", True), ("[REDACTED]", True), ("***", True), ("not provided", True), ("", True),
        ("xxxx", True), ("Ana", False), ("s3cr3t!pass", False), ("Main Street 5", False),
    ],
)  # fmt: skip
def test_placeholder_words(text: str, expected: bool) -> None:
    assert is_placeholder(text) is expected


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("password", "[REDACTED]"),
        ("first_name", "unknown"),
        ("api_key", "********"),
        ("medication", "not provided"),
        ("customer_name", "Unknown"),
    ],
)
def test_placeholders_under_sensitive_keys_are_not_reported(key: str, value: str) -> None:
    rules_only = Detector(DetectorSettings(usemodel=False))
    learned = Detector()
    assert rules_only.detect_document({key: value}) != {}  # the rules alone would report it
    assert learned.detect_document({key: value}) == {}


def test_real_values_under_the_same_keys_stay() -> None:
    result = Detector().detect_document({"password": "hunter2!x", "first_name": "Ana"})
    assert type_ids(result) == {
        "$.password": ["password"],
        "$.first_name": ["first_name"],
    }
    assert any(r.startswith("model:") for r in result["$.password"][0].reasons)


def test_checksum_confirmed_findings_are_not_weighed() -> None:
    result = Detector().detect_document({"card_number": luhn_complete("411111111111111")})
    (finding,) = result["$.card_number"]
    assert not weighed(finding)
    assert not any(r.startswith("model:") for r in finding.reasons)


def test_feature_vector_is_value_free_numbers() -> None:
    (finding,) = Detector(DetectorSettings(usemodel=False)).detect_document({"first_name": "Ana"})[
        "$.first_name"
    ]
    x = feature_vector(finding, ValueShape.of("Ana"))
    assert len(x) == len(FEATURES)
    assert all(isinstance(v, float) for v in x)


def test_training_is_reproducible() -> None:
    pytest.importorskip("faker")  # dev dependency: the corpus generator
    from detection_tool.training.train import candidates, fit

    x1, y1 = candidates(40, seed=3)
    x2, y2 = candidates(40, seed=3)
    assert (x1 == x2).all()
    assert (y1 == y2).all()
    w1, w2 = fit(x1, y1, steps=50), fit(x2, y2, steps=50)
    assert (w1 == w2).all()
    assert 0 < y1.sum() < len(y1)  # both right and wrong candidates to learn from


@pytest.mark.slow
def test_the_bundled_weights_are_what_the_trainer_writes() -> None:
    """`python -m detection_tool.training.train --check`: the shipped model_weights.json is
    exactly what the script trains from the project's corpus (no hand-edited weights, and a
    corpus change that needs a retrain is caught)."""
    pytest.importorskip("faker")
    run = subprocess.run(
        [sys.executable, "-m", "detection_tool.training.train", "--check"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "up to date" in run.stdout
