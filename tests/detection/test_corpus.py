"""The labelled corpus end to end (small): documents and record sets score as the benchmark."""

from __future__ import annotations

import random

import pytest

from detection_tool import Detector
from detection_tool.training.evaluate import Scores, f_beta
from sensor_core.jsonpaths import ROOT, child_path, index_path

pytest.importorskip("faker")  # dev dependency of the corpus generator

from detection_tool.training.corpus import CorpusGenerator, Sample
from detection_tool.training.tables import table_samples

DETECTOR = Detector()


def _paths(sample: Sample) -> list[str]:
    out: list[str] = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                walk(child, child_path(path, key))
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, index_path(path, i))
        else:
            out.append(path)

    walk(sample.doc, ROOT)
    return out


def test_documents_score_well_on_a_small_corpus() -> None:
    generator = CorpusGenerator(seed=101)
    scores = Scores()
    for _ in range(80):
        sample = generator.document()
        result = DETECTOR.detect_document(sample.doc)
        for path in _paths(sample):
            predicted = [f.type_id for f in result.get(path, [])]
            labels = sample.labels.get(path, set())
            scores.add(labels, predicted, distractor=path in sample.distractor_paths)
    assert scores.distractors > 100
    assert scores.macro() >= 0.9
    assert scores.distractor_rate <= 0.02


def test_record_sets_type_columns_by_share() -> None:
    generator = CorpusGenerator(seed=202)
    scores = Scores()
    for columns, rows in table_samples(random.Random(5), generator, 12, rows=25):
        result = DETECTOR.detect_records(rows)
        for path, labels, distractor in columns:
            predicted = [f.type_id for f in result.get(path, [])]
            scores.add(labels, predicted, distractor=distractor)
    assert scores.macro() >= 0.9
    assert scores.distractor_rate <= 0.05


def test_scores_arithmetic() -> None:
    scores = Scores()
    scores.add({"email"}, ["email"], distractor=False)
    scores.add({"email"}, [], distractor=False)
    scores.add(set(), ["email"], distractor=True)
    assert scores.per_type() == {"email": (0.5, 0.5, 0.5)}
    assert scores.distractor_rate == 1.0
    assert f_beta(1.0, 0.5, 0.5) == pytest.approx(0.8333, abs=1e-4)
