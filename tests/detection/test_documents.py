"""Documents, HTTP fields and record sets: paths, limits and input errors."""

from __future__ import annotations

import json

import pytest

from detection_tool import DetectionInputError, Detector
from detection_tool.settings import DetectorSettings

from .helpers import findings_at, type_ids

DETECTOR = Detector()


def test_nested_paths_and_sorting() -> None:
    doc = {
        "customer": {"email": "ana@example.com", "address": {"zip": "10115"}},
        "card": {"number": "4111 1111 1111 1111"},
        "status": "paid",
    }
    result = DETECTOR.detect_document(doc)
    assert set(result) == {"$.customer.email", "$.customer.address.zip", "$.card.number"}
    assert [f.type_id for f in result["$.card.number"]] == ["credit_card_number"]
    for findings in result.values():
        confidences = [f.confidence for f in findings]
        assert confidences == sorted(confidences, reverse=True)


def test_array_paths_are_cut_to_the_first_ten_elements() -> None:
    doc = {"items": [{"sku": "A1", "buyer_email": f"b{i}@example.com"} for i in range(25)]}
    result = DETECTOR.detect_document(doc)
    assert set(result) == {f"$.items[{i}].buyer_email" for i in range(10)}


def test_setting_changes_the_array_cut() -> None:
    detector = Detector(DetectorSettings(maxarrayelements=3))
    result = detector.detect_document({"emails": ["a@example.com"] * 8})
    assert set(result) == {"$.emails[0]", "$.emails[1]", "$.emails[2]"}


def test_top_level_array_and_scalar() -> None:
    assert set(DETECTOR.detect_json(b'[{"email": "a@example.com"}]')) == {"$[0].email"}
    assert set(DETECTOR.detect_json(b'"a@example.com"')) == {"$"}


def test_map_keys_that_look_like_values_are_not_echoed() -> None:
    doc = {"users": {"ana@example.com": {"email": "ana@example.com"}, "4111111111111111": 1}}
    result = DETECTOR.detect_document(doc)
    assert list(result) == ["$.users.*.email"]


def test_email_embedded_in_free_text_has_lower_confidence() -> None:
    result = DETECTOR.detect_document(
        {
            "notes": "Customer asked to be reached at jo.doe@example.org after 5pm",
            "email": "jo@x.io",
        }
    )
    embedded = findings_at(result, "$.notes")["email"]
    direct = findings_at(result, "$.email")["email"]
    assert "value:embedded" in embedded.reasons
    assert embedded.confidence < direct.confidence


def test_card_embedded_in_free_text() -> None:
    result = DETECTOR.detect_document({"comment": "paid with 4111 1111 1111 1111 yesterday"})
    assert "credit_card_number" in findings_at(result, "$.comment")


def test_detect_fields_for_http_places() -> None:
    result = DETECTOR.detect_fields(
        [
            ("header.authorization", "authorization", "Bearer abcdefghijklmnop1234"),
            ("cookie.session", "session", "s%3Aq1w2e3r4t5y6u7i8o9p0"),
            ("query.email", "email", "ana@example.com"),
            ("query.page", "page", "2"),
            ("path[2]", "", "ana@example.com"),
            ("header.accept", "accept", "application/json"),
        ]
    )
    assert type_ids(result) == {
        "header.authorization": ["bearer_token"],
        "cookie.session": ["session_cookie"],
        "query.email": ["email"],
        "path[2]": ["email"],
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{", "invalid_json"),
        (b'{"a": NaN}', "invalid_json"),
        (b"", "invalid_json"),
        (b'{"a": 1} trailing', "invalid_json"),
        (b'{"a": "\xff\xfe"}', "invalid_utf8"),
        (b"\xc3\x28", "invalid_utf8"),
        (b"[" * 10_000 + b"]" * 10_000, "too_deep"),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "too_deep"),
        (b'{"a": "' + b"x" * (2 * 1024 * 1024) + b'"}', "too_large"),
        (b'{"a": ' + b"9" * 5000 + b"}", "invalid_json"),
    ],
)
def test_bad_input_raises_a_coded_error(data: bytes, code: str) -> None:
    with pytest.raises(DetectionInputError) as info:
        DETECTOR.detect_json(data)
    assert info.value.code == code


def test_error_messages_hold_no_input_text() -> None:
    secret = "zq7ksecretvaluex"
    for data in (f'{{"a": "{secret}"'.encode(), f'{{"a": {secret}}}'.encode()):
        with pytest.raises(DetectionInputError) as info:
            DETECTOR.detect_json(data)
        assert "secret" not in str(info.value)


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    doc = {"text": "[" * 1000, "email": "a@example.com"}
    assert "$.email" in DETECTOR.detect_json(json.dumps(doc))


def test_deep_python_object_raises_too_deep_not_recursion_error() -> None:
    doc: object = "x"
    for _ in range(10_000):
        doc = {"a": doc}
    with pytest.raises(DetectionInputError) as info:
        DETECTOR.detect_document(doc)
    assert info.value.code == "too_deep"


def test_depth_limit_allows_documents_at_the_limit() -> None:
    doc: object = {"email": "a@example.com"}
    for _ in range(62):
        doc = {"a": doc}
    result = DETECTOR.detect_json(json.dumps(doc))
    assert len(result) == 1


def test_records_use_wildcard_paths_and_shares() -> None:
    records = [
        {"contact": f"user{i}@example.com", "items": [{"code": "X"}], "misc": "hello"}
        for i in range(8)
    ] + [{"contact": "n/a", "misc": f"m{i}@example.com"} for i in range(2)]
    result = DETECTOR.detect_records(records)
    assert list(result) == ["$.contact"]
    finding = result["$.contact"][0]
    assert finding.type_id == "email"
    assert "share:80%" in finding.reasons
    single = DETECTOR.detect_document({"contact": "a@example.com"})["$.contact"][0]
    assert finding.confidence < single.confidence


def test_records_arrays_become_star() -> None:
    records = [{"orders": [{"email": f"a{i}@example.com"}, {"sku": "X1"}]} for i in range(3)]
    assert list(DETECTOR.detect_records(records)) == ["$.orders[*].email"]


def test_records_below_the_share_are_not_typed() -> None:
    records = [{"misc": "a@example.com"}] + [{"misc": f"text {i}"} for i in range(9)]
    assert DETECTOR.detect_records(records) == {}


def test_records_with_key_context_need_a_smaller_share() -> None:
    records = [{"phone": "+14155552671"}] * 4 + [{"phone": "unknown"}] * 6
    assert [f.type_id for f in DETECTOR.detect_records(records)["$.phone"]] == ["phone_number"]


def test_records_empty_values_do_not_dilute_the_share() -> None:
    records = [{"email": "a@example.com"}] * 3 + [{"email": ""}, {"email": None}] * 5
    assert "$.email" in DETECTOR.detect_records(records)


def test_json_records_count_invalid_ones() -> None:
    result, valid, invalid = DETECTOR.detect_json_records(
        [b'{"email": "a@example.com"}', b"{", b'{"email": "b@example.com"}', b"[" * 100]
    )
    assert (valid, invalid) == (2, 2)
    assert "$.email" in result


def test_a_too_deep_record_is_counted_invalid_not_raised() -> None:
    deep: object = {"email": "a@example.com"}
    for _ in range(5):
        deep = {"a": deep}
    aggregator = Detector(max_depth=4).records()
    aggregator.add(deep)
    aggregator.add({"email": "b@example.com"})
    assert (aggregator.records, aggregator.invalid_records) == (1, 1)
    assert list(aggregator.result()) == ["$.email"]
