"""Findings shared between values: a matched recognizer's finding depends on the recognizer
and the key context only, never on the value, so each is built once and reused; so is what rival
exclusion and merging make of a set of them. Every cache is bounded and holds no value."""

from __future__ import annotations

import operator

from detection_tool.exclusions import exclude_rivals
from detection_tool.findings import Finding, make_finding, merge_findings
from detection_tool.recognizers import Recognizer

_STRONG_KEY = 0.9
_EMBEDDED_FACTOR = 0.7
_CACHE_MAX = 8192
# findings by (recognizer, key reason, key weight, key type)
_FINDINGS: dict[tuple[int, str | None, float | None, str | None], tuple[Finding | None]] = {}
_EMBEDDED_FINDINGS: dict[str, Finding] = {}  # by recognizer name: a small fixed set
# (key type, ids of a value's findings) -> (those findings, the findings left and merged)
_SETTLED: dict[tuple[object, ...], tuple[tuple[Finding, ...], tuple[Finding, ...]]] = {}


def embedded_finding(rec: Recognizer, type_id: str) -> Finding:
    """The finding of a recognizer matched inside free text (one shared object per recognizer)."""
    finding = _EMBEDDED_FINDINGS.get(rec.name)
    if finding is None:
        reasons = ["value:embedded", "value:" + rec.name]
        if rec.validator_name:
            reasons.append("validator:" + rec.validator_name)
        finding = make_finding(type_id, rec.score * _EMBEDDED_FACTOR, reasons)
        _EMBEDDED_FINDINGS[rec.name] = finding
    return finding


def settled(found: list[Finding], hint: str | None) -> list[Finding]:
    """merge_findings(exclude_rivals(found, hint)), remembered: it depends on the findings
    (shared objects from a small set) and the key's type only, never on the value."""
    memo_key = (hint, *map(id, found))
    entry = _SETTLED.get(memo_key)
    if entry is not None and all(map(operator.is_, entry[0], found)):
        return list(entry[1])
    result = merge_findings(exclude_rivals(found, hint))
    if len(_SETTLED) >= _CACHE_MAX:
        _SETTLED.clear()
    _SETTLED[memo_key] = (tuple(found), tuple(result))  # holds the findings: ids not reused
    return result


def finding_for(
    rec: Recognizer, key_reason: str | None, key_weight: float | None, hint: str | None
) -> Finding | None:
    """The finding a matched recognizer gives: it depends on the recognizer and the key context
    only, never on the value, so each combination is built once."""
    cache_key = (id(rec), key_reason, key_weight, hint)
    cached = _FINDINGS.get(cache_key)
    if cached is not None:
        return cached[0]
    finding = _build_finding(rec, key_reason, key_weight, hint)
    if len(_FINDINGS) >= _CACHE_MAX:
        _FINDINGS.clear()
    _FINDINGS[cache_key] = (finding,)
    return finding


def _build_finding(
    rec: Recognizer, key_reason: str | None, key_weight: float | None, hint: str | None
) -> Finding | None:
    type_id = rec.type_id or hint
    if type_id is None:
        return None
    reasons = ["value:" + rec.name]
    if rec.validator_name:
        reasons.append("validator:" + rec.validator_name)
    score = rec.score
    if key_reason is not None and key_weight is not None and hint is not None:
        if rec.key_types:
            score *= min(1.0, key_weight / _STRONG_KEY)
            reasons.append(key_reason)
        elif hint == type_id:
            score += (1.0 - score) * 0.8 * key_weight
            reasons.append(key_reason)
    return make_finding(type_id, score, reasons)
