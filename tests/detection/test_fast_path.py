"""The fast path (value memo, recognizer tables, split model score, cached conversions) gives
exactly the findings of the plain reference path on a fixed-seed slice of the corpus."""

from __future__ import annotations

import random

import pytest

from detection_tool import Detector
from detection_tool.walk import leaf_tuples

pytest.importorskip("faker")  # dev dependency of the corpus generator

from detection_tool.training.corpus import CorpusGenerator
from detection_tool.training.tables import table_samples

SEED = 7
DOCUMENTS = 300


@pytest.fixture(scope="module")
def documents() -> list[object]:
    generator = CorpusGenerator(seed=SEED)
    docs: list[object] = [generator.document().doc for _ in range(DOCUMENTS)]
    return docs + docs[:50]  # a second sight of some values goes through the memo


def test_documents_match_the_reference_path(documents: list[object]) -> None:
    fast, plain = Detector(), Detector(fast=False)
    found = 0
    for i, doc in enumerate(documents):
        context = "GET /v1/users/{id}" if i % 3 == 0 else None
        expected = plain.detect_document(doc, context=context)
        assert fast.detect_document(doc, context=context) == expected, f"document {i}"
        found += len(expected)
    assert found > DOCUMENTS  # the slice has findings to compare, not only empty results


def test_fields_match_the_reference_path(documents: list[object]) -> None:
    """Every leaf of the slice as an HTTP field (key, value), as the digger sends them."""
    fields = [
        (f"query.{i}", key or "", value)
        for i, (_, key, _, value) in enumerate(
            leaf for doc in documents for leaf in leaf_tuples(
                doc, max_depth=64, max_elements=10, wildcard_arrays=False
            )
        )
    ]  # fmt: skip
    expected = Detector(fast=False).detect_fields(fields)
    assert Detector().detect_fields(fields) == expected
    assert len(expected) > DOCUMENTS


def test_record_sets_match_the_reference_path() -> None:
    generator = CorpusGenerator(seed=SEED)
    tables = list(table_samples(random.Random(SEED), generator, 12, rows=20))
    fast, plain = Detector(), Detector(fast=False)
    typed = 0
    for _, rows in tables:
        expected = plain.detect_records(rows)
        assert fast.detect_records(rows) == expected
        typed += len(expected)
    assert typed > 0


def test_memo_returns_copies_callers_may_change() -> None:
    detector = Detector()
    first = detector.detect_document({"email": "ana@example.com"})
    first["$.email"].clear()
    assert [
        f.type_id for f in detector.detect_document({"email": "ana@example.com"})["$.email"]
    ] == ["email"]
