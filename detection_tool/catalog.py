"""The data type catalog: stable ids (a contract: extend, never rename), category, sensitivity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from detection_tool.national_ids import ID_NUMBERS

Category = Literal["personal", "payment", "health", "credentials"]
Sensitivity = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class DataType:
    """One catalog entry."""

    id: str
    category: Category
    sensitivity: Sensitivity
    description: str


_ENTRIES: tuple[tuple[str, Category, Sensitivity, str], ...] = (
    # personal
    ("person_name", "personal", "medium", "A person's full name"),
    ("first_name", "personal", "medium", "A person's given name"),
    ("last_name", "personal", "medium", "A person's family name"),
    ("email", "personal", "medium", "An email address"),
    ("phone_number", "personal", "medium", "A telephone number"),
    ("street_address", "personal", "medium", "A postal street address"),
    ("postal_code", "personal", "low", "A postal or ZIP code"),
    ("geolocation", "personal", "medium", "Latitude / longitude coordinates"),
    ("date_of_birth", "personal", "high", "A person's date of birth"),
    ("gender", "personal", "medium", "A person's gender"),
    ("username", "personal", "low", "A login or user name"),
    ("user_id", "personal", "low", "An identifier of a user, customer or account"),
    ("ip_address", "personal", "low", "An IPv4 or IPv6 address"),
    ("mac_address", "personal", "low", "A network hardware (MAC) address"),
    ("imei", "personal", "medium", "A mobile device IMEI"),
    ("advertising_id", "personal", "low", "A mobile advertising identifier"),
    ("passport_number", "personal", "high", "A passport number"),
    ("drivers_license", "personal", "high", "A driver's license number"),
    ("national_id", "personal", "high", "A national identity number"),
    ("us_ssn", "personal", "high", "A US Social Security number"),
    ("us_itin", "personal", "high", "A US Individual Taxpayer Identification Number"),
    ("tax_id", "personal", "high", "A tax identification number"),
    # payment
    ("credit_card_number", "payment", "high", "A payment card number (PAN)"),
    ("masked_card_number", "payment", "low", "A masked or truncated payment card number"),
    ("card_expiry", "payment", "medium", "A payment card expiry date"),
    ("card_cvv", "payment", "high", "A payment card security code"),
    ("card_track_data", "payment", "high", "Magnetic stripe track data"),
    ("cardholder_name", "payment", "medium", "The name printed on a payment card"),
    ("iban", "payment", "high", "An International Bank Account Number"),
    ("bank_account_number", "payment", "high", "A bank account number"),
    ("bank_routing_number", "payment", "medium", "A bank routing / sort code"),
    ("swift_bic", "payment", "low", "A SWIFT / BIC bank code"),
    # health
    ("health_condition", "health", "high", "A diagnosis or health condition"),
    ("icd10_code", "health", "high", "An ICD-10 diagnosis code"),
    ("medication", "health", "high", "A medication or prescription"),
    ("medical_record_number", "health", "high", "A medical record number"),
    ("health_insurance_number", "health", "high", "A health insurance member number"),
    # credentials
    ("password", "credentials", "high", "A password or passphrase"),
    ("private_key", "credentials", "high", "A private key (PEM, OpenSSH, PGP)"),
    ("jwt", "credentials", "high", "A JSON Web Token"),
    ("bearer_token", "credentials", "high", "An HTTP bearer token"),
    ("basic_auth_credentials", "credentials", "high", "HTTP Basic authentication credentials"),
    ("session_cookie", "credentials", "high", "A session identifier cookie"),
    ("aws_access_key", "credentials", "high", "An AWS access key id"),
    ("aws_secret_key", "credentials", "high", "An AWS secret access key"),
    ("gcp_api_key", "credentials", "high", "A Google Cloud API key"),
    ("azure_key", "credentials", "high", "An Azure key or connection secret"),
    ("github_token", "credentials", "high", "A GitHub token"),
    ("slack_token", "credentials", "high", "A Slack token"),
    ("stripe_key", "credentials", "high", "A Stripe secret or restricted key"),
    ("generic_secret", "credentials", "high", "A secret, token or API key named as such"),
    (
        "connection_string_with_password",
        "credentials",
        "high",
        "A connection URL that embeds a password",
    ),
    ("gitlab_token", "credentials", "high", "A GitLab personal, project or runner token"),
    ("openai_key", "credentials", "high", "An OpenAI API key"),
    ("twilio_key", "credentials", "high", "A Twilio API key"),
    ("sendgrid_key", "credentials", "high", "A SendGrid API key"),
    ("npm_token", "credentials", "high", "An npm access token"),
    ("pypi_token", "credentials", "high", "A PyPI upload token"),
    *((e.type_id, e.category, e.sensitivity, e.description) for e in ID_NUMBERS),
)

CATALOG: Mapping[str, DataType] = MappingProxyType(
    {type_id: DataType(type_id, cat, sens, desc) for type_id, cat, sens, desc in _ENTRIES}
)
"""Every data type id the detector may return, by id."""


def data_type(type_id: str) -> DataType:
    """The catalog entry for an id (KeyError names the id, which is never a payload value)."""
    return CATALOG[type_id]
