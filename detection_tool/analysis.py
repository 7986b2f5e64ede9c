"""Findings for one value given its key context: recognizers, key weights, exclusions."""

from __future__ import annotations

from detection_tool.findings import Finding, make_finding, merge_findings
from detection_tool.keys import KeyContext, key_context
from detection_tool.negatives import is_negative_value
from detection_tool.recognizers import (
    EMBEDDABLE,
    EMBEDDED_PATTERN,
    KEY_GATED,
    STANDALONE,
    Recognizer,
)
from detection_tool.settings import DetectorSettings

_DIGITS = str.maketrans("", "", "0123456789")
_STRONG_KEY = 0.9
# one value is one of these at most: keep the key's type if matched, else the best
_NUMBER_IDENTITIES = frozenset(
    {
        "credit_card_number",
        "masked_card_number",
        "phone_number",
        "us_ssn",
        "us_itin",
        "bank_account_number",
        "bank_routing_number",
        "imei",
        "tax_id",
    }
)
_SPECIFIC_CREDENTIALS = frozenset(
    {
        "jwt",
        "bearer_token",
        "basic_auth_credentials",
        "aws_access_key",
        "github_token",
        "slack_token",
        "stripe_key",
        "gcp_api_key",
        "azure_key",
        "private_key",
        "connection_string_with_password",
    }
)
_EMBEDDED_FACTOR = 0.7
_BUCKETS = 257  # values up to this length get a precomputed recognizer list


def _fits(rec: Recognizer, length: int) -> bool:
    return rec.min_len <= length <= rec.max_len


# stand-alone recognizers by value length (and kind), so most values try only a few
_TEXT_BY_LENGTH = [tuple(r for r in STANDALONE if _fits(r, n)) for n in range(_BUCKETS)]
_NUMBER_BY_LENGTH = [tuple(r for r in t if r.numbers) for t in _TEXT_BY_LENGTH]
_TEXT_LONG = tuple(r for r in STANDALONE if r.max_len >= _BUCKETS)
_FREE_TEXT_MIN = 12


class ValueAnalyzer:
    """Stateless apart from settings; safe to share between threads."""

    def __init__(self, settings: DetectorSettings) -> None:
        self._settings = settings

    def analyze(self, value: object, key: str | None, parent: str | None) -> list[Finding]:
        """Findings for a scalar JSON value under `key`, best first, above the threshold."""
        if isinstance(value, bool) or value is None:
            return []
        ctx = key_context(key, parent)
        if isinstance(value, str):
            found = self._analyze_text(value.strip(), ctx, is_number=False)
        elif isinstance(value, int):
            if value.bit_length() > 80:  # far longer than any number we recognize
                return []
            found = self._analyze_text(str(value), ctx, is_number=True)
        elif isinstance(value, float):
            found = self._analyze_text(repr(value), ctx, is_number=True)
        else:
            return []
        floor = self._settings.minconfidence
        return [f for f in merge_findings(found) if f.confidence >= floor]

    def _analyze_text(self, text: str, ctx: KeyContext | None, *, is_number: bool) -> list[Finding]:
        if not text:
            return []
        length = len(text)
        digits = length - len(text.translate(_DIGITS)) if length <= 4096 else 0
        identifier = ctx is not None and ctx.identifier
        hint = ctx.type_id if ctx is not None and not identifier else None
        negative = digits > 0 and length <= 64 and is_negative_value(text)
        found: list[Finding] = []
        if not negative:
            if length < _BUCKETS:
                bucket = _NUMBER_BY_LENGTH[length] if is_number else _TEXT_BY_LENGTH[length]
            else:
                bucket = () if is_number else _TEXT_LONG
            for rec in bucket:
                if identifier and rec.numeric:
                    continue
                finding = self._try(rec, text, length, digits, ctx, hint, is_number)
                if finding is not None:
                    found.append(finding)
        if hint is not None:
            for rec in KEY_GATED:
                if hint in rec.key_types:
                    finding = self._try(rec, text, length, digits, ctx, hint, is_number)
                    if finding is not None:
                        found.append(finding)
        if not found and not negative and not is_number and length >= _FREE_TEXT_MIN:
            found = self._embedded(text, identifier)
        return _exclude(found, hint)

    def _try(
        self,
        rec: Recognizer,
        text: str,
        length: int,
        digits: int,
        ctx: KeyContext | None,
        hint: str | None,
        is_number: bool,
    ) -> Finding | None:
        if is_number and not rec.numbers:
            return None
        if not rec.min_len <= length <= rec.max_len:
            return None
        if not rec.min_digits <= digits <= rec.max_digits:
            return None
        if rec.needs and rec.needs not in text:
            return None
        match = rec.pattern.search(text) if rec.search else rec.pattern.fullmatch(text)
        if match is None:
            return None
        if rec.validator is not None and not rec.validator(match.group(0)):
            return None
        type_id = rec.type_id or hint
        if type_id is None:
            return None
        reasons = ["value:" + rec.name]
        if rec.validator_name:
            reasons.append("validator:" + rec.validator_name)
        score = rec.score
        if ctx is not None and hint is not None:
            if rec.key_types:
                score *= min(1.0, ctx.weight / _STRONG_KEY)
                reasons.append(ctx.reason)
            elif hint == type_id:
                score += (1.0 - score) * 0.8 * ctx.weight
                reasons.append(ctx.reason)
        return make_finding(type_id, score, reasons)

    def _embedded(self, text: str, identifier: bool) -> list[Finding]:
        """Values inside free text (an email in `notes`), with a lower confidence."""
        limit = self._settings.maxscanchars
        scanned = text[:limit] if len(text) > limit else text
        found: dict[str, Finding] = {}
        for match in EMBEDDED_PATTERN.finditer(scanned):
            name = match.lastgroup
            if name is None:
                continue
            rec = EMBEDDABLE[name]
            if (identifier and rec.numeric) or rec.type_id is None or rec.type_id in found:
                continue
            if rec.validator is not None and not rec.validator(match.group(name)):
                continue
            reasons = ["value:embedded", "value:" + rec.name]
            if rec.validator_name:
                reasons.append("validator:" + rec.validator_name)
            found[rec.type_id] = make_finding(rec.type_id, rec.score * _EMBEDDED_FACTOR, reasons)
        return list(found.values())


def _exclude(found: list[Finding], hint: str | None) -> list[Finding]:
    """One number identity per value; a named credential hides the generic secret."""
    if len(found) < 2:
        return found
    numbers = [f for f in found if f.type_id in _NUMBER_IDENTITIES]
    if len(numbers) > 1:
        keep = max(numbers, key=lambda f: (f.type_id == hint, f.confidence))
        found = [f for f in found if f.type_id not in _NUMBER_IDENTITIES or f is keep]
    if any(f.type_id in _SPECIFIC_CREDENTIALS for f in found):
        found = [f for f in found if f.type_id != "generic_secret"]
    return found


def analyzer_for(settings: DetectorSettings | None = None) -> ValueAnalyzer:
    return ValueAnalyzer(settings or DetectorSettings())
