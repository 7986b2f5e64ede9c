"""Key names as context: normalisation into tokens and the key -> data type table.

``cardNumber``, ``card_number``, ``CARD-NUMBER`` and ``card.number`` all become the tokens
``("card", "number")``. A key matches a table phrase when the phrase is a suffix of its tokens
(``billing_email`` -> ``email``); the longest phrase wins (``email_address`` is an email, not a
street address). Identifier keys (``order_id``, ``sku``) are negative context: digits under them
are not cards or phones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
# a map key that looks like an identifier; anything else may be a value and is not echoed

IDENTIFIER = "identifier"
"""Pseudo type of negative keys: ids, references, hashes, versions, prices."""


@dataclass(frozen=True, slots=True)
class KeyContext:
    """What a key name says about its value."""

    type_id: str  # a catalog id, or IDENTIFIER for negative context
    weight: float  # 0..1: how much the key alone suggests the type
    reason: str  # "key:card_number" — the matched phrase, never the key or value itself

    @property
    def identifier(self) -> bool:
        return self.type_id == IDENTIFIER


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).replace("ß", "ss")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def key_tokens(key: str) -> tuple[str, ...]:
    """Lower-case word tokens of a key name; digit-only parts are dropped."""
    out: list[str] = []
    for part in _SEPARATORS.split(_strip_accents(key)):
        if not part:
            continue
        for word in _CAMEL.findall(part):
            if not word.isdigit():
                out.append(word.lower())
    return tuple(out)


_S = 0.9  # strong: the key names the type
_M = 0.75  # medium: common shorthand
_W = 0.55  # weak: ambiguous alone

# (type id, weight, phrases): phrases are normalised like keys, space-separated here
# fmt: off
_TABLE_SOURCE: tuple[tuple[str, float, str], ...] = (
    ("email", _S, "email e_mail email_address emailaddress courriel correo correo_electronico"
     " mail_address e_mail_adresse"),
    ("email", _M, "mail contact_mail"),
    ("phone_number", _S, "phone phone_number phonenumber telephone telefon telefono mobile"
     " telephone_number mobile_number mobile_phone msisdn cell_phone handy telefonnummer"
     " numero_telephone portable"),
    ("phone_number", _M, "tel cell fax"),
    ("credit_card_number", _S, "card_number cardnumber cc_number ccnum credit_card creditcard"
     " credit_card_number kartennummer numero_carte numero_de_tarjeta pan card_pan"
     " primary_account_number"),
    ("masked_card_number", _S, "masked_pan masked_card card_mask last4 last_four"),
    ("card_cvv", _S, "cvv cvc cvv2 cvc2 security_code card_code card_verification csc"),
    ("card_expiry", _S, "expiry exp_date expiration expiration_date expiry_date card_expiry exp"
     " valid_thru ablaufdatum date_expiration"),
    ("cardholder_name", _S, "cardholder cardholder_name card_holder card_holder_name"
     " name_on_card"),
    ("password", _S, "password passwd pwd passwort mot_de_passe contrasena passphrase"
     " new_password old_password kennwort"),
    ("first_name", _S, "first_name firstname given_name forename vorname prenom nombre"),
    ("last_name", _S, "last_name lastname surname family_name nachname nom apellido apellidos"
     " nom_de_famille"),
    ("person_name", _S, "full_name fullname display_name customer_name contact_name person_name"
     " patient_name recipient_name nom_complet nombre_completo"),
    ("person_name", _W, "name"),
    ("date_of_birth", _S, "dob birth_date birthdate date_of_birth dateofbirth birthday"
     " geburtsdatum date_de_naissance fecha_de_nacimiento"),
    ("us_ssn", _S, "ssn social_security_number social_security"),
    ("us_itin", _S, "itin"),
    ("iban", _S, "iban iban_number"),
    ("bank_account_number", _S, "account_number bank_account bank_account_number kontonummer"
     " numero_de_cuenta numero_compte"),
    ("bank_routing_number", _S, "routing_number aba aba_number sort_code bankleitzahl blz"),
    ("swift_bic", _S, "swift bic swift_code bic_code swift_bic"),
    ("street_address", _S, "address street street_address strasse rue calle address_line"
     " adresse direccion billing_address shipping_address home_address anschrift"),
    ("postal_code", _S, "zip zip_code zipcode postal_code postalcode postcode plz postleitzahl"
     " code_postal codigo_postal"),
    ("geolocation", _S, "lat latitude lng lon longitude geolocation geo coordinates location"),
    ("gender", _S, "gender sex geschlecht sexo"),
    ("username", _S, "username user_name login login_name screen_name benutzername"),
    ("user_id", _S, "user_id userid customer_id customerid account_id member_id client_id"
     " patient_id employee_id uid subscriber_id person_id profile_id"),
    ("ip_address", _S, "ip ip_address ipaddress client_ip remote_addr remote_ip source_ip"
     " x_forwarded_for forwarded_for real_ip x_real_ip"),
    ("mac_address", _S, "mac mac_address macaddress"),
    ("imei", _S, "imei"),
    ("advertising_id", _S, "advertising_id idfa gaid aaid ad_id"),
    ("passport_number", _S, "passport passport_number passport_no reisepass passeport"
     " pasaporte"),
    ("drivers_license", _S, "drivers_license driver_license driving_licence driving_license"
     " license_number fuhrerschein permis_de_conduire"),
    ("national_id", _S, "national_id national_id_number personalausweis id_card_number dni"
     " nif nie curp personal_number personnummer"),
    ("tax_id", _S, "tax_id taxid tin vat_number vat_id ein steuernummer steuer_id tax_number"),
    ("medical_record_number", _S, "mrn medical_record_number medical_record"),
    ("health_insurance_number", _S, "insurance_number health_insurance_number member_number"
     " policy_number versichertennummer"),
    ("icd10_code", _S, "icd10 icd_10 icd10_code icd_code diagnosis_code"),
    ("health_condition", _S, "diagnosis medical_condition allergies allergy symptoms diagnose"),
    ("medication", _S, "medication medications prescription drug medicament medikament"),
    ("generic_secret", _M, "authorization proxy_authorization token"),
    ("bearer_token", _S, "access_token accesstoken auth_token id_token refresh_token"
     " bearer_token"),
    ("generic_secret", _S, "secret client_secret api_key apikey api_secret secret_key"
     " private_token x_api_key app_secret signing_key"),
    ("session_cookie", _S, "session session_id sessionid sid jsessionid phpsessid connect_sid"
     " session_token"),
    ("aws_secret_key", _S, "aws_secret_access_key secret_access_key"),
    ("aws_access_key", _S, "aws_access_key_id access_key_id"),
    ("private_key", _S, "private_key privatekey ssh_key pem"),
    ("connection_string_with_password", _M, "connection_string dsn database_url db_url"),
    # negative context: identifiers, references, hashes, amounts, times
    (IDENTIFIER, 1.0, "id order_id orderid order_number order_no request_id transaction_id"
     " txn_id trace_id span_id correlation_id event_id message_id sku tracking_number"
     " tracking_id invoice_number invoice_id invoice_no reference ref uuid guid hash checksum"
     " sha md5 etag version build timestamp created_at updated_at time date price amount"
     " total quantity qty count serial serial_number isbn ean upc gtin barcode product_id"
     " item_id batch_id shipment_id confirmation_number booking_ref part_number model_number"
     " page offset limit nonce port status code ticket_id"),
)
# fmt: on

_TABLE: dict[tuple[str, ...], KeyContext] = {}
for _type_id, _weight, _phrases in _TABLE_SOURCE:
    for _phrase in _phrases.split():
        _tokens = key_tokens(_phrase)
        _TABLE[_tokens] = KeyContext(_type_id, _weight, "key:" + "_".join(_tokens))
_MAX_PHRASE = max(len(t) for t in _TABLE)

# objects whose "name" / "id" member is a person's
_PERSON_WORDS = (
    "customer user person contact member employee patient owner client recipient sender buyer"
    " payer payee profile account passenger guest author applicant beneficiary holder kunde"
    " traveler subscriber student"
)
_PERSON_PARENTS = frozenset(_PERSON_WORDS.split())
# (parent's last token, key phrase) -> type, for keys that are generic alone
_PARENT_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, float]] = {
    ("card", ("number",)): ("credit_card_number", _S),
    ("card", ("no",)): ("credit_card_number", _S),
    ("card", ("holder",)): ("cardholder_name", _S),
    ("card", ("name",)): ("cardholder_name", _S),
    ("card", ("code",)): ("card_cvv", _M),
    ("phone", ("number",)): ("phone_number", _S),
    ("address", ("line",)): ("street_address", _S),
    ("bank", ("number",)): ("bank_account_number", _M),
    ("passport", ("number",)): ("passport_number", _S),
}


def _longest_suffix(tokens: tuple[str, ...]) -> KeyContext | None:
    for size in range(min(len(tokens), _MAX_PHRASE), 0, -1):
        hit = _TABLE.get(tokens[-size:])
        if hit is not None:
            return hit
    last = tokens[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        return _longest_suffix((*tokens[:-1], last[:-1]))  # "emails", "phoneNumbers"
    return None


@lru_cache(maxsize=16384)
def key_context(key: str | None, parent: str | None = None) -> KeyContext | None:
    """What `key` (inside an object under `parent`, None at the root) says about its value."""
    if not key:
        return None
    tokens = key_tokens(key)
    if not tokens:
        return None
    hit = _longest_suffix(tokens)
    if hit is not None and hit.reason == "key:name" and tokens != ("name",):
        hit = None  # product_name, host_name: only a bare "name" may be a person's
    generic = hit is None or hit.reason in ("key:name", "key:id")
    if not generic:
        return hit
    parent_tokens = key_tokens(parent) if parent else ()
    if parent_tokens:
        last = parent_tokens[-1]
        combo = _PARENT_TABLE.get((last, tokens[-1:]))
        if combo is not None:
            return KeyContext(combo[0], combo[1], f"key:{last}.{tokens[-1]}")
        if last in _PERSON_PARENTS and hit is not None:
            if hit.reason == "key:name":
                return KeyContext("person_name", _S, f"key:{last}.name")
            return KeyContext("user_id", _S, f"key:{last}.id")
        if hit is not None and hit.reason == "key:name":
            return None  # product.name, file.name: not a person
    return hit
