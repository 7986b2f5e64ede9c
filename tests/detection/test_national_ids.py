"""National, tax and health ids: checksummed positives built at test time, look-alikes refused."""

from __future__ import annotations

import pytest
from stdnum import luhn
from stdnum.br import cpf
from stdnum.es import dni
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.nl import bsn
from stdnum.pl import pesel

from detection_tool import Detector
from detection_tool.catalog import CATALOG
from detection_tool.national_ids import ID_NUMBERS, aadhaar, uk_nino, us_dea, us_mbi, us_npi

from .helpers import types_at

DETECTOR = Detector()
NEUTRAL = "value"


def _complete(body: str, valid: object) -> str:
    for d in "0123456789":
        if valid(body + d):  # type: ignore[operator]
            return body + d
    raise AssertionError("no check digit")


def _cpf() -> str:
    digits = next(
        a + b
        for a in [f"111444777{x}" for x in "0123456789"]
        for b in "0123456789"
        if cpf.is_valid(a + b)
    )
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"


def _npi() -> str:
    return "123456789" + luhn.calc_check_digit("80840123456789")


def _dea() -> str:
    d = [1, 2, 3, 4, 5, 6]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return "AB123456" + str(check)


def _aadhaar() -> str:
    from stdnum import verhoeff

    return "23456789012"[:11] + verhoeff.calc_check_digit("23456789012"[:11])


def _dni() -> str:
    return "12345678" + dni.calc_check_digit("12345678")


def _nir() -> str:
    body = "2840575123456"
    return body + nir.calc_check_digits(body)


def test_every_id_type_is_in_the_catalog() -> None:
    for entry in ID_NUMBERS:
        assert CATALOG[entry.type_id].sensitivity == entry.sensitivity
    assert len(CATALOG) >= 50


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        ("nino", "AB123456C", "uk_nino"),
        ("national_insurance_number", "AB 12 34 56 C", "uk_nino"),
        ("nir", lambda: _nir(), "fr_nir"),
        ("dni", lambda: _dni(), "es_dni"),
        ("nie", "X1234567L", "es_nie"),
        ("codice_fiscale", "RSSMRA85T10A562S", "it_codice_fiscale"),
        ("bsn", lambda: _complete("11122233", bsn.is_valid), "nl_bsn"),
        ("pesel", lambda: _complete("4405140135", pesel.is_valid), "pl_pesel"),
        ("cpf", lambda: _cpf(), "br_cpf"),
        ("aadhaar", lambda: _aadhaar(), "in_aadhaar"),
        ("sin", "046 454 286", "ca_sin"),
        ("nhsNumber", lambda: _complete("943476591", nhs.is_valid), "uk_nhs_number"),
        ("mbi", "1EG4-TE5-MK73", "us_medicare_mbi"),
        ("npi", lambda: _npi(), "us_npi"),
        ("dea_number", lambda: _dea(), "us_dea_number"),
    ],
)
def test_ids_under_their_key(key: str, value: object, type_id: str) -> None:
    text = value() if callable(value) else value
    assert types_at(DETECTOR, key, text) == [type_id]


@pytest.mark.parametrize(
    ("value", "type_id"),
    [
        (lambda: _cpf(), "br_cpf"),  # also looks like a version string: the checksum wins
        ("X1234567L", "es_nie"),
        ("RSSMRA85T10A562S", "it_codice_fiscale"),
        ("AB123456C", "uk_nino"),
        ("1EG4-TE5-MK73", "us_medicare_mbi"),
    ],
)
def test_distinctive_formats_need_no_key(value: object, type_id: str) -> None:
    text = value() if callable(value) else value
    assert types_at(DETECTOR, NEUTRAL, text) == [type_id]


@pytest.mark.parametrize(
    "value",
    [
        "111.444.777-36",  # CPF with a wrong check digit
        "X1234567A",  # NIE with a wrong letter
        "RSSMRA85T10A562X",  # codice fiscale, wrong check letter
        "GB123456C",  # NINO with a banned prefix
        "1.2.3-4",
    ],
)
def test_format_look_alikes_without_key(value: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []


@pytest.mark.parametrize("value", ["123456782", "987654321"])
def test_bare_digit_ids_need_a_key(value: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []
    assert types_at(DETECTOR, "order_number", value) == []


def test_generic_national_id_key_names_the_country_when_a_checksum_confirms() -> None:
    found = types_at(DETECTOR, "national_id", _cpf())
    assert found == ["br_cpf"]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("personal_id", "92031704826", "pl_pesel"),  # a valid PESEL under a weaker generic key
        ("national_id", "92031704826", "pl_pesel"),
        # nine digits passing the Luhn check of a Canadian SIN: an Israeli identity number, a
        # Portuguese NIF; the generic key names them
        ("מספר_זהות", "623220357", "national_id"),
        ("cf_nif", "284884731", "tax_id"),
        ("tax_id", "284884731", "tax_id"),
    ],
)
def test_generic_key_prefers_a_distinctive_country_id_over_a_shared_checksum(
    key: str, value: str, expected: str
) -> None:
    assert types_at(DETECTOR, key, value)[0] == expected


def test_checksum_failures_under_a_key_naming_the_type_keep_the_type() -> None:
    # test data and legacy systems hold ids that fail their checksum: the key still names them
    result = DETECTOR.detect_document({"aadhaar": "234567890120"})
    (finding,) = result["$.aadhaar"]
    assert finding.type_id == "in_aadhaar"
    assert "value:in_aadhaar_unchecked" in finding.reasons


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (uk_nino, "AB123456C", "AB123456E"),
        (us_mbi, "1EG4TE5MK73", "1EG4TE5MK7"),
        (us_npi, "1234567893", "1234567890"),
        (us_dea, "AB1234563", "AB1234560"),
        (aadhaar, "234567890124", "123456789012"),
    ],
)
def test_own_validators(check: object, good: str, bad: str) -> None:
    assert check(good) is True  # type: ignore[operator]
    assert check(bad) is False  # type: ignore[operator]
