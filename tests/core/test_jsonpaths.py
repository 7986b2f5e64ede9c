"""Field paths: member names in any script and style enter paths; map keys that look like
values (e-mails, long numbers, UUIDs, hex ids) are written `*` so paths stay structure."""

from __future__ import annotations

import pytest

from sensor_core.jsonpaths import child_path, normalize_path


@pytest.mark.parametrize(
    "key",
    [
        "email", "firstName", "first-name", "FIRST_NAME", "_id", "Street Address", "address2",
        "prénom", "téléphone", "straße", "Geburtsdatum", "número_documento", "correo_electrónico",
        "имя", "名前", "order_12", "ชื่อ", "นามสกุล", "วันเกิด", "नाम", "पता", "জন্ম_তারিখ",
    ],
)  # fmt: skip
def test_member_names_are_kept(key: str) -> None:
    assert child_path("$.customer", key) == f"$.customer.{key}"


@pytest.mark.parametrize(
    "key",
    [
        "jane.doe@example.org", "4111111111111111", "user_123456", "+4915112345678",
        "a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b", "d41d8cd98f00b204e9800998ecf8427e",
        "10.0.0.1", "1key", "", "x" * 65, "key\\nnewline", "a/b", 42, None,
    ],
)  # fmt: skip
def test_keys_that_look_like_values_become_a_star(key: object) -> None:
    assert child_path("$.sessions", key) == "$.sessions.*"


def test_array_indices_normalize() -> None:
    assert normalize_path("$.items[3].tags[12]") == "$.items[*].tags[*]"
