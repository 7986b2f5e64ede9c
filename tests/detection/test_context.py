"""Key names across styles and languages, parent and endpoint context, vendor secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detection_tool import Detector
from detection_tool.detector import context_noun

from .helpers import luhn_complete, type_ids, types_at

DETECTOR = Detector()
CARD = luhn_complete("411111111111111")


@pytest.mark.parametrize(
    "key",
    ["email_address", "emailAddress", "email-address", "EMAIL_ADDRESS", "EmailAddress",
     "correo_electronico", "courriel", "E-Mail-Adresse", "workEmail"],
)  # fmt: skip
def test_email_key_styles_and_languages(key: str) -> None:
    # a value that alone is not an email: only the key can say it
    assert types_at(DETECTOR, key, "ana@example.org") == ["email"]


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        ("telefonnummer", "030 1234567", "phone_number"),
        ("numero_de_telefono", "612 34 56 78", "phone_number"),
        ("Geburtsdatum", "1984-03-02", "date_of_birth"),
        ("fecha_de_nacimiento", "02/03/1984", "date_of_birth"),
        ("date_de_naissance", "02.03.1984", "date_of_birth"),
        ("Vorname", "Jürgen", "first_name"),
        ("prenom", "Amélie", "first_name"),
        ("apellido", "García", "last_name"),
        ("Nachname", "Müller", "last_name"),
        ("motDePasse", "s3cr3t!pass", "password"),
        ("contraseña", "s3cr3t!pass", "password"),
        ("Kontonummer", "1234567890", "bank_account_number"),
        ("codigo_postal", "28013", "postal_code"),
        ("PLZ", "10115", "postal_code"),
        ("adresse", "12 rue de la Paix", "street_address"),
        ("direccion", "Calle Mayor 5", "street_address"),
        ("geschlecht", "weiblich", "gender"),
        ("kartennummer", CARD, "credit_card_number"),
        ("fname", "Ana", "first_name"),
        ("dob", "1990-01-31", "date_of_birth"),
        ("acct_no", "12345678", "bank_account_number"),
        ("ipv4", "10.1.2.3", "ip_address"),
        ("drug_name", "Metformin 500 mg", "medication"),
        ("sozialversicherungsnummer", "65170839J003", "national_id"),
        ("krankenversichertennummer", "A123456780", "health_insurance_number"),
        ("icd10_gm", "E11.9", "icd10_code"),
    ],
)
def test_key_languages_and_abbreviations(key: str, value: object, type_id: str) -> None:
    assert types_at(DETECTOR, key, value) == [type_id]


def test_published_ssn_under_ssn_key_is_an_ssn_not_a_phone() -> None:
    assert types_at(DETECTOR, "ssn", "078-05-1120") == ["us_ssn"]
    assert types_at(DETECTOR, "value", "078-05-1120") == []


@pytest.mark.parametrize(
    ("doc", "path", "type_id"),
    [
        ({"account_holder": "Ana Lopez"}, "$.account_holder", "person_name"),
        ({"billing": {"name": "Ana Lopez"}}, "$.billing.name", "person_name"),
        ({"shipping": {"name": "Ana Lopez"}}, "$.shipping.name", "person_name"),
        ({"card": {"exp_month": 12}}, "$.card.exp_month", "card_expiry"),
        ({"card": {"exp_year": 2027}}, "$.card.exp_year", "card_expiry"),
        ({"source": {"expiryYear": "27"}}, "$.source.expiryYear", "card_expiry"),
        ({"card": {"holder_name": "ANA LOPEZ"}}, "$.card.holder_name", "cardholder_name"),
        ({"card": {"number": CARD}}, "$.card.number", "credit_card_number"),
        ({"customers": [{"id": 42}]}, "$.customers[0].id", "user_id"),
        ({"user": {"uuid": "0f8fad5b-d9cb-469f-a165-70867728950e"}}, "$.user.uuid", "user_id"),
        (
            {"insurance": {"memberId": "XJH123456789"}},
            "$.insurance.memberId",
            "health_insurance_number",
        ),
        ({"conditions": ["Type 2 diabetes"]}, "$.conditions[0]", "health_condition"),
    ],
)
def test_parent_context(doc: dict[str, object], path: str, type_id: str) -> None:
    result = DETECTOR.detect_document(doc)
    assert [f.type_id for f in result[path]] == [type_id]


def test_a_year_is_only_an_expiry_under_an_expiry_key() -> None:
    doc = {"year": 2027, "model_year": 2027, "fiscal_year": 2027, "card": {"exp_year": 2027}}
    assert set(DETECTOR.detect_document(doc)) == {"$.card.exp_year"}


def test_a_kubernetes_objects_uid_is_not_a_users() -> None:
    doc = {
        "metadata": {
            "uid": "4f1c2a9e-6b1d-4c57-9d3e-2b8f0a1c7e55",
            "ownerReferences": [{"kind": "ReplicaSet", "uid": "9a8b7c6d-1e2f-4a3b-8c7d-6e5f4a3b"}],
        },
        "user": {"uid": "4f1c2a9e-6b1d-4c57-9d3e-2b8f0a1c7e55"},
    }
    assert type_ids(DETECTOR.detect_document(doc)) == {"$.user.uid": ["user_id"]}


def test_product_and_billing_ids_are_not_people() -> None:
    doc = {"product": {"name": "Widget 3000", "id": 7}, "billing": {"id": 99}}
    assert DETECTOR.detect_document(doc) == {}


def test_endpoint_context_names_the_root_object() -> None:
    doc = {"id": 42, "name": "Ana Lopez", "status": "active"}
    plain = DETECTOR.detect_document(doc)
    assert "$.id" not in plain
    result = DETECTOR.detect_document(doc, context="GET /v1/users/{id}")
    assert [f.type_id for f in result["$.id"]] == ["user_id"]
    assert "key:users.id" in result["$.id"][0].reasons
    orders = DETECTOR.detect_document(doc, context="GET /v1/orders/{id}")
    assert "$.id" not in orders


@pytest.mark.parametrize(
    ("context", "noun"),
    [
        ("GET /v1/users/{id}", "users"),
        ("/api/v2/customers", "customers"),
        ("shop.public.patients", "patients"),
        ("/v1/{id}", None),
        ("", None),
        (None, None),
    ],
)
def test_context_noun(context: str | None, noun: str | None) -> None:
    assert context_noun(context) == noun


def _token(prefix: str, n: int, alphabet: str = "aB3dE5fG7hJ9kL2mN4pQ6rS8tV") -> str:
    return prefix + (alphabet * 10)[:n]


@pytest.mark.parametrize(
    ("value", "type_id"),
    [
        (_token("glpat-", 20), "gitlab_token"),
        (_token("sk-proj-", 48), "openai_key"),
        ("SK" + "0123456789abcdef" * 2, "twilio_key"),
        (f"SG.{_token('', 22)}.{_token('', 43)}", "sendgrid_key"),
        (_token("npm_", 36), "npm_token"),
        (_token("pypi-AgEIcHlwaS5vcmc", 60), "pypi_token"),
        (_token("ghp_", 36), "github_token"),
        (
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nabc\n-----END PGP PRIVATE KEY BLOCK-----",
            "private_key",
        ),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "private_key"),
    ],
)
def test_vendor_secrets_without_key(value: str, type_id: str) -> None:
    assert types_at(DETECTOR, "value", value) == [type_id]


def test_named_credential_hides_the_keys_generic_guess() -> None:
    jwt_like = DETECTOR.detect_document({"api_key": _token("glpat-", 20)})
    assert [f.type_id for f in jwt_like["$.api_key"]] == ["gitlab_token"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("page_token", "915423965191"),
        ("next_page_token", "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0"),
        ("cursor", "eyJvZmZzZXQiOjEwMH0"),
        ("zip", "07827-0261"),  # ZIP+4 is a postal code, not also a phone
    ],
)
def test_negative_and_exclusive_context(key: str, value: str) -> None:
    found = types_at(DETECTOR, key, value)
    assert "generic_secret" not in found
    assert "phone_number" not in found


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            {"payment": {"number": CARD, "expiry": "12/27", "name": "ANA LOPEZ"}},
            {
                "$.payment.number": ["credit_card_number"],
                "$.payment.expiry": ["card_expiry"],
                "$.payment.name": ["cardholder_name"],
            },
        ),
        (
            {"id": 7, "email": "a@example.com", "first_name": "Ana"},
            {"$.id": ["user_id"], "$.email": ["email"], "$.first_name": ["first_name"]},
        ),
        ({"id": 7, "email": "a@example.com", "sku": "A-1"}, {"$.email": ["email"]}),
        ({"payment": {"number": "12345", "amount": 3}}, {}),
    ],
)
def test_sibling_context(doc: dict[str, object], expected: dict[str, list[str]]) -> None:
    result = DETECTOR.detect_document(doc)
    assert type_ids(result) == expected


def test_a_record_with_contact_details_keeps_its_own_ids() -> None:
    """An order carries the buyer's email and phone, but its `id` and `checkout_id` are the
    order's; the customer inside it still has a user id (shaped like a shop's order API)."""
    doc = {
        "order": {
            "id": 450789469,
            "checkout_id": 901414060,
            "email": "bob.norman@mail.example.com",
            "phone": "+16136120707",
            "customer": {"id": 207119551, "email": "bob.norman@mail.example.com"},
        }
    }
    found = type_ids(DETECTOR.detect_document(doc))
    assert "$.order.id" not in found
    assert "$.order.checkout_id" not in found
    assert found["$.order.customer.id"] == ["user_id"]
    assert found["$.order.email"] == ["email"]
    # the same members without a record's name are a person's
    person = DETECTOR.detect_document({"data": doc["order"]})
    assert [f.type_id for f in person["$.data.id"]] == ["user_id"]


def test_resource_sids_are_identifiers_and_a_bare_sid_is_a_session() -> None:
    """Twilio-style `account_sid` / `messaging_service_sid` name resources, not sessions."""
    sid = "AC3d1e6c4b2a9f8e7d6c5b4a3f2e1d0c9b"
    assert types_at(DETECTOR, "account_sid", sid) == []
    assert types_at(DETECTOR, "messaging_service_sid", sid) == []
    assert types_at(DETECTOR, "connect_sid", "s%3AkT9x2Lq0vZ8rW4yB6nM1pD3fH5jC7gE") != []
    assert types_at(DETECTOR, "sid", "kT9x2Lq0vZ8rW4yB6nM1pD3fH5jC7gE") == ["session_cookie"]


def test_fhir_style_names() -> None:
    doc = {"name": [{"use": "official", "family": "Chalmers", "given": ["Peter", "James"]}]}
    found = type_ids(DETECTOR.detect_document(doc))
    assert found == {
        "$.name[0].family": ["last_name"],
        "$.name[0].given[0]": ["first_name"],
        "$.name[0].given[1]": ["first_name"],
    }


def test_diagnosis_objects_blood_groups_and_hiv_status_are_health_data() -> None:
    doc = {
        "diagnoses": [{"code": "J45.909", "description": "Unspecified asthma, uncomplicated"}],
        "diagnosis": {"code": "E11.9"},
        "blood_type": "O-",
        "bloodGroup": "AB+",
        "hiv_status": "negative",
        "discount": {"code": "SUMMER24", "description": "Summer sale"},
        "card": {"code": "123", "number": CARD},
    }
    found = type_ids(DETECTOR.detect_document(doc))
    assert found == {
        "$.diagnoses[0].code": ["icd10_code"],
        "$.diagnoses[0].description": ["health_condition"],
        "$.diagnosis.code": ["icd10_code"],
        "$.blood_type": ["health_condition"],
        "$.bloodGroup": ["health_condition"],
        "$.hiv_status": ["health_condition"],
        "$.card.code": ["card_cvv"],
        "$.card.number": ["credit_card_number"],
    }


@pytest.mark.parametrize(
    ("value", "typed"),
    [("O", True), ("AB", True), ("0 neg", True), ("A1", False), ("C+", False), ("12", False)],
)
def test_blood_group_shapes(value: str, typed: bool) -> None:
    assert types_at(DETECTOR, "blood_type", value) == (["health_condition"] if typed else [])


@pytest.mark.parametrize(
    ("doc", "path", "type_id"),
    [
        ({"cliente": {"cognome": "Rossi"}}, "$.cliente.cognome", "last_name"),
        ({"klant": {"voornaam": "Daan"}}, "$.klant.voornaam", "first_name"),
        ({"klient": {"nazwisko": "Kowalski"}}, "$.klient.nazwisko", "last_name"),
        ({"klant": {"geboortedatum": "1985-03-14"}}, "$.klant.geboortedatum", "date_of_birth"),
        ({"cliente": {"cep": "01310-100"}}, "$.cliente.cep", "postal_code"),
        ({"subscriber": {"dateOfBirth": "19800217"}}, "$.subscriber.dateOfBirth", "date_of_birth"),
        ({"bank": {"ifsc": "HDFC0001234"}}, "$.bank.ifsc", "bank_routing_number"),
        ({"deposit": {"transit_number": "01234"}}, "$.deposit.transit_number",
         "bank_routing_number"),
        ({"numbers": {"ach": [{"account": "1111222233330000"}]}}, "$.numbers.ach[0].account",
         "bank_account_number"),
        ({"contact": {"phones": [{"number": "(415) 555-0132"}]}},
         "$.contact.phones[0].number", "phone_number"),
        ({"credentials": {"password": {"value": "tlpWENT2m"}}},
         "$.credentials.password.value", "password"),
        ({"session": {"id": "kT9x2Lq0vZ8rW4yB6nM1pD3fH5jC7gE"}}, "$.session.id", "session_cookie"),
        ({"servicebus": {"sas_key": "3kQ9zX2mV8pL1nB7cR5tY0wE4uI6oA2sD8fG1hJ3kL="}},
         "$.servicebus.sas_key", "azure_key"),
        ({"incoming_webhook": {"url": "https://hooks.slack.com/services/T0AAA0AAA/B0BBB0BBB/"
                                      "cCcCcCcCcCcCcCcCcCcCcCcC"}},
         "$.incoming_webhook.url", "slack_token"),
        ({"REDIS_URL": "redis://:s3cr3tPassw0rd@redis.internal:6379/0"}, "$.REDIS_URL",
         "connection_string_with_password"),
        ({"prescriber": {"name": "Sarah Lee"}}, "$.prescriber.name", "person_name"),
        # the held-out set's languages and roles
        ({"kund": {"fornamn": "Astrid", "efternamn": "Lindqvist"}}, "$.kund.efternamn",
         "last_name"),
        ({"kund": {"födelsedatum": "1988-04-12"}}, "$.kund.födelsedatum", "date_of_birth"),
        ({"adress": {"postnummer": "114 55"}}, "$.adress.postnummer", "postal_code"),
        ({"werknemer": {"geslacht": "V"}}, "$.werknemer.geslacht", "gender"),
        ({"ubezpieczajacy": {"płeć": "M"}}, "$.ubezpieczajacy.płeć", "gender"),
        ({"cliente": {"apellido_materno": "Gutiérrez"}}, "$.cliente.apellido_materno",
         "last_name"),
        ({"bestuurder": {"rijbewijsnummer": "5012345678"}}, "$.bestuurder.rijbewijsnummer",
         "drivers_license"),
        ({"garantia": {"titular_tarjeta": "Lucía Fernández"}}, "$.garantia.titular_tarjeta",
         "cardholder_name"),
        ({"pagamento": {"final_cartao": "4242"}}, "$.pagamento.final_cartao",
         "masked_card_number"),
        ({"telemetrie": [{"breitengrad": 52.52437}]}, "$.telemetrie[0].breitengrad",
         "geolocation"),
        ({"corrida": {"id_passageiro": "pas_83kd92"}}, "$.corrida.id_passageiro", "user_id"),
        ({"ticket": {"requester_id": 35436}}, "$.ticket.requester_id", "user_id"),
        ({"kokyaku": {"kokyaku_id": "K-2291"}}, "$.kokyaku.kokyaku_id", "user_id"),
    ],
)  # fmt: skip
def test_keys_and_shapes_from_hand_written_api_payloads(
    doc: dict[str, object], path: str, type_id: str
) -> None:
    found = DETECTOR.detect_document(doc)
    assert [f.type_id for f in found.get(path, [])][:1] == [type_id]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("sentry_dsn", "https://4f9a1c2e3b4d5e6f@o123456.ingest.sentry.io/7890123"),
        ("sid", "SM3d1e6c4b2a9f8e7d6c5b4a3f2e1d0c9b"),
        ("client_id", "mobile-android"),
    ],
)
def test_url_user_parts_resource_sids_and_oauth_clients_are_not_flagged(
    key: str, value: str
) -> None:
    assert types_at(DETECTOR, key, value) == []


def test_coded_values_take_their_meaning_from_the_code_system() -> None:
    """FHIR/HL7 `coding` objects: an ICD-10 or SNOMED code and its display are a diagnosis, an
    RxNorm one a medication; other code systems (currencies, tags) say nothing."""
    doc = {
        "code": {
            "coding": [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "J45.909",
                 "display": "Unspecified asthma, uncomplicated"},
                {"system": "http://snomed.info/sct", "code": "195967001", "display": "Asthma"},
            ]
        },
        "medication": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                   "code": "745679", "display": "albuterol 0.09 MG/ACTUAT"}]},
        "meta": {"tag": [{"system": "http://example.org/tags", "code": "abc", "display": "Tag"}]},
        "currency": {"system": "urn:iso:std:iso:4217", "code": "EUR"},
    }  # fmt: skip
    found = type_ids(DETECTOR.detect_document(doc))
    assert found == {
        "$.code.coding[0].code": ["icd10_code"],
        "$.code.coding[0].display": ["health_condition"],
        "$.code.coding[1].display": ["health_condition"],
        "$.medication.coding[0].display": ["medication"],
    }


def test_references_to_people_and_their_display_names() -> None:
    doc = {
        "subject": {"reference": "Patient/example", "display": "Peter James Chalmers"},
        "requester": {"reference": "Practitioner/f007", "display": "Patricia Van Dyke"},
        "customer": "cus_NffrFeUfNV2Hib",
        "link": "Patients/list",
        "order": {"ref": "Order/123", "product": "prod_NffrFeUfNV2Hib"},
        "performer": {"display": "General Hospital Lab"},
    }
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.subject.reference": ["user_id"],
        "$.subject.display": ["person_name"],
        "$.requester.reference": ["user_id"],
        "$.requester.display": ["person_name"],
        "$.customer": ["user_id"],
    }


def test_the_coordinates_of_a_business_are_not_a_persons_location() -> None:
    """Nor its address, its postal code or its name, also one level down (`stores[0].location`);
    a person's are, at any depth."""
    doc = {
        "store": {"latitude": 52.52437, "longitude": 13.41053},
        "ristorante": {"latitudine": 45.46427, "longitudine": 9.18951, "nome": "Da Mario",
                       "indirizzo": "Via Roma 1, 20121 Milano"},
        "stores": [{"location": {"lat": 52.520008, "lng": 13.404954},
                    "address": {"street": "Main St 5", "zip": "10115"}}],
        "courier": {"lat": 45.46511, "lng": 9.18702},
        "customer": {"location": {"lat": 52.520008, "lng": 13.404954},
                     "address": {"street": "Main St 5", "zip": "10115"}},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.courier.lat": ["geolocation"],
        "$.courier.lng": ["geolocation"],
        "$.customer.location.lat": ["geolocation"],
        "$.customer.location.lng": ["geolocation"],
        "$.customer.address.street": ["street_address"],
        "$.customer.address.zip": ["postal_code"],
    }


def test_an_identifier_takes_its_meaning_from_its_system_or_its_parent() -> None:
    """FHIR identifiers name their number by `system`; `{"nhs_number": {"value": ...}}` by the
    parent's name. Other systems and an identifier-like parent say nothing."""
    doc = {
        "subject": {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number",
                                   "value": "9434765919"}},
        "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi",
                                    "value": "1245319599"}},
        "email": {"value": "jane.doe@example.com", "verified": True},
        "order": {"identifier": {"system": "urn:example:orders", "value": "9434765919"}},
        "price": {"value": 1245319599},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.subject.identifier.value": ["uk_nhs_number"],
        "$.provider.identifier.value": ["us_npi"],
        "$.email.value": ["email"],
    }


def test_a_documents_type_member_names_its_number() -> None:
    """KYC documents (`{"type": "passport", "number": ...}`) and FHIR identifiers typed by HL7
    table 0203 (`type.coding[].code` "MR") or by `type.text` name their number or value; other
    types (a tax line, an order, an unknown code) say nothing."""
    doc = {
        "documents": [
            {"type": "passport", "number": "C01X00T47", "issuing_country": "DE"},
            {"documentType": "DRIVING_LICENCE", "value": "MORGA753116SM9IJ"},
            {"kind": "national_id_card", "no": "T22000129"},
        ],
        "identifier": [
            {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                  "code": "MR"}]}, "value": "E4410392"},
            {"type": {"text": "MRN"}, "value": "300112846"},
            {"type": {"coding": [{"code": "VN"}]}, "value": "V20240311"},
        ],
        "lines": [{"type": "TAX", "value": 19.0}, {"type": "tax", "number": "7"}],
        "order": {"type": "order", "number": "100482"},
        "license": {"type": "license", "number": "LIC-2024-0042"},
    }  # fmt: skip
    found = DETECTOR.detect_document(doc)
    assert type_ids(found) == {
        "$.documents[0].number": ["passport_number"],
        "$.documents[1].value": ["drivers_license"],
        "$.documents[2].no": ["national_id"],
        "$.identifier[0].value": ["medical_record_number"],
        "$.identifier[1].value": ["medical_record_number"],
    }
    # the reasons are table phrases: never the type member's own text
    reasons = found["$.documents[1].value"][0].reasons
    assert reasons[:2] == ("value:document_number", "key:driving_licence.value")


def test_document_types_and_numbers_in_other_languages() -> None:
    doc = {
        "huespedes": [{"tipo_documento": "pasaporte", "numero_documento": "PAB123456"}],
        "cliente": {"documento": {"tipo": "carta_identita", "numero": "CA12345AB"}},
        "docs": [{"type": "passport", "documentNumber": "X1234567"}],
        "fattura": {"tipo": "fattura", "numero": "2024-0042"},
    }
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.huespedes[0].numero_documento": ["passport_number"],
        "$.cliente.documento.numero": ["national_id"],
        "$.docs[0].documentNumber": ["passport_number"],
    }


def test_ci_variables_are_pairs_named_by_their_key() -> None:
    """CI/CD variables (GitLab, Vercel) are records with an environment variable's name and its
    value; a lower-case `name` next to `value` in a larger record is not a pair."""
    doc = {
        "variables": [
            {"variable_type": "env_var", "key": "AWS_SECRET_ACCESS_KEY", "protected": False,
             "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "masked": True},
            {"variable_type": "env_var", "key": "LOG_LEVEL", "value": "debug", "masked": False},
        ],
        "product": {"name": "given_name", "value": "1984-09-30", "sku": "BK-1", "stock": 3},
        "drug": {"ndc": "50090-2875-01", "name": "Metformin"},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.variables[0].value": ["aws_secret_key"],
    }


def test_a_us_core_fhir_patient() -> None:
    """Identifiers typed by `type` next to a local `system`, HumanName `text`, the birth-sex
    extension's `valueCode`; the race extension, codes and references to organisations are not
    personal data types."""
    doc = json.loads((Path(__file__).parent / "data" / "us_core_patient.json").read_text())
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.id": ["user_id"],
        "$.extension[0].valueCode": ["gender"],
        "$.identifier[0].value": ["medical_record_number"],
        "$.identifier[1].value": ["us_ssn"],
        "$.name[0].text": ["person_name"],
        "$.name[0].family": ["last_name"],
        "$.name[0].given[0]": ["first_name"],
        "$.name[0].given[1]": ["first_name"],
        "$.telecom[0].value": ["phone_number"],
        "$.telecom[1].value": ["email"],
        "$.gender": ["gender"],
        "$.birthDate": ["date_of_birth"],
        "$.address[0].line[0]": ["street_address"],
        "$.address[0].postalCode": ["postal_code"],
        "$.generalPractitioner[0].reference": ["user_id"],
        "$.generalPractitioner[0].display": ["person_name"],
    }


def test_attribute_pairs_name_their_values() -> None:
    """`{"Name": "given_name", "Value": "Marco"}` (Cognito attributes, AWS tags): the pair's name
    is the value's key; larger objects with a `name` member are records, not pairs."""
    doc = {
        "UserAttributes": [
            {"Name": "given_name", "Value": "Marco"},
            {"Name": "birthdate", "Value": "1984-09-30"},
            {"Name": "updated_at", "Value": "1711569381"},
        ],
        "Tags": [{"Key": "owner-email", "Value": "marco.castellano@example.com"}],
        "product": {"name": "given_name", "value": "1984-09-30", "sku": "BK-1", "stock": 3},
    }
    found = type_ids(DETECTOR.detect_document(doc))
    assert found == {
        "$.UserAttributes[0].Value": ["first_name"],
        "$.UserAttributes[1].Value": ["date_of_birth"],
        "$.Tags[0].Value": ["email"],
    }


# --- key names in more languages, generic members, roles, servers and businesses


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        # Danish, Norwegian, Swedish
        ("efternavn", "Lindholm", "last_name"),
        ("etternavn", "Bakke", "last_name"),
        ("fødselsdato", "1979-11-02", "date_of_birth"),
        ("kjønn", "kvinne", "gender"),
        ("postnr", "8200", "postal_code"),
        ("kundenummer", "K-40021", "user_id"),
        ("brugernavn", "tlindholm", "username"),
        ("passord", "Hemmelig!2024", "password"),
        ("kortnummer", CARD, "credit_card_number"),
        # Finnish
        ("etunimi", "Eero", "first_name"),
        ("sukunimi", "Mäkinen", "last_name"),
        ("syntymäaika", "3.9.1988", "date_of_birth"),
        ("postinumero", "00150", "postal_code"),
        ("katuosoite", "Mannerheimintie 5 A 7", "street_address"),
        ("henkilötunnus", "030988-123X", "national_id"),
        # Czech, Hungarian
        ("příjmení", "Dvořák", "last_name"),
        ("rodné_číslo", "790312/1234", "national_id"),
        ("datum_narození", "12.03.1979", "date_of_birth"),
        ("psč", "110 00", "postal_code"),
        ("vezetéknév", "Tóth", "last_name"),
        ("születési_dátum", "1979.03.12", "date_of_birth"),
        ("irányítószám", "1051", "postal_code"),
        ("anyja_neve", "Horváth Éva", "person_name"),
        ("bankszámlaszám", "11773016-11111018-00000000", "bank_account_number"),
        # Turkish, Romanian, Portuguese
        ("soyad\u0131", "Demir", "last_name"),
        ("doğum_tarihi", "05.06.1990", "date_of_birth"),
        ("cinsiyet", "Erkek", "gender"),
        ("posta_kodu", "06690", "postal_code"),
        ("tc_kimlik_no", "12345678950", "national_id"),
        ("prenume", "Ioana", "first_name"),
        ("data_nașterii", "14.02.1984", "date_of_birth"),
        ("cod_postal", "400001", "postal_code"),
        ("cnp", "1840214123456", "national_id"),
        # Greek (transliterated and in Greek script), Indonesian, Vietnamese
        ("eponymo", "Nikolaou", "last_name"),
        ("onomateponymo", "Dimitra Nikolaou", "person_name"),
        ("imerominia_gennisis", "02/08/1981", "date_of_birth"),
        ("amka", "02088112345", "national_id"),
        ("afm", "123456789", "tax_id"),
        ("nama_lengkap", "Dewi Lestari", "person_name"),
        ("tanggal_lahir", "17-08-1985", "date_of_birth"),
        ("jenis_kelamin", "Wanita", "gender"),
        ("nomor_rekening", "0123456789", "bank_account_number"),
        ("ngày_sinh", "20/10/1992", "date_of_birth"),
        ("giới_tính", "Nữ", "gender"),
        ("số_cccd", "079192001234", "national_id"),
        # Korean, romanized and in Hangul
        ("jeonhwa_beonho", "010-9876-5432", "phone_number"),
        ("saengnyeonwolil", "1990-05-05", "date_of_birth"),
        ("주소", "부산광역시 해운대구 우동 1411", "street_address"),
        ("생년월일", "1990-05-05", "date_of_birth"),
        ("성별", "남", "gender"),
        ("주민등록번호", "900505-1234567", "national_id"),
        ("비밀번호", "qwer!1234", "password"),
        # German and Dutch additions, credentials in config files
        ("geburtsname", "Schneider", "last_name"),
        ("voorletters", "A.B.", "first_name"),
        ("tussenvoegsel", "van der", "last_name"),
        ("middle_initial", "Q", "first_name"),
        ("ip_pin", "639201", "password"),
        ("SECRET_KEY_BASE", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "generic_secret"),
        ("redis_requirepass", "r3dis-Pa55", "password"),
        ("ses_smtp_password_v4", "BKq2LmN8pR4tV6xZ0aC3eG5iK7", "password"),
        ("refresh_token", "1//04dX-refresh-Zr8Kq2mN7pW", "generic_secret"),
        ("ptin", "P12345678", "tax_id"),
        ("patient_gender_code", "2", "gender"),
        ("personIdExternal", "880412", "user_id"),
    ],
)  # fmt: skip
def test_keys_in_more_languages(key: str, value: object, type_id: str) -> None:
    assert types_at(DETECTOR, key, value, parent="subject") == [type_id]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # `name` in other languages: a person's only in a person's record
        ({"produkty": [{"nazev": "Horske kolo", "nome": "Bicicleta", "navn": "Sykkel"}]}, {}),
        ({"cliente": {"nome": "Beatriz Costa"}}, {"$.cliente.nome": ["person_name"]}),
        ({"kunde": {"navn": "Ole Hansen"}}, {"$.kunde.navn": ["person_name"]}),
        ({"dyr": {"navn": "Fido"}, "artikel": {"nimi": "Kahvikuppi"}}, {}),
        # beside a family name the bare name is the given name, beside a given name the family
        ({"socio": {"nombre": "Marta", "apellidos": "Gil Ruiz"}},
         {"$.socio.nombre": ["first_name"], "$.socio.apellidos": ["last_name"]}),
        ({"persoana": {"nume": "Popa", "prenume": "Radu"}},
         {"$.persoana.nume": ["last_name"], "$.persoana.prenume": ["first_name"]}),
        ({"hoewon": {"seong": "Park", "ireum": "Jiwoo"}},
         {"$.hoewon.seong": ["last_name"], "$.hoewon.ireum": ["first_name"]}),
        ({"kunde": {"navn": "Hansen", "fornavn": "Kari", "mellomnavn": "Marie"}},
         {"$.kunde.navn": ["last_name"], "$.kunde.fornavn": ["first_name"],
          "$.kunde.mellomnavn": ["first_name"]}),
        # a father's or a birth name is not the person's own given or family name
        ({"kisi": {"ad": "Zeynep", "soyad": "Kaya", "baba_adi": "Ali"}},
         {"$.kisi.ad": ["first_name"], "$.kisi.soyad": ["last_name"],
          "$.kisi.baba_adi": ["first_name"]}),
        # both: a full name (Xero-style contacts)
        ({"contact": {"Name": "Ana Gil", "FirstName": "Ana", "LastName": "Gil"}},
         {"$.contact.Name": ["person_name"], "$.contact.FirstName": ["first_name"],
          "$.contact.LastName": ["last_name"]}),
        # a bare name at the root needs a person's record around it
        ({"name": "billing-service", "services": {"api": {"image": "api:1"}}}, {}),
        ({"name": "Ana Gil", "email": "ana.gil@example.org", "login": "anagil"},
         {"$.name": ["person_name"], "$.email": ["email"], "$.login": ["username"]}),
        # an owner's name: `<owner>_name`, `nome_<owner>`
        ({"user_display_name": "Ana Gil", "app_display_name": "Expense Tracker"},
         {"$.user_display_name": ["person_name"]}),
        ({"nama_pelanggan": "Ana Gil", "nombre_producto": "Taza grande"},
         {"$.nama_pelanggan": ["person_name"]}),
        # a guest's names beside the document typed in the same object
        ({"huespedes": [{"nombre": "Lena", "apellidos": "Roth", "tipo_documento": "pasaporte",
                         "numero_documento": "C4J8K2L9P"}]},
         {"$.huespedes[0].nombre": ["first_name"], "$.huespedes[0].apellidos": ["last_name"],
          "$.huespedes[0].numero_documento": ["passport_number"]}),
    ],
)  # fmt: skip
def test_generic_name_members_take_their_meaning_from_the_record(
    doc: dict[str, object], expected: dict[str, list[str]]
) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("claimant_id", True),
        ("id_paciente", True),
        ("abone_no", True),
        ("numero_socio", True),
        ("ma_tai_xe", True),
        ("customer_code", True),
        ("kandidaat_id", True),
        ("client_id", False),  # an OAuth client's
        ("user_code", False),  # a device flow's code
        ("person_code", False),  # a relationship code
        ("passengerId", False),  # numbered within the booking
        ("order_no", False),
    ],
)
def test_a_role_and_an_id_word_name_a_persons_identifier(key: str, typed: bool) -> None:
    assert types_at(DETECTOR, key, "CX-40213") == (["user_id"] if typed else [])


@pytest.mark.parametrize(
    ("key", "value", "found"),
    [
        ("dia_chi_thuong_tru", "12 Ly Thuong Kiet, Hoan Kiem", ["street_address"]),
        ("direccion_envio", "Calle Mayor 12, 3B", ["street_address"]),
        ("nomor_telepon_rumah", "+62 21 555 0199", ["phone_number"]),
        ("pin_acceso", "8841", ["password"]),
        ("fecha_nacimiento_titular", "02/03/1984", ["date_of_birth"]),
        ("telefono_tipo", "movil", []),  # a later word says the value is about the field
        ("direccion_verificada", "si", []),
        ("pedido_referencia", "4111111111111111", []),  # an order's reference, not a card
    ],
)
def test_head_first_keys(key: str, value: str, found: list[str]) -> None:
    assert types_at(DETECTOR, key, value) == found


def test_server_and_infrastructure_addresses_are_not_a_persons() -> None:
    """Audit and config logs mix the caller's address with servers', gateways' and nodes'."""
    doc = {
        "client_ip": "198.51.100.23",
        "requestMetadata": {"callerIp": "2001:db8:7::1"},
        "connection": {"src_ip": "198.51.100.24", "dest_ip": "203.0.113.80"},
        "home": {"wan_ip": "198.51.100.25", "bras_ip": "10.20.0.1"},
        "network": {"dns": ["10.0.0.2", "2001:db8::53"], "gateway": "10.0.0.1",
                    "cache_host": "10.0.0.7", "subnet": {"address": "10.0.0.0"}},
        "charger": {"station": {"ip": "100.64.1.9"}},
        "build": {"agent": {"ip": "10.1.1.4"}, "ip_nodo": "10.1.1.5"},
        "vm": {"private_ip_address": "10.2.0.4"},
        "ntp_servers": ["192.0.2.123"],
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.client_ip": ["ip_address"],
        "$.requestMetadata.callerIp": ["ip_address"],
        "$.connection.src_ip": ["ip_address"],
        "$.home.wan_ip": ["ip_address"],
    }


def test_a_businesss_contact_details_and_tax_number_are_not_a_persons() -> None:
    doc = {
        "klinik": {"navn": "Dyreklinik Nord", "adresse": "Nørregade 4, 8000 Aarhus",
                   "telefon": "+45 86 12 34 56"},
        "tiendas": [{"nombre": "Deportes Centro", "telefono": "915 550 123"}],
        "tow_company": {"name": "Hook & Haul", "phone": "(404) 555-0142"},
        "support_phone": "+44 20 7946 0000",
        "office_address": "1 Canada Square, London",
        "employer_ein": "12-3456789",
        "hotel_guest": {"phone": "+44 7700 900123"},
        "taxpayer": {"tax_id": "12-3456789"},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.hotel_guest.phone": ["phone_number"],
        "$.taxpayer.tax_id": ["tax_id"],
    }


def test_token_claims_and_userinfo_name_their_subject() -> None:
    """OpenID Connect / JWT claims: `sub` is the user; `exp` there is no card's expiry."""
    doc = {
        "claims": {"iss": "https://accounts.example.com", "aud": "app", "sub": "1087342295",
                   "exp": 1718101711, "name": "Ana Gil", "email": "ana.gil@example.org"},
        "userinfo": {"sub": "u-88213", "given_name": "Ana", "family_name": "Gil"},
        "subcategory": {"sub": "Kitchen", "name": "Mugs"},
    }  # fmt: skip
    found = type_ids(DETECTOR.detect_document(doc))
    assert found == {
        "$.claims.sub": ["user_id"],
        "$.claims.name": ["person_name"],
        "$.claims.email": ["email"],
        "$.userinfo.sub": ["user_id"],
        "$.userinfo.given_name": ["first_name"],
        "$.userinfo.family_name": ["last_name"],
    }


def test_an_identity_documents_expiry_does_not_make_it_a_card() -> None:
    doc = {
        "driversLicense": {"number": "D1234567", "state": "GA", "expiration": "2030-01-31"},
        "ridicsky_prukaz": {"cislo": "EA123456"},
        "bang_lai_xe": {"so": "790123456789"},
        "card": {"number": CARD, "expiration": "12/29"},
    }
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.driversLicense.number": ["drivers_license"],
        "$.ridicsky_prukaz.cislo": ["drivers_license"],
        "$.bang_lai_xe.so": ["drivers_license"],
        "$.card.number": ["credit_card_number"],
        "$.card.expiration": ["card_expiry"],
    }


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # drug and diagnosis lists name their labels and codes, in other languages too
        ({"legemidler": [{"navn": "Ibux 400 mg"}]}, {"$.legemidler[0].navn": ["medication"]}),
        ({"medicamente": [{"denumire": "Paracetamol 500 mg"}]},
         {"$.medicamente[0].denumire": ["medication"]}),
        ({"diagnozy": [{"kod": "J45", "nazev": "Astma bronchiale"}]},
         {"$.diagnozy[0].kod": ["icd10_code"], "$.diagnozy[0].nazev": ["health_condition"]}),
        ({"injury": {"description": "Fractured left wrist"}},
         {"$.injury.description": ["health_condition"]}),
        ({"vaccineCode": {"text": "Influenza, seasonal"}},
         {"$.vaccineCode.text": ["medication"]}),
        # an offer's conditions and a drug catalogue's products are not a patient's
        ({"conditions": [{"name": "Free shipping", "description": "Orders over 50 EUR"}]}, {}),
        ({"drug": {"name": "Ibuprofen"}}, {}),
        # coded values: LOINC names tests, SNOMED also codes body sites; CVX codes vaccines
        ({"code": {"coding": [{"system": "http://loinc.org", "code": "2345-7",
                               "display": "Glucose [Mass/volume] in Serum"}]},
          "bodySite": {"coding": [{"system": "http://snomed.info/sct", "code": "368208006",
                                   "display": "Left upper arm"}]},
          "vaccine": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "140",
                                  "display": "Influenza, seasonal, injectable"}]}},
         {"$.vaccine.coding[0].display": ["medication"]}),
        ({"performer": [{"actor": {"display": "Dr. Ana Gil"}}]},
         {"$.performer[0].actor.display": ["person_name"]}),
    ],
)  # fmt: skip
def test_health_records_name_their_members(
    doc: dict[str, object], expected: dict[str, list[str]]
) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


def test_pairs_named_by_a_variable_a_field_or_a_property() -> None:
    """Custom fields, audit logs' modified properties, Portuguese `nome`/`valor` pairs: the
    pair's name is the value's key and is itself no person's name."""
    doc = {
        "custom_fields": [{"display_name": "Delivery Address", "variable_name": "delivery_address",
                           "value": "7 Harbour Road, Cork"}],
        "modifiedProperties": [{"displayName": "Mobile Phone", "oldValue": "none",
                                "newValue": "+1 425 555 0100"}],
        "infoAdicionais": [{"nome": "Pedido", "valor": "48812"}],
        # a name that is no known field stays a name
        "beneficiary": {"name": "Rosa Vidal", "value": 250},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.custom_fields[0].value": ["street_address"],
        "$.modifiedProperties[0].newValue": ["phone_number"],
        "$.beneficiary.name": ["person_name"],
    }


def test_environment_assignments_in_lists_are_named_by_their_variable() -> None:
    doc = {"environment": ["POSTGRES_PASSWORD=S3cret-Pass", "LOG_LEVEL=debug",
                           "ADMIN_EMAIL=ops@example.com", "not an assignment"]}  # fmt: skip
    found = DETECTOR.detect_document(doc)
    assert type_ids(found) == {
        "$.environment[0]": ["password"],
        "$.environment[2]": ["email"],
    }
    assert "key:password" in found["$.environment[0]"][0].reasons


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"responseElements": {"ConsoleLogin": "Success"}}, {}),  # an event, not a user's login
        ({"last_login": "yesterday"}, {}),
        ({"user_login": "jdoe"}, {"$.user_login": ["username"]}),
        # the AWS account of a call is an organisation's cloud account
        ({"userIdentity": {"accountId": "123456789012", "principalId": "AIDAEXAMPLE7ID"},
          "recipientAccountId": "123456789012"},
         {"$.userIdentity.principalId": ["user_id"]}),
        ({"requestContext": {"accountId": "123456789012"}, "account_id": "acc_8812"},
         {"$.account_id": ["user_id"]}),
        ({"risk": {"device_session_id": "dsid_7h3k9m2p4q8r"}}, {}),
    ],
)  # fmt: skip
def test_logins_and_cloud_accounts(doc: dict[str, object], expected: dict[str, list[str]]) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected
