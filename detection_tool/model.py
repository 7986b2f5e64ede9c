"""The learned component: a small logistic model that weighs a candidate finding's signals.

Inputs are value-free numbers: the rule score, which kinds of evidence agreed (value pattern,
checksum, key name, parent, embedded in text), the value's shape (length, share of digits,
letters, spaces, symbols, entropy) and the type's category. The output, the probability that
the finding is right, is blended with the rule score into the reported confidence. Weights ship
in `model_weights.json` (trained by `python -m detection_tool.training.train`); nothing is
downloaded at run time.
"""

from __future__ import annotations

import json
import math
import operator
from functools import lru_cache
from importlib import resources

from detection_tool.findings import Finding, sort_findings
from detection_tool.value_shape import ValueShape, shape_features

FEATURES: tuple[str, ...] = (
    "rule_score",
    "validator",
    "key",
    "parent_key",
    "key_shape_only",
    "embedded",
    "custom",
    "log_length",
    "digits",
    "letters",
    "spaces",
    "symbols",
    "entropy",
    "placeholder",
    "title_case",
    "cat_personal",
    "cat_payment",
    "cat_health",
    "cat_credentials",
)
# value recognizers that accept almost anything once the key named the type
BROAD_SHAPES = frozenset(
    "value:" + name
    for name in [
        "name_shape",
        "username_shape",
        "id_shape",
        "password_by_key",
        "secret_by_key",
        "address_shape",
        "health_text",
        "document_number",
        "postal_code_shape",
        "bank_account_shape",
        "cvv_shape",
        "expiry_part",
        "last_four",
        "birth_date_part",
        "street_part",
        "person_reference_id",
    ]
)
WEIGHTS_FILE = "model_weights.json"
_CACHE_SIZE = 8192


def weighed(finding: Finding) -> bool:
    """Findings the model weighs: those no checksum or format validator confirmed."""
    return not _evidence(finding.reasons)[0]


@lru_cache(maxsize=_CACHE_SIZE)
def _evidence(reasons: tuple[str, ...]) -> tuple[float, float, float, float, float, float]:
    """The reason-derived features (reason lists come from a small vocabulary: cached)."""
    has_key = any(r.startswith("key:") for r in reasons)
    return (
        float(any(r.startswith("validator:") for r in reasons)),
        float(has_key),
        float(any(r.startswith("key:") and "." in r for r in reasons)),
        float(has_key and all(r in BROAD_SHAPES for r in reasons if r.startswith("value:"))),
        float("value:embedded" in reasons),
        float(any(r.startswith("value:custom:") or r.startswith("key:custom:") for r in reasons)),
    )


def feature_vector(finding: Finding, shape: ValueShape) -> list[float]:
    return [
        finding.confidence,
        *_evidence(finding.reasons),
        shape.log_length,
        shape.digits,
        shape.letters,
        shape.spaces,
        shape.symbols,
        shape.entropy,
        shape.placeholder,
        shape.title_case,
        float(finding.category == "personal"),
        float(finding.category == "payment"),
        float(finding.category == "health"),
        float(finding.category == "credentials"),
    ]


class FindingModel:
    """Logistic regression over FEATURES; `blend` is the model's share of the confidence."""

    def __init__(self, weights: list[float], bias: float, blend: float = 0.5) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"model has {len(weights)} weights, expected {len(FEATURES)}")
        self.weights = weights
        self.bias = bias
        self.blend = blend
        # values repeat in traffic (enums, names, dates): one computation per distinct input
        self._rescore_memo = lru_cache(maxsize=_CACHE_SIZE)(self._rescore)
        # the linear score splits into a finding part (few distinct reason lists and
        # categories) and a value-shape part (once per value, whatever its findings)
        w = weights
        self._evidence_weights = w[1:7]
        self._shape_weights = w[7:15]
        self._category_z = {
            c: w[15 + i] for i, c in enumerate(("personal", "payment", "health", "credentials"))
        }
        self._evidence_z = lru_cache(maxsize=_CACHE_SIZE)(self._evidence_part)
        self._shape_z = lru_cache(maxsize=_CACHE_SIZE)(self._shape_part)
        self._by_finding: dict[int, tuple[Finding, bool, float]] = {}
        self._outputs: dict[tuple[int, float, float], tuple[Finding, Finding]] = {}

    @classmethod
    def bundled(cls) -> FindingModel:
        """The weights shipped in the package (read once per process)."""
        return _bundled()

    @classmethod
    def from_json(cls, text: str) -> FindingModel:
        """A model from the JSON the trainer writes."""
        data = json.loads(text)
        names = data["features"]
        if tuple(names) != FEATURES:
            raise ValueError("model weights do not match this version's features")
        return cls([float(w) for w in data["weights"]], float(data["bias"]), float(data["blend"]))

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(map(operator.mul, self.weights, x))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def rescore(self, finding: Finding, shape: ValueShape) -> Finding:
        """The finding with its confidence blended with the model's probability."""
        return self._rescore_memo(finding, shape)

    def _evidence_part(self, reasons: tuple[str, ...]) -> float:
        return float(sum(map(operator.mul, self._evidence_weights, _evidence(reasons))))

    def _shape_part(self, text: str) -> float:
        return float(sum(map(operator.mul, self._shape_weights, shape_features(text))))

    def _finding_part(self, finding: Finding) -> tuple[Finding, bool, float]:
        """(finding, weighed, the finding's share of the linear score before the value's
        shape), remembered per finding object: findings come from a small shared set."""
        entry = self._by_finding.get(id(finding))
        if entry is not None and entry[0] is finding:
            return entry
        part = self.bias + self.weights[0] * finding.confidence + self._evidence_z(finding.reasons)
        entry = (finding, weighed(finding), part)
        if len(self._by_finding) >= _CACHE_SIZE:
            self._by_finding.clear()
        self._by_finding[id(finding)] = entry  # holds the finding: its id is not reused
        return entry

    def _rescored(self, finding: Finding, confidence: float, p: float) -> Finding:
        """The rescored finding (one object per finding, confidence and probability)."""
        key = (id(finding), confidence, p)
        entry = self._outputs.get(key)
        if entry is not None and entry[0] is finding:
            return entry[1]
        out = Finding(
            finding.type_id,
            confidence,
            finding.sensitivity,
            finding.category,
            (*finding.reasons, f"model:{p}"),
        )
        if len(self._outputs) >= _CACHE_SIZE:
            self._outputs.clear()
        self._outputs[key] = (finding, out)
        return out

    def rescore_value(self, findings: list[Finding], text: str) -> list[Finding]:
        """`findings` of one value (best first) with the weighed ones rescored, best first:
        the same scores as `rescore`, with the value's shape computed once."""
        out: list[Finding] | None = None
        shape_z = 0.0
        blend = self.blend
        keep = 1.0 - blend
        category_z = self._category_z
        by_finding = self._by_finding
        for i, f in enumerate(findings):
            entry = by_finding.get(id(f))
            if entry is None or entry[0] is not f:
                entry = self._finding_part(f)
            _, weigh, part = entry
            if not weigh:
                continue
            if out is None:
                out = list(findings)
                shape_z = self._shape_z(text)
            z = part + shape_z + category_z.get(f.category, 0.0)
            p = 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))
            out[i] = self._rescored(f, round(keep * f.confidence + blend * p, 3), round(p, 2))
        if out is None:
            return findings
        return out if len(out) == 1 else sort_findings(out)

    def _rescore(self, finding: Finding, shape: ValueShape) -> Finding:
        p = self.probability(feature_vector(finding, shape))
        confidence = round((1.0 - self.blend) * finding.confidence + self.blend * p, 3)
        reasons = (*finding.reasons, f"model:{round(p, 2)}")
        return Finding(finding.type_id, confidence, finding.sensitivity, finding.category, reasons)


@lru_cache(maxsize=1)
def _bundled() -> FindingModel:
    text = resources.files("detection_tool").joinpath(WEIGHTS_FILE).read_text("utf-8")
    return FindingModel.from_json(text)
