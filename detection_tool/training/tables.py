"""Labelled record sets: tables whose columns hold one type (or a distractor) per row."""

from __future__ import annotations

import random
from collections.abc import Iterator

from detection_tool.training.corpus import CorpusGenerator, style_key
from detection_tool.training.values import DISTRACTORS, POSITIVE
from sensor_core.jsonpaths import ROOT, child_path

Column = tuple[str, set[str], bool]  # path, labels, distractor


def table_samples(
    rng: random.Random, generator: CorpusGenerator, tables: int, rows: int = 40
) -> Iterator[tuple[list[Column], list[object]]]:
    """`tables` record sets of `rows` rows; some columns are partly empty (nullable)."""
    types = sorted(POSITIVE)
    fake = generator.fake
    for _ in range(tables):
        columns: list[tuple[str, str | None, int]] = []
        used: set[str] = set()
        for _ in range(rng.randrange(4, 9)):
            chosen = rng.choice(types)
            key, _ = generator.field(chosen)
            if key not in used:
                used.add(key)
                columns.append((key, chosen, -1))
        for _ in range(rng.randrange(2, 6)):
            index = rng.randrange(len(DISTRACTORS))
            key = style_key(DISTRACTORS[index][0].replace("_", " "), rng)
            if key not in used:
                used.add(key)
                columns.append((key, None, index))
        records: list[object] = []
        for _ in range(rows):
            row: dict[str, object] = {}
            for key, type_id, index in columns:
                if rng.random() < 0.1:
                    row[key] = None
                elif type_id is not None:
                    row[key] = POSITIVE[type_id](rng, fake)
                else:
                    row[key] = DISTRACTORS[index][1](rng, fake)
            records.append(row)
        labelled = [
            (child_path(ROOT, key), {type_id} if type_id else set(), type_id is None)
            for key, type_id, _ in columns
        ]
        yield labelled, records
