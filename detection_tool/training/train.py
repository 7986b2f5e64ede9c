"""Train the finding model on the project's generated corpus and write model_weights.json.

Run: .venv/bin/python -m detection_tool.training.train [--documents N] [--seed S] [--check]

Candidate findings come from the rules alone (no model, no confidence floor) on a training
corpus; each is labelled right or wrong from the corpus labels; a logistic regression (L2,
full-batch gradient descent, fixed iterations: the same seed gives the same weights) is fitted
and scored on a corpus generated from another seed. `--check` fails when the committed weights
differ from what the script produces.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from detection_tool.analysis import ValueAnalyzer
from detection_tool.model import FEATURES, WEIGHTS_FILE, feature_vector, weighed
from detection_tool.settings import DetectorSettings
from detection_tool.training.corpus import CorpusGenerator
from detection_tool.value_shape import ValueShape
from detection_tool.walk import walk_leaves

OUTPUT = Path(__file__).resolve().parent.parent / WEIGHTS_FILE
BLEND = 0.5


def candidates(documents: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(features, labels) of every rule-based candidate finding in a generated corpus."""
    analyzer = ValueAnalyzer(DetectorSettings(minconfidence=0.0, usemodel=False))
    generator = CorpusGenerator(seed)
    rows: list[list[float]] = []
    labels: list[float] = []
    for _ in range(documents):
        sample = generator.document()
        for leaf in walk_leaves(sample.doc, max_depth=64, max_elements=10, wildcard_arrays=False):
            found = analyzer.analyze(leaf.value, leaf.key, leaf.parent)
            if not found:
                continue
            value = leaf.value
            shape = ValueShape.of(value.strip() if isinstance(value, str) else str(value))
            expected = sample.labels.get(leaf.path, set())
            for finding in filter(weighed, found):
                rows.append(feature_vector(finding, shape))
                labels.append(float(finding.type_id in expected))
    return np.array(rows), np.array(labels)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000) -> np.ndarray:
    """Weights with the bias last; balanced classes so rare mistakes still count."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    positive = max(float(y.mean()), 1e-6)
    sample_weight = np.where(y == 1.0, 0.5 / positive, 0.5 / max(1.0 - positive, 1e-6))
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ ((p - y) * sample_weight) / len(y) + l2 * np.r_[w[:-1], 0.0]
        w -= 2.0 * grad
    return w


def evaluate(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    xb = np.hstack([x, np.ones((len(x), 1))])
    p = 1.0 / (1.0 + np.exp(-(xb @ w)))
    eps = 1e-9
    loss = float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
    # what the detector keeps: blended confidence over the default floor
    kept = (1 - BLEND) * x[:, 0] + BLEND * p >= 0.5
    rules = x[:, 0] >= 0.5
    return {
        "logloss": round(loss, 4),
        "kept_precision": round(float(y[kept].mean()) if kept.any() else 0.0, 4),
        "kept_recall": round(float(kept[y == 1].mean()) if (y == 1).any() else 0.0, 4),
        "rules_precision": round(float(y[rules].mean()) if rules.any() else 0.0, 4),
        "rules_recall": round(float(rules[y == 1].mean()) if (y == 1).any() else 0.0, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    x, y = candidates(args.documents, args.seed)
    w = fit(x, y)
    vx, vy = candidates(args.documents // 3, args.seed + 1000)
    held_out = evaluate(w, vx, vy)
    data = {
        "features": list(FEATURES),
        "weights": [round(float(v), 5) for v in w[:-1]],
        "bias": round(float(w[-1]), 5),
        "blend": BLEND,
        "trained_on": {"documents": args.documents, "seed": args.seed, "candidates": len(y)},
        "held_out": held_out,
    }
    text = json.dumps(data, indent=1) + "\n"
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text("utf-8") == text
        print("model weights are " + ("up to date" if same else "stale"))
        sys.exit(0 if same else 1)
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {OUTPUT.name}: {len(y)} candidates, held-out {held_out}")
    assert all(math.isfinite(v) for v in data["weights"])  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
