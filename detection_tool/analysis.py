"""Findings for one value given its key context: recognizers, key weights, exclusions."""

from __future__ import annotations

from detection_tool.custom import CustomType
from detection_tool.exclusions import exclude_rivals
from detection_tool.findings import Finding, make_finding, merge_findings, sort_findings
from detection_tool.keys import KeyContext, key_context
from detection_tool.model import FindingModel, weighed
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
from detection_tool.shared_findings import embedded_finding, finding_for, settled
from detection_tool.value_shape import ValueShape

_DIGITS = str.maketrans("", "", "0123456789")
_BUCKETS = 257  # values up to this length get a precomputed recognizer list


_DIGIT_CAP = 24  # digit counts above this share one bucket


def _fits_digits(rec: Recognizer, digits: int) -> bool:
    if digits == _DIGIT_CAP:
        return rec.max_digits >= _DIGIT_CAP
    return rec.min_digits <= digits <= rec.max_digits


Bucket = tuple[Recognizer, ...]


def _by_length_and_digits(recognizers: Bucket) -> list[list[Bucket]]:
    """[length][min(digits, cap)] -> the recognizers whose length and digit ranges fit (each
    recognizer placed in its own ranges' buckets, in the recognizers' order)."""
    table: list[list[list[Recognizer]]] = [
        [[] for _ in range(_DIGIT_CAP + 1)] for _ in range(_BUCKETS)
    ]
    for rec in recognizers:
        slots = [d for d in range(_DIGIT_CAP + 1) if _fits_digits(rec, d)]
        for n in range(max(rec.min_len, 0), min(rec.max_len, _BUCKETS - 1) + 1):
            row = table[n]
            for d in slots:
                row[d].append(rec)
    return [[tuple(bucket) for bucket in row] for row in table]


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
# identifier keys of mail messages, whose values are written like e-mail addresses
_MESSAGE_IDS = frozenset({"key:message_id", "key:in_reply_to", "key:msg_id"})
_MEMO_MAX = 16384
_MEMO_CHARS = 256  # longer strings (free text, tokens) rarely repeat: not remembered


MemoKey = tuple[type, object, str | None, str | None]


class ValueAnalyzer:
    """Stateless apart from settings and bounded caches; safe to share between threads.

    `fast=False` is the plain reference path the fast one is tested against: no memo of
    repeated values, every stand-alone recognizer checked one by one (no tables by length and
    digit count) and the model scored feature vector by feature vector.
    """

    def __init__(
        self,
        settings: DetectorSettings,
        custom: tuple[CustomType, ...] = (),
        model: FindingModel | None = None,
        *,
        fast: bool = True,
    ) -> None:
        self._settings = settings
        self._custom = custom
        self._model = model
        self._fast = fast
        # (value type, value, key, parent) -> findings: values repeat in traffic (enums,
        # statuses, countries, small numbers); in memory only, bounded, cleared when full
        self._memo: dict[MemoKey, tuple[Finding, ...]] | None = {} if fast else None

    def analyze(self, value: object, key: str | None, parent: str | None) -> list[Finding]:
        """Findings for a scalar JSON value under `key`, best first, above the threshold."""
        memo = self._memo
        if memo is None:
            return self._analyze(value, key, parent)
        kind = type(value)
        if kind is str:
            if len(value) > _MEMO_CHARS:  # type: ignore[arg-type]
                return self._analyze(value, key, parent)
        elif kind is not int and (kind is not float or value == 0.0):  # -0.0 == 0.0
            return self._analyze(value, key, parent)
        memo_key = (kind, value, key, parent)
        hit = memo.get(memo_key)
        if hit is not None:
            return list(hit)
        found = self._analyze(value, key, parent)
        if len(memo) >= _MEMO_MAX:
            memo.clear()
        memo[memo_key] = tuple(found)
        return found

    def _analyze(self, value: object, key: str | None, parent: str | None) -> list[Finding]:
        if isinstance(value, str):
            text = value.strip()
            is_number = False
        elif isinstance(value, bool) or value is None:
            return []
        elif isinstance(value, int):
            if value.bit_length() > 80:  # far longer than any number we recognize
                return []
            text = str(value)
            is_number = True
        elif isinstance(value, float):
            text = repr(value)
            is_number = True
        else:
            return []
        ctx = key_context(key, parent) if key else None
        found = self._analyze_text(text, ctx, is_number=is_number)
        hint = ctx.type_id if ctx is not None and not ctx.identifier else None
        if self._custom:
            if len(found) > 1:
                found = exclude_rivals(found, hint)
            for custom in self._custom:
                reasons = custom.match(text, key)
                if reasons is not None:
                    found.append(
                        make_finding(custom.entry.id, custom.confidence, reasons, custom.entry)
                    )
            if not found:
                return []
            merged = found if len(found) == 1 else merge_findings(found)
        elif len(found) < 2:
            if not found:
                return []
            merged = found
        elif self._fast:
            merged = settled(found, hint)
        else:
            merged = merge_findings(exclude_rivals(found, hint))
        model = self._model
        if model is not None:
            merged = (
                model.rescore_value(merged, text) if self._fast else _rescored(model, merged, text)
            )
        floor = self._settings.minconfidence
        if merged[-1].confidence >= floor:  # best first: the last is the weakest
            return merged
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
        slot = _DIGIT_CAP
        if not self._fast:
            for rec in () if negative else STANDALONE:
                if not (identifier and rec.numeric):
                    finding = self._try(rec, text, length, digits, ctx, hint, is_number)
                    if finding is not None:
                        found.append(finding)
            bucket = ()
        elif length < _BUCKETS:
            slot = digits if digits < _DIGIT_CAP else _DIGIT_CAP
            if negative:
                bucket = ()
            else:
                table = _NUMBER_BUCKETS if is_number else _TEXT_BUCKETS
                bucket = table[length][slot]
        else:
            bucket = () if is_number or negative else _TEXT_LONG
        if bucket:
            first = text[0]
            for rec in bucket:
                if (
                    (rec.first and first not in rec.first)
                    or (rec.needs and rec.needs not in text)
                    or (identifier and rec.numeric)
                ):
                    continue
                if slot < _DIGIT_CAP:  # length and digit ranges fit by construction
                    finding = self._confirm(rec, text, ctx, hint)
                else:
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
        if found and identifier and ctx.reason in _MESSAGE_IDS:  # type: ignore[union-attr]
            # a mail's Message-ID (`<20240523.83ff@mg.example>`) is written like an address
            found = [f for f in found if f.type_id != "email"]
        return found  # rivals are excluded by the caller, after custom types are added

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
        if rec.first and text[0] not in rec.first:
            return None
        return self._confirm(rec, text, ctx, hint)

    @staticmethod
    def _confirm(
        rec: Recognizer, text: str, ctx: KeyContext | None, hint: str | None
    ) -> Finding | None:
        """Pattern, validator and key weight of one recognizer whose pre-checks passed."""
        match = rec.pattern.search(text) if rec.search else rec.pattern.fullmatch(text)
        if match is None:
            return None
        if rec.validator is not None and not rec.validator(match.group(0)):
            return None
        if ctx is None or hint is None:
            return finding_for(rec, None, None, hint)
        return finding_for(rec, ctx.reason, ctx.weight, hint)

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
            start = match.start(name)
            if "://" in scanned[max(0, start - 3) : start + 3]:
                continue  # `scheme://key@host`: a URL's user part, not an e-mail address
            found[rec.type_id] = embedded_finding(rec, rec.type_id)
        return list(found.values())


def _rescored(model: FindingModel, findings: list[Finding], text: str) -> list[Finding]:
    """The model's scores one finding at a time (reference for `rescore_value`)."""
    shape = ValueShape.of(text)
    out = [model.rescore(f, shape) if weighed(f) else f for f in findings]
    return out if len(out) == 1 else sort_findings(out)


def analyzer_for(settings: DetectorSettings | None = None) -> ValueAnalyzer:
    return ValueAnalyzer(settings or DetectorSettings())
