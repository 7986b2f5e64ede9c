"""Scores of a detector on labelled fields: per-type precision/recall/F1, macro-F1, F0.5 and the
false-positive rate on distractor fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


def f_beta(precision: float, recall: float, beta: float = 1.0) -> float:
    if precision == 0.0 and recall == 0.0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    distractors: int = 0
    distractors_flagged: int = 0
    fields: int = 0

    def add(self, expected: set[str], predicted: Iterable[str], *, distractor: bool) -> None:
        got = set(predicted)
        self.fields += 1
        for t in got & expected:
            self.tp[t] += 1
        for t in got - expected:
            self.fp[t] += 1
        for t in expected - got:
            self.fn[t] += 1
        if distractor:
            self.distractors += 1
            self.distractors_flagged += bool(got)

    def per_type(self, types: Iterable[str] | None = None) -> dict[str, tuple[float, float, float]]:
        """type -> (precision, recall, F1) over types with labelled support."""
        chosen = set(types) if types is not None else set(self.tp) | set(self.fn)
        out = {}
        for t in sorted(chosen):
            if self.tp[t] + self.fn[t] == 0:
                continue
            p = self.tp[t] / (self.tp[t] + self.fp[t]) if self.tp[t] + self.fp[t] else 0.0
            r = self.tp[t] / (self.tp[t] + self.fn[t])
            out[t] = (p, r, f_beta(p, r))
        return out

    def macro(self, types: Iterable[str] | None = None, beta: float = 1.0) -> float:
        rows = self.per_type(types)
        if not rows:
            return 0.0
        return sum(f_beta(p, r, beta) for p, r, _ in rows.values()) / len(rows)

    def micro(self, beta: float = 1.0) -> tuple[float, float, float]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, f_beta(p, r, beta)

    @property
    def distractor_rate(self) -> float:
        return self.distractors_flagged / self.distractors if self.distractors else 0.0
