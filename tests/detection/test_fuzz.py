"""Random documents through every entry point of the detector (compiled or not): whatever the
member names and values, it answers with findings of catalog types or a DetectionInputError,
and no finding's reasons carry a value of the document."""

from __future__ import annotations

import contextlib
import json
import random

from detection_tool import Detector, Finding
from detection_tool.catalog import CATALOG
from detection_tool.errors import DetectionInputError

KEYS = [
    "email", "E-Mail", "card_number", "cardNumber", "CARD_NO", "cvv", "exp", "expiry", "iban",
    "name", "Name", "Value", "value", "first_name", "nachname", "apellidos", "phone", "tel",
    "ssn", "national_id", "tax_id", "dob", "birthDate", "address", "street", "zip", "plz",
    "lat", "lng", "latitude", "ip", "mac", "password", "token", "secret", "Authorization",
    "api_key", "user_id", "id", "order_id", "sku", "uuid", "hash", "version", "created_at",
    "notes", "description", "system", "type", "code", "display", "text", "linkId", "answer",
    "valueString", "valueDate", "resourceType", "identifier", "Nm", "Cdtr", "SchmeNm", "Prtry",
    "vr", "00100010", "12345", "a1b2c3d4e5f6", "", " ", "ключ", "氏名", "ชื่อ", "x" * 300,
    "customer", "patient", "card", "account", "items", "data", "attributes", "location",
]  # fmt: skip

ALPHABET = "0123456789abcdefABCDEF -_./:@+#*•%$€ßéñ中文ไทย\u0301\u200b\n\t\"'\\"


def random_text(rng: random.Random) -> str:
    shape = rng.randrange(8)
    if shape == 0:
        return "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 25)))
    if shape == 1:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 40)))
    if shape == 2:
        return f"{rng.choice(['anna', 'x.y', 'noreply'])}@{rng.choice(['ex.com', 'a', '-.de'])}"
    if shape == 3:
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 30)))
    if shape == 4:
        return rng.choice(["", " ", "null", "true", "0", "-1", "NaN", "1e999", "${SECRET}"])
    if shape == 5:
        return "eyJ" + "".join(rng.choice("abcXYZ09_-.") for _ in range(rng.randrange(5, 80)))
    if shape == 6:
        return "".join(rng.choice("0123456789 -/.") for _ in range(rng.randrange(1, 30)))
    return "x" * rng.randrange(100, 5000)


def random_value(rng: random.Random, depth: int) -> object:
    kind = rng.randrange(12 if depth < 6 else 8)
    if kind < 3:
        return random_text(rng)
    if kind == 3:
        return rng.choice([0, -1, 1, 2**63, -(2**70), 4111111111111111, 19900101, 1700000000])
    if kind == 4:
        return rng.choice([0.0, -0.0, 52.52, 13.405, 1e308, -1e-308, 3.14159, 180.0000001])
    if kind == 5:
        return rng.choice([True, False])
    if kind in (6, 7):
        return None
    if kind in (8, 9):
        return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randrange(6))}
    return [random_value(rng, depth + 1) for _ in range(rng.randrange(14))]


def random_document(rng: random.Random) -> object:
    return {rng.choice(KEYS): random_value(rng, 1) for _ in range(rng.randrange(1, 8))}


def texts_in(node: object) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(texts_in(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(texts_in(v) for v in node)) if node else set()
    return {node} if isinstance(node, str) and len(node) >= 6 else set()


def check(result: dict[str, list[Finding]], values: set[str]) -> None:
    for path, findings in result.items():
        assert isinstance(path, str)
        assert findings
        for finding in findings:
            assert finding.type_id in CATALOG
            assert 0.0 <= finding.confidence <= 1.0
            for reason in finding.reasons:
                assert not any(value in reason for value in values if value.strip(" .-_0"))


def test_random_documents_get_findings_or_a_clear_error() -> None:
    detector = Detector()
    rng = random.Random(20261206)
    for _ in range(2000):
        doc = random_document(rng)
        values = texts_in(doc)
        check(detector.detect_document(doc), values)
        check(
            detector.detect_document(doc, context=rng.choice(["GET /users/{id}", "orders"])), values
        )
        raw = bytearray(json.dumps(doc).encode())
        if rng.random() < 0.5:  # corrupted bytes: parsed or refused, never a crash
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        with contextlib.suppress(DetectionInputError):
            check(detector.detect_json(bytes(raw)), values)


def test_random_record_sets_and_http_fields() -> None:
    detector = Detector()
    rng = random.Random(7)
    for _ in range(150):
        records = [random_document(rng) for _ in range(rng.randrange(1, 30))]
        values = set().union(*(texts_in(r) for r in records))
        check(detector.detect_records(records), values)
        fields = [
            (f"{place}.{key}", key, random_text(rng))
            for place in ("header", "cookie", "query")
            for key in rng.sample(KEYS, 4)
        ]
        check(detector.detect_fields(fields), {v for _, _, v in fields if len(v) >= 6})
