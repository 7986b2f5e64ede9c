from __future__ import annotations

import pytest

from detection_tool.catalog import CATALOG
from detection_tool.keys import key_context, key_tokens

# the core set in CONTRACTS.md "Data type ids" (a contract: never renamed)
_CONTRACT_TEXT = """person_name first_name last_name email phone_number street_address postal_code
geolocation date_of_birth gender username user_id ip_address mac_address imei advertising_id
passport_number drivers_license national_id us_ssn us_itin tax_id credit_card_number
masked_card_number card_expiry card_cvv card_track_data cardholder_name iban bank_account_number
bank_routing_number swift_bic health_condition icd10_code medication medical_record_number
health_insurance_number password private_key jwt bearer_token basic_auth_credentials
session_cookie aws_access_key aws_secret_key gcp_api_key azure_key github_token slack_token
stripe_key generic_secret connection_string_with_password"""
CONTRACT_IDS = _CONTRACT_TEXT.split()


def test_catalog_holds_every_contract_id_with_valid_attributes() -> None:
    assert set(CONTRACT_IDS) <= set(CATALOG)
    for type_id, entry in CATALOG.items():
        assert entry.id == type_id
        assert entry.category in ("personal", "payment", "health", "credentials")
        assert entry.sensitivity in ("low", "medium", "high")
        assert entry.description


@pytest.mark.parametrize(
    ("type_id", "sensitivity", "category"),
    [
        ("email", "medium", "personal"),
        ("credit_card_number", "high", "payment"),
        ("user_id", "low", "personal"),
        ("us_ssn", "high", "personal"),
        ("password", "high", "credentials"),
        ("icd10_code", "high", "health"),
    ],
)
def test_default_sensitivities(type_id: str, sensitivity: str, category: str) -> None:
    assert CATALOG[type_id].sensitivity == sensitivity
    assert CATALOG[type_id].category == category


@pytest.mark.parametrize(
    ("key", "tokens"),
    [
        ("cardNumber", ("card", "number")),
        ("card_number", ("card", "number")),
        ("CARD-NUMBER", ("card", "number")),
        ("card.number", ("card", "number")),
        ("CardNumber", ("card", "number")),
        ("HTTPStatusCode", ("http", "status", "code")),
        ("address_line1", ("address", "line")),
        ("Straße", ("strasse",)),
        ("contraseña", ("contrasena",)),
        ("prénom", ("prenom",)),
        ("E-Mail", ("e", "mail")),
    ],
)
def test_key_tokens(key: str, tokens: tuple[str, ...]) -> None:
    assert key_tokens(key) == tokens


@pytest.mark.parametrize(
    ("key", "parent", "type_id"),
    [
        ("email", None, "email"),
        ("e_mail", None, "email"),
        ("courriel", None, "email"),
        ("correo", None, "email"),
        ("billingEmail", None, "email"),
        ("emailAddress", None, "email"),
        ("emails", None, "email"),
        ("telefon", None, "phone_number"),
        ("telefono", None, "phone_number"),
        ("MSISDN", None, "phone_number"),
        ("mobileNumber", None, "phone_number"),
        ("kartennummer", None, "credit_card_number"),
        ("numero_carte", None, "credit_card_number"),
        ("cc_number", None, "credit_card_number"),
        ("pan", None, "credit_card_number"),
        ("number", "card", "credit_card_number"),
        ("passwort", None, "password"),
        ("mot_de_passe", None, "password"),
        ("contraseña", None, "password"),
        ("pwd", None, "password"),
        ("vorname", None, "first_name"),
        ("prénom", None, "first_name"),
        ("nombre", "cliente", "person_name"),  # a bare `nombre` names products and shops too
        ("nachname", None, "last_name"),
        ("apellido", None, "last_name"),
        ("surname", None, "last_name"),
        ("full_name", None, "person_name"),
        ("name", "customer", "person_name"),
        ("geburtsdatum", None, "date_of_birth"),
        ("dateOfBirth", None, "date_of_birth"),
        ("strasse", None, "street_address"),
        ("calle", None, "street_address"),
        ("PLZ", None, "postal_code"),
        ("code_postal", None, "postal_code"),
        ("zipCode", None, "postal_code"),
        ("api_key", None, "generic_secret"),
        ("Authorization", None, "generic_secret"),
        ("security_code", None, "card_cvv"),
        ("exp_date", None, "card_expiry"),
        ("customerId", None, "user_id"),
        ("id", "user", "user_id"),
        ("ip_address", None, "ip_address"),
        ("order_id", None, "identifier"),
        ("sku", None, "identifier"),
        ("tracking_number", None, "identifier"),
        ("invoiceNumber", None, "identifier"),
    ],
)
def test_key_context_across_languages(key: str, parent: str | None, type_id: str) -> None:
    ctx = key_context(key, parent)
    assert ctx is not None
    assert ctx.type_id == type_id


@pytest.mark.parametrize(
    ("key", "parent"),
    [
        ("name", "product"),
        ("product_name", None),
        ("FileName", "card"),  # a thing's name stays untyped inside a card record
        ("FILE_NAME", "cards"),
        ("description", None),
        ("password_changed_at", None),
        ("status", None),
    ],
)
def test_keys_without_sensitive_context(key: str, parent: str | None) -> None:
    ctx = key_context(key, parent)
    assert ctx is None or ctx.identifier


def test_reason_names_the_phrase_not_the_key_spelling() -> None:
    ctx = key_context("CARD-NUMBER")
    assert ctx is not None
    assert ctx.reason == "key:card_number"
