"""National, tax and health identity numbers: shapes and checksums (python-stdnum).

Each entry has a *compact* shape tried only when the key name suggests the type (or a generic
``national_id`` / ``tax_id`` key), and optionally a *formatted* shape distinctive enough to be
recognized in any field (``123.456.789-09`` is a Brazilian CPF, ``123456789`` alone is nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stdnum import luhn as std_luhn
from stdnum import verhoeff
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.exceptions import ValidationError
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.pl import pesel

if TYPE_CHECKING:  # the catalog imports this table
    from detection_tool.catalog import Category, Sensitivity


def _std(validate: Callable[[str], object]) -> Callable[[str], bool]:
    """A boolean check from a stdnum `validate` (which raises on an invalid number)."""

    def check(text: str) -> bool:
        try:
            validate(text)
        except (ValidationError, ValueError, KeyError, IndexError):
            return False
        return True

    return check


_NINO_PREFIX_BANNED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino(text: str) -> bool:
    """UK National Insurance number: two prefix letters (HMRC rules), six digits, A-D."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]", compact) is None:
        return False
    return compact[:2] not in _NINO_PREFIX_BANNED


def aadhaar(text: str) -> bool:
    """Indian Aadhaar: 12 digits, first not 0 or 1, not a palindrome, Verhoeff checksum."""
    d = re.sub(r"\D", "", text)
    return len(d) == 12 and d[0] not in "01" and d != d[::-1] and verhoeff.is_valid(d)


def us_npi(text: str) -> bool:
    """US National Provider Identifier: 10 digits, Luhn over the 80840 prefix."""
    d = re.sub(r"\D", "", text)
    return len(d) == 10 and d[0] in "12" and std_luhn.is_valid("80840" + d)


def us_dea(text: str) -> bool:
    """US DEA registration: 2 letters, 7 digits, weighted checksum in the last digit."""
    compact = text.upper()
    if re.fullmatch(r"[A-HJ-NP-UX][A-Z9]\d{7}", compact) is None:
        return False
    d = [int(c) for c in compact[2:]]
    total = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])
    return total % 10 == d[6]


_MBI_LETTER = "AC-HJ-KM-NP-RT-Y"
_MBI = (
    rf"[1-9][{_MBI_LETTER}][{_MBI_LETTER}0-9]\d-?[{_MBI_LETTER}][{_MBI_LETTER}0-9]\d-?"
    rf"[{_MBI_LETTER}]{{2}}\d{{2}}"
)


def us_mbi(text: str) -> bool:
    """US Medicare Beneficiary Identifier: 11 positions with fixed letter/digit classes."""
    return re.fullmatch(_MBI, text.upper()) is not None


@dataclass(frozen=True, slots=True)
class IdNumber:
    type_id: str
    category: Category
    sensitivity: Sensitivity
    description: str
    validator: Callable[[str], bool]
    compact: str  # shape under a suggesting key
    formatted: str = ""  # shape recognized anywhere ("" = key context needed)
    keys: str = ""  # key phrases naming this type (space-separated, normalised like keys)
    numbers: bool = False  # may arrive as a JSON number
    # its check is one many other countries' numbers pass too (nine digits under Luhn: a
    # Canadian SIN, an Israeli identity number, a Portuguese NIF): it does not name the country
    shared_check: bool = False


# fmt: off
ID_NUMBERS: tuple[IdNumber, ...] = (
    IdNumber("uk_nino", "personal", "high", "A UK National Insurance number", uk_nino,
             r"[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d]",
             r"[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]",
             "nino ni_number national_insurance national_insurance_number"),
    IdNumber("fr_nir", "personal", "high", "A French social security number (NIR / INSEE)",
             _std(nir.validate),
             r"[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[ABab])\s?\d{3}\s?\d{3}\s?\d{2}",
             r"[12] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}",
             "nir numero_securite_sociale securite_sociale insee numero_insee", numbers=True),
    IdNumber("es_dni", "personal", "high", "A Spanish national identity number (DNI)",
             _std(dni.validate), r"\d{8}-?[A-Za-z]", r"\d{8}-?[A-Z]", "dni documento_identidad"),
    IdNumber("es_nie", "personal", "high", "A Spanish foreigner identity number (NIE)",
             _std(nie.validate), r"[XYZxyz]-?\d{7}-?[A-Za-z]", r"[XYZ]-?\d{7}-?[A-Z]", "nie"),
    IdNumber("it_codice_fiscale", "personal", "high", "An Italian tax code (codice fiscale)",
             _std(codicefiscale.validate), r"[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]",
             r"[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]", "codice_fiscale codicefiscale"),
    IdNumber("nl_bsn", "personal", "high", "A Dutch citizen service number (BSN)",
             _std(bsn.validate), r"\d{4}\.?\d{2}\.?\d{3}|\d{8,9}", "",
             "bsn burgerservicenummer", numbers=True),
    IdNumber("pl_pesel", "personal", "high", "A Polish national identity number (PESEL)",
             _std(pesel.validate), r"\d{11}", "", "pesel", numbers=True),
    IdNumber("br_cpf", "personal", "high", "A Brazilian individual taxpayer number (CPF)",
             _std(cpf.validate), r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", r"\d{3}\.\d{3}\.\d{3}-\d{2}",
             "cpf", numbers=True),
    IdNumber("in_aadhaar", "personal", "high", "An Indian Aadhaar number", aadhaar,
             r"\d{4}[ -]?\d{4}[ -]?\d{4}", "", "aadhaar aadhar uid_number aadhaar_number",
             numbers=True),
    IdNumber("ca_sin", "personal", "high", "A Canadian Social Insurance Number",
             _std(sin.validate), r"\d{3}[ -]?\d{3}[ -]?\d{3}", "",
             "sin social_insurance_number nas", numbers=True, shared_check=True),
    IdNumber("de_tax_id", "personal", "high", "A German tax identification number (IdNr)",
             _std(idnr.validate), r"\d{2} ?\d{3} ?\d{3} ?\d{3}", "",
             "steuer_id steuerid steuer_identifikationsnummer steueridentifikationsnummer idnr",
             numbers=True),
    IdNumber("uk_nhs_number", "health", "high", "A UK NHS number", _std(nhs.validate),
             r"\d{3}[ -]?\d{3}[ -]?\d{4}", "", "nhs nhs_number nhs_no", numbers=True),
    IdNumber("us_medicare_mbi", "health", "high", "A US Medicare Beneficiary Identifier", us_mbi,
             _MBI, _MBI.replace("-?", "-"), "mbi medicare_id medicare_number"),
    IdNumber("us_npi", "health", "medium", "A US National Provider Identifier", us_npi,
             r"\d{10}", "", "npi npi_number provider_npi prescriber_id", numbers=True),
    IdNumber("us_dea_number", "health", "medium", "A US DEA prescriber registration number",
             us_dea, r"[A-Za-z]{2}\d{7}", "", "dea dea_number"),
)
# fmt: on

GENERIC_ID_KEYS = frozenset({"national_id", "tax_id"})
"""Key types under which every personal compact shape is tried (the country is not named)."""


def _generic_keys(entry: IdNumber) -> frozenset[str]:
    if entry.category == "personal":
        return GENERIC_ID_KEYS
    if entry.type_id == "us_medicare_mbi":  # Medicare's number is a health insurance number
        return frozenset({"health_insurance_number"})
    return frozenset()  # an NHS number or a prescriber's NPI is no tax or national id


GENERIC_KEYS: dict[str, frozenset[str]] = {e.type_id: _generic_keys(e) for e in ID_NUMBERS}
"""Per id type, the key types besides its own under which its compact shape is tried."""
IDS_UNDER: dict[str, frozenset[str]] = {
    key: frozenset(t for t, keys in GENERIC_KEYS.items() if key in keys)
    for key in frozenset().union(*GENERIC_KEYS.values())
}
"""Per generic key type, the id types tried under it."""

BY_TYPE: dict[str, IdNumber] = {entry.type_id: entry for entry in ID_NUMBERS}
