"""The project's labelled corpus: realistic API payloads and tables with per-path labels.

Keys come in snake, camel, kebab, upper and Pascal case and in English, German, French and
Spanish; values from Faker's locales and checksummed id generators; hard distractors (Luhn-valid
order numbers, UUIDs, hashes, timestamps, versions, prices) sit beside them. Deterministic for
a seed. Used by `benchmarks/detection.py` and the model trainer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker import Faker

from detection_tool.training.values import DISTRACTORS, LOCALES, PLACEHOLDERS, POSITIVE
from sensor_core.jsonpaths import ROOT, child_path, index_path

# fmt: off
KEYS: dict[str, list[str]] = {
    "person_name": ["full name", "customer name", "display name", "nombre completo",
                    "nom complet", "account holder", "contact name"],
    "first_name": ["first name", "given name", "vorname", "prenom", "fname"],
    "last_name": ["last name", "surname", "family name", "nachname", "apellido"],
    "email": ["email", "email address", "contact email", "correo", "courriel", "e mail",
              "billing email", "user email"],
    "phone_number": ["phone", "phone number", "mobile", "telefon", "telefono", "tel",
                     "mobile number", "contact phone", "numero telephone"],
    "street_address": ["street address", "address line1", "street", "strasse", "direccion",
                       "adresse", "home address"],
    "postal_code": ["zip", "postal code", "postcode", "plz", "code postal", "codigo postal"],
    "geolocation": ["latitude", "lat", "longitude", "lng", "geo lat"],
    "date_of_birth": ["date of birth", "dob", "birth date", "birthday", "geburtsdatum",
                      "fecha de nacimiento", "date de naissance"],
    "gender": ["gender", "sex", "geschlecht", "sexo"],
    "username": ["username", "user name", "login", "screen name", "benutzername"],
    "user_id": ["user id", "customer id", "account id", "member id", "owner id"],
    "ip_address": ["ip address", "client ip", "remote addr", "source ip", "ip"],
    "mac_address": ["mac address", "mac", "device mac"],
    "imei": ["imei", "device imei"],
    "advertising_id": ["advertising id", "idfa", "gaid"],
    "passport_number": ["passport number", "passport no", "reisepass", "passeport"],
    "drivers_license": ["drivers license", "driver license number", "driving licence"],
    "us_ssn": ["ssn", "social security number"],
    "us_itin": ["itin"],
    "tax_id": ["tax id", "ein", "tin"],
    "credit_card_number": ["card number", "cc number", "credit card", "pan", "kartennummer",
                           "numero tarjeta"],
    "masked_card_number": ["masked pan", "card mask", "masked card"],
    "card_expiry": ["expiry", "exp date", "expiration date", "card expiry", "valid thru"],
    "card_cvv": ["cvv", "cvc", "security code", "cvv2"],
    "card_track_data": ["track data", "track1", "magstripe"],
    "cardholder_name": ["cardholder name", "name on card", "card holder"],
    "iban": ["iban", "iban number", "bank iban"],
    "bank_account_number": ["account number", "bank account", "kontonummer",
                            "numero de cuenta"],
    "bank_routing_number": ["routing number", "aba", "aba number"],
    "swift_bic": ["swift", "bic", "swift code"],
    "health_condition": ["diagnosis", "medical condition", "allergies"],
    "icd10_code": ["icd10", "diagnosis code", "icd code"],
    "medication": ["medication", "prescription", "medikament"],
    "medical_record_number": ["mrn", "medical record number"],
    "health_insurance_number": ["insurance number", "health insurance number",
                                "versichertennummer"],
    "password": ["password", "passwd", "pwd", "passwort", "mot de passe", "contrasena",
                 "new password"],
    "private_key": ["private key", "ssh key", "signing key pem"],
    "jwt": ["id token", "jwt", "access token"],
    "bearer_token": ["authorization", "auth header"],
    "basic_auth_credentials": ["authorization", "proxy authorization"],
    "session_cookie": ["session id", "session", "sid", "session token"],
    "aws_access_key": ["aws access key id", "access key id"],
    "aws_secret_key": ["aws secret access key", "secret access key"],
    "gcp_api_key": ["google api key", "maps key"],
    "azure_key": ["storage connection string", "azure storage"],
    "github_token": ["github token", "gh token"],
    "slack_token": ["slack token", "bot token"],
    "stripe_key": ["stripe secret", "stripe key"],
    "generic_secret": ["api key", "client secret", "secret", "api secret", "webhook secret"],
    "connection_string_with_password": ["database url", "dsn", "connection string"],
    "gitlab_token": ["gitlab token", "ci token"],
    "openai_key": ["openai api key", "llm key"],
    "twilio_key": ["twilio api key", "twilio key"],
    "sendgrid_key": ["sendgrid api key", "mail api key"],
    "npm_token": ["npm token", "registry token"],
    "pypi_token": ["pypi token", "upload token"],
    "uk_nino": ["nino", "national insurance number", "ni number"],
    "fr_nir": ["nir", "numero securite sociale"],
    "es_dni": ["dni", "documento identidad"],
    "es_nie": ["nie"],
    "it_codice_fiscale": ["codice fiscale"],
    "nl_bsn": ["bsn", "burgerservicenummer"],
    "pl_pesel": ["pesel"],
    "br_cpf": ["cpf"],
    "in_aadhaar": ["aadhaar", "aadhaar number"],
    "ca_sin": ["sin", "social insurance number"],
    "de_tax_id": ["steuer id", "steueridentifikationsnummer"],
    "uk_nhs_number": ["nhs number", "nhs no"],
    "us_medicare_mbi": ["mbi", "medicare number"],
    "us_npi": ["npi", "provider npi"],
    "us_dea_number": ["dea number", "dea"],
}
# fmt: on

# types a value alone identifies: also generated under keys that say nothing
SELF_EVIDENT = [
    "email",
    "credit_card_number",
    "iban",
    "jwt",
    "private_key",
    "bearer_token",
    "aws_access_key",
    "github_token",
    "slack_token",
    "stripe_key",
    "gcp_api_key",
    "connection_string_with_password",
    "basic_auth_credentials",
    "gitlab_token",
    "openai_key",
    "sendgrid_key",
    "npm_token",
    "pypi_token",
    "it_codice_fiscale",
    "es_nie",
    "br_cpf",
    "uk_nino",
    "card_track_data",
    "mac_address",
]
NEUTRAL_KEYS = ["value", "data", "field", "attr", "payload", "input", "content", "x"]
_NEUTRAL_PARENTS = ["data", "attributes", "details", "payload", "meta"]


def style_key(phrase: str, rng: random.Random) -> str:
    words = phrase.split()
    style = rng.randrange(5)
    if style == 0:
        return "_".join(words)
    if style == 1:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == 2:
        return "-".join(words)
    if style == 3:
        return "_".join(words).upper()
    return "".join(w.capitalize() for w in words)


@dataclass
class Sample:
    """One labelled document: the parsed JSON and the types expected per path."""

    doc: dict[str, object]
    labels: dict[str, set[str]] = field(default_factory=dict)
    distractor_paths: set[str] = field(default_factory=set)


class CorpusGenerator:
    def __init__(self, seed: int = 7, locales: tuple[str, ...] = LOCALES) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker(list(locales))
        self.fake.seed_instance(seed)
        self._types = sorted(POSITIVE)

    def field(self, type_id: str) -> tuple[str, object]:
        """A (key, value) of `type_id` in a random key style."""
        rng = self.rng
        if type_id in SELF_EVIDENT and rng.random() < 0.25:
            key = rng.choice(NEUTRAL_KEYS)
        else:
            key = style_key(rng.choice(KEYS[type_id]), rng)
        return key, POSITIVE[type_id](rng, self.fake)

    def distractor(self) -> tuple[str, object]:
        """A look-alike under a key saying what it is, or a placeholder under a sensitive key."""
        if self.rng.random() < 0.15:
            key = style_key(self.rng.choice(KEYS[self.rng.choice(self._types)]), self.rng)
            return key, self.rng.choice(PLACEHOLDERS)
        phrase, gen = self.rng.choice(DISTRACTORS)
        return style_key(phrase.replace("_", " "), self.rng), gen(self.rng, self.fake)

    def document(self, fields: int = 10, distractors: int = 6) -> Sample:
        rng = self.rng
        sample = Sample({})
        entries: list[tuple[str, object, str | None]] = []
        for _ in range(fields):
            chosen = rng.choice(self._types)
            entries.append((*self.field(chosen), chosen))
        for _ in range(distractors):
            entries.append((*self.distractor(), None))
        rng.shuffle(entries)
        for key, value, type_id in entries:
            where = rng.choice([None, None, *_NEUTRAL_PARENTS])
            if where is None:
                target, base = sample.doc, ROOT
            else:
                group = sample.doc.setdefault(where, {})
                if not isinstance(group, dict):
                    continue
                target, base = group, child_path(ROOT, where)
            if key in target:
                continue
            target[key] = value
            path = child_path(base, key)
            if type_id is None:
                sample.distractor_paths.add(path)
            else:
                sample.labels[path] = {type_id}
        self._extras(sample)
        return sample

    def _extras(self, sample: Sample) -> None:
        """A card object (parent context), contacts in an array, free text with an email."""
        rng, fake = self.rng, self.fake
        if rng.random() < 0.3:
            sample.doc["card"] = {
                "number": POSITIVE["credit_card_number"](rng, fake),
                "exp_month": rng.randrange(1, 13),
                "exp_year": rng.randrange(2025, 2035),
                "holder": fake.name(),
            }
            base = child_path(ROOT, "card")
            sample.labels[child_path(base, "number")] = {"credit_card_number"}
            # the month and the year fields are both parts of the card's expiry date
            sample.labels[child_path(base, "exp_month")] = {"card_expiry"}
            sample.labels[child_path(base, "exp_year")] = {"card_expiry"}
            sample.labels[child_path(base, "holder")] = {"cardholder_name"}
        if rng.random() < 0.3:
            contacts = [
                {"email": fake.email(), "role": "owner"} for _ in range(rng.randrange(1, 3))
            ]
            sample.doc["contacts"] = contacts
            for i in range(len(contacts)):
                element = index_path(child_path(ROOT, "contacts"), i)
                sample.labels[child_path(element, "email")] = {"email"}
                sample.distractor_paths.add(child_path(element, "role"))
        if rng.random() < 0.3:
            sample.doc["notes"] = f"{fake.sentence()} Reach me at {fake.email()} please."
            sample.labels[child_path(ROOT, "notes")] = {"email"}
