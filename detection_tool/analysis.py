"""Findings for one value given its key context: recognizers, key weights, exclusions."""

from __future__ import annotations

from detection_tool.custom import CustomType
from detection_tool.findings import Finding, make_finding, merge_findings, sort_findings
from detection_tool.keys import KeyContext, key_context
from detection_tool.model import FindingModel, shape_of, weighed
from detection_tool.national_ids import GENERIC_ID_KEYS, ID_NUMBERS
from detection_tool.negatives import is_negative_value
from detection_tool.recognizers import (
    EMBEDDABLE,
    EMBEDDED_PATTERN,
    ID_FORMAT_MAX_LEN,
    ID_FORMAT_MIN_DIGITS,
    ID_FORMAT_PATTERN,
    ID_FORMATS,
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
        "national_id",
        "passport_number",
        "drivers_license",
        "medical_record_number",
        "health_insurance_number",
        *(e.type_id for e in ID_NUMBERS),
    }
)
_ID_TYPES = frozenset(e.type_id for e in ID_NUMBERS)
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
        "gitlab_token",
        "openai_key",
        "twilio_key",
        "sendgrid_key",
        "npm_token",
        "pypi_token",
    }
)
_EMBEDDED_FACTOR = 0.7
_BY_KEY = "value:secret_by_key"  # a credential named by its key only
_BUCKETS = 257  # values up to this length get a precomputed recognizer list


def _fits(rec: Recognizer, length: int) -> bool:
    return rec.min_len <= length <= rec.max_len


_DIGIT_CAP = 24  # digit counts above this share one bucket


def _fits_digits(rec: Recognizer, digits: int) -> bool:
    if digits == _DIGIT_CAP:
        return rec.max_digits >= _DIGIT_CAP
    return rec.min_digits <= digits <= rec.max_digits


Bucket = tuple[Recognizer, ...]


def _by_length_and_digits(recognizers: Bucket) -> list[list[Bucket]]:
    """[length][min(digits, cap)] -> the recognizers whose length and digit ranges fit."""
    return [
        [
            tuple(r for r in recognizers if _fits(r, n) and _fits_digits(r, d))
            for d in range(_DIGIT_CAP + 1)
        ]
        for n in range(_BUCKETS)
    ]


# stand-alone recognizers by value length and digit count, so most values try only a few
_TEXT_BUCKETS = _by_length_and_digits(STANDALONE)
_NUMBER_BUCKETS = _by_length_and_digits(tuple(r for r in STANDALONE if r.numbers))
_TEXT_LONG = tuple(r for r in STANDALONE if r.max_len >= _BUCKETS)
# key-gated recognizers by the key type they serve
_GATED_BY_TYPE: dict[str, Bucket] = {}
for _rec in KEY_GATED:
    for _type_id in _rec.key_types:
        _GATED_BY_TYPE[_type_id] = (*_GATED_BY_TYPE.get(_type_id, ()), _rec)
_FREE_TEXT_MIN = 12


class ValueAnalyzer:
    """Stateless apart from settings; safe to share between threads."""

    def __init__(
        self,
        settings: DetectorSettings,
        custom: tuple[CustomType, ...] = (),
        model: FindingModel | None = None,
    ) -> None:
        self._settings = settings
        self._custom = custom
        self._model = model

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
        text = value.strip() if isinstance(value, str) else str(value)
        if self._custom:
            for custom in self._custom:
                reasons = custom.match(text, key)
                if reasons is not None:
                    found.append(
                        make_finding(custom.entry.id, custom.confidence, reasons, custom.entry)
                    )
        if not found:
            return []
        merged = merge_findings(found)
        model = self._model
        if model is not None:
            flags = [weighed(f) for f in merged]
            if True in flags:
                shape = shape_of(text)
                merged = sort_findings(
                    [
                        model.rescore(f, shape) if w else f
                        for f, w in zip(merged, flags, strict=True)
                    ]
                )
        floor = self._settings.minconfidence
        return [f for f in merged if f.confidence >= floor]

    def _analyze_text(self, text: str, ctx: KeyContext | None, *, is_number: bool) -> list[Finding]:
        if not text:
            return []
        length = len(text)
        digits = length - len(text.translate(_DIGITS)) if length <= 4096 else 0
        identifier = ctx is not None and ctx.identifier
        hint = ctx.type_id if ctx is not None and not identifier else None
        negative = digits > 0 and length <= 64 and is_negative_value(text)
        found: list[Finding] = []
        bucket: Bucket
        if length < _BUCKETS:
            slot = digits if digits < _DIGIT_CAP else _DIGIT_CAP
            if negative:
                bucket = ()
            else:
                table = _NUMBER_BUCKETS if is_number else _TEXT_BUCKETS
                bucket = table[length][slot]
        else:
            bucket = () if is_number or negative else _TEXT_LONG
        if bucket:
            for rec in bucket:
                if (rec.needs and rec.needs not in text) or (identifier and rec.numeric):
                    continue
                finding = self._try(rec, text, length, digits, ctx, hint, is_number)
                if finding is not None:
                    found.append(finding)
        if (
            digits >= ID_FORMAT_MIN_DIGITS
            and length <= ID_FORMAT_MAX_LEN
            and not is_number
            and not identifier
        ):
            id_match = ID_FORMAT_PATTERN.fullmatch(text)
            if id_match is not None and id_match.lastgroup is not None:
                rec = ID_FORMATS[id_match.lastgroup]
                finding = self._try(rec, text, length, digits, ctx, hint, is_number)
                if finding is not None:
                    found.append(finding)
        if hint is not None:
            for rec in _GATED_BY_TYPE.get(hint, ()):
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
    """One number identity per value (the key's, when it names one; a generic `national_id` key
    also keeps a checksum-validated country id); a named credential hides the generic secret."""
    if len(found) < 2:
        return found
    if (
        hint is not None
        and hint not in _NUMBER_IDENTITIES
        and any(f.type_id == hint for f in found)
    ):
        # the key's own type matched (a ZIP+4 under `zip`): no other number identity
        found = [f for f in found if f.type_id not in _NUMBER_IDENTITIES]
    numbers = [f for f in found if f.type_id in _NUMBER_IDENTITIES]
    if len(numbers) > 1:
        keep: list[Finding] = []
        if hint in _NUMBER_IDENTITIES:
            allowed = {hint} | (_ID_TYPES if hint in GENERIC_ID_KEYS else frozenset())
            keep = [f for f in numbers if f.type_id in allowed]
        if not keep:
            keep = [max(numbers, key=lambda f: f.confidence)]
        found = [f for f in found if f.type_id not in _NUMBER_IDENTITIES or f in keep]
    if any(f.type_id in _SPECIFIC_CREDENTIALS and _BY_KEY not in f.reasons for f in found):
        found = [f for f in found if f.type_id != "generic_secret" and _BY_KEY not in f.reasons]
    return found


def analyzer_for(settings: DetectorSettings | None = None) -> ValueAnalyzer:
    return ValueAnalyzer(settings or DetectorSettings())
