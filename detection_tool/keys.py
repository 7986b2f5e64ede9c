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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from detection_tool.national_ids import ID_NUMBERS

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


# letters NFKD leaves whole: Polish ł (płeć), Nordic ø and æ, Croatian đ
_WHOLE_LETTERS = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
                                "Æ": "AE", "đ": "d", "Đ": "D"})  # fmt: skip


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_WHOLE_LETTERS))
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
     " numero_telephone portable numero_de_telefono telefono_movil movil celular mobilnummer"
     " handynummer phone_no"),
    ("phone_number", _M, "tel cell fax"),
    ("credit_card_number", _S, "card_number cardnumber cc_number ccnum credit_card creditcard"
     " credit_card_number kartennummer numero_carte numero_de_tarjeta pan card_pan"
     " primary_account_number cc_num card_no numero_tarjeta numero_de_carte"),
    ("cardholder_name", _S, "titular_tarjeta titular_de_la_tarjeta kaarthouder karteninhaber"
     " titulaire_carte titular_do_cartao titolare_carta"),
    ("masked_card_number", _S, "masked_pan masked_card card_mask last4 last_four last_digits"
     " card_last_digits final_cartao ultimos_digitos ultime_cifre letzte_ziffern"),
    ("card_cvv", _S, "cvv cvc cvv2 cvc2 security_code card_code card_verification csc"
     " cvv_number cvc_number cvv_code"),
    ("card_expiry", _S, "expiry exp_date expiration expiration_date expiry_date card_expiry exp"
     " valid_thru ablaufdatum date_expiration exp_month expiry_month exp_year expiry_year"
     " expiration_year"
     " expiration_month card_exp valid_until fecha_caducidad"
     " fecha_vencimiento date_d_expiration gultig_bis caducidad vervaldatum scadenza"
     " data_scadenza validade data_validade"),
    ("cardholder_name", _S, "cardholder cardholder_name card_holder card_holder_name"
     " name_on_card"),
    ("password", _S, "password passwd pwd passwort mot_de_passe contrasena passphrase"
     " new_password old_password kennwort pass pw current_password confirm_password"
     " password_confirmation user_password security_answer secret_answer wachtwoord haslo"
     " senha losenord backup_code recovery_code"),
    ("first_name", _S, "first_name firstname given_name forename vorname prenom nombre fname"
     " nombre_de_pila voornaam voornamen imie primeiro_nome prenome fornamn"),
    ("last_name", _S, "last_name lastname surname family_name nachname nom apellido apellidos"
     " nom_de_famille lname familienname primer_apellido cognome achternaam nazwisko"
     " sobrenome efternamn apellido_paterno apellido_materno segundo_apellido"),
    ("person_name", _S, "full_name fullname display_name customer_name contact_name person_name"
     " patient_name recipient_name nom_complet nombre_completo account_holder holder_name"
     " account_holder_name owner_name beneficiary_name billing_name shipping_name"
     " contact_person name_on_account kontoinhaber titular titulaire nombre_titular"
     " employee_name traveler_name passenger_name member_name guest_name nome"
     " nome_completo consumer_name shimei namae"),
    ("person_name", _W, "name"),
    ("date_of_birth", _S, "dob birth_date birthdate date_of_birth dateofbirth birthday"
     " geburtsdatum date_de_naissance fecha_de_nacimiento fecha_nacimiento date_naissance"
     " geburtstag birth_day data_nascita data_di_nascita geboortedatum data_urodzenia"
     " data_nascimento data_de_nascimento fodelsedatum seinengappi"),
    ("us_ssn", _S, "ssn social_security_number social_security"),
    ("us_itin", _S, "itin"),
    ("iban", _S, "iban iban_number"),
    ("bank_account_number", _S, "account_number bank_account bank_account_number kontonummer"
     " numero_de_cuenta numero_compte numero_de_compte acct_number acct_no account_no"
     " bank_account_no"),
    ("bank_routing_number", _S, "routing_number aba aba_number sort_code bankleitzahl blz"
     " routing wire_routing ifsc ifsc_code institution_number transit_number bsb"),
    ("swift_bic", _S, "swift bic swift_code bic_code swift_bic"),
    ("street_address", _S, "address street street_address strasse rue calle address_line"
     " adresse direccion billing_address shipping_address home_address anschrift addr"
     " street_line address1 address2 address_line1 address_line2 domicilio mailing_address"
     " postal_address residential_address hausanschrift indirizzo straat huisnummer"
     " house_number adres ulica logradouro endereco complemento gatuadress juusho"),
    ("postal_code", _S, "zip zip_code zipcode postal_code postalcode postcode plz postleitzahl"
     " code_postal codigo_postal codice_postale kod_pocztowy cep pincode postnummer"
     " yuubin_bangou"),
    ("geolocation", _S, "lat latitude lng lon longitude geolocation geo coordinates location"
     " breitengrad langengrad laengengrad latitud longitud latitudine longitudine"),
    ("gender", _S, "gender sex geschlecht sexo genero sexe sesso geslacht plec"),
    ("username", _S, "username user_name login login_name screen_name benutzername nickname"
     " nombre_de_usuario nom_utilisateur"),
    ("user_id", _S, "user_id userid customer_id customerid account_id member_id id_client"
     " shopper_reference shopper_id"
     " patient_id employee_id uid subscriber_id person_id profile_id owner_id buyer_id"
     " seller_id author_id creator_id contact_id kunden_id kundennummer customer_number"
     " id_usuario id_cliente codice_cliente klantnummer numero_cliente client_number"
     " customer_ref customer_reference personalnummer personeelsnummer employee_number"),
    ("ip_address", _S, "ip ip_address ipaddress client_ip remote_addr remote_ip source_ip"
     " x_forwarded_for forwarded_for real_ip x_real_ip"),
    ("mac_address", _S, "mac mac_address macaddress"),
    ("imei", _S, "imei"),
    ("advertising_id", _S, "advertising_id idfa gaid aaid ad_id"),
    ("passport_number", _S, "passport passport_number passport_no reisepass passeport"
     " pasaporte passport_no numero_pasaporte"),
    ("drivers_license", _S, "drivers_license driver_license driving_licence driving_license"
     " license_number fuhrerschein permis_de_conduire rijbewijs rijbewijsnummer"
     " fuhrerscheinnummer prawo_jazdy numer_prawa_jazdy numero_prawa_jazdy cnh"
     " carteira_de_motorista licencia_de_conducir patente_di_guida"),
    ("national_id", _S, "national_id national_id_number personalausweis id_card_number dni id_card"
     " identity_card national_id_card carta_identita carta_di_identita"
     " nif nie curp personal_number personnummer sozialversicherungsnummer sv_nummer"
     " rentenversicherungsnummer"),
    ("tax_id", _S, "tax_id taxid tin vat_number vat_id ein steuernummer steuer_id tax_number"
     " nip"),
    ("medical_record_number", _S, "mrn medical_record_number medical_record"),
    ("health_insurance_number", _S, "insurance_number health_insurance_number member_number"
     " policy_number versichertennummer polisnummer numero_adherent"
     " krankenversichertennummer krankenversicherungsnummer kvnr"),
    ("icd10_code", _S, "icd10 icd_10 icd10_code icd_code diagnosis_code icd10_gm icd10_cm"
     " icd_10_gm icd_10_cm"),
    ("health_condition", _S, "diagnosis medical_condition allergies allergy symptoms diagnose"
     " conditions medical_conditions health_conditions chronic_conditions diagnoses"
     " diagnostico maladie krankheit blood_type blood_group blutgruppe groupe_sanguin"
     " grupo_sanguineo hiv_status"),
    ("medication", _S, "medication medications prescription drug medicament medikament"
     " medikation medicamento farmaco"),
    ("azure_key", _S, "sas_key shared_access_key azure_storage_key storage_account_key"
     " azure_storage_account_key"),
    ("generic_secret", _M, "authorization proxy_authorization token api_token auth credentials"
     " credential"),
    ("bearer_token", _S, "access_token accesstoken auth_token id_token refresh_token"
     " bearer_token"),
    ("generic_secret", _S, "secret client_secret api_key apikey api_secret secret_key"
     " private_token x_api_key app_secret signing_key webhook_secret encryption_key"
     " master_key shared_secret consumer_secret github_token gitlab_token slack_token"
     " stripe_key openai_api_key twilio_auth_token sendgrid_api_key npm_token"),
    ("session_cookie", _S, "session session_id sessionid sid jsessionid phpsessid connect_sid"
     " session_token"),
    ("aws_secret_key", _S, "aws_secret_access_key secret_access_key"),
    ("aws_access_key", _S, "aws_access_key_id access_key_id"),
    ("private_key", _S, "private_key privatekey ssh_key pem"),
    ("connection_string_with_password", _M, "connection_string dsn database_url db_url"),
    ("phone_number", _M, "contact_number home_phone work_phone"),
    ("date_of_birth", _S, "birth_dt dob_date date_naissance"),
    ("credit_card_number", _S, "card_num cc_no credit_card_no"),
    ("bank_account_number", _S, "acct_num bban account_iban_local"),
    ("ip_address", _S, "ipv4 ipv6 ip_v4 ip_v6 ipv4_address ipv6_address"),
    ("medication", _S, "drug_name medication_name rx"),
    ("generic_secret", _S, "access_key secret_token auth_secret"),
    ("session_cookie", _S, "session_cookie session_key session_state"),
    ("drivers_license", _S, "dl_number dl_no licence_number"),
    ("national_id", _M, "id_number personal_id citizen_id identity_number"),
    ("first_name", _S, "middle_name"),
    ("last_name", _S, "maiden_name"),
    ("us_ssn", _S, "social_security_no ssn_number"),
    ("bearer_token", _S, "bearer"),
    ("connection_string_with_password", _M, "jdbc_url mongo_uri mongodb_uri redis_url amqp_url"
     " database_uri db_uri broker_url"),
    ("card_track_data", _S, "track1 track2 track_data track_1 track_2 magstripe"),
    ("health_insurance_number", _S, "insurance_id health_plan_id medicare_number_id"),
    ("username", _S, "login_id"),
    # negative context: identifiers, references, hashes, amounts, times
    (IDENTIFIER, 1.0, "id order_id orderid order_number order_no request_id transaction_id ndc"
     " txn_id trace_id span_id correlation_id event_id message_id sku tracking_number"
     " tracking_id invoice_number invoice_id invoice_no reference ref uuid guid hash checksum"
     " sha md5 etag version build timestamp created_at updated_at time date price amount"
     " total quantity qty count serial serial_number isbn ean upc gtin barcode product_id"
     " item_id batch_id shipment_id confirmation_number booking_ref part_number model_number"
     " page offset limit nonce port status code ticket_id page_token next_page_token"
     " continuation_token cursor pagination_token sync_token next_token idempotency_key cart_token"
     " checkout_token"),
)
# fmt: on
_TABLE_SOURCE += tuple((e.type_id, _S, e.keys) for e in ID_NUMBERS)

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
    " traveler subscriber student users customers members patients employees contacts"
)
_PERSON_PARENTS = frozenset(_PERSON_WORDS.split())
# `<word>_id` / `id_<word>`: a person's identifier for these roles and words of other languages
# (`customer_id` and the like are in the table; `client_id` is an OAuth client's)
_PERSON_ID_WORDS = (
    "requester assignee reporter rider driver courier cliente usuario utilisateur utente"
    " gebruiker klant werknemer mitarbeiter besitzer empleado paciente pasajero passageiro"
    " motorista huesped kokyaku tantousha kaiin"
)
_PERSON_ID_ROLES = frozenset(_PERSON_ID_WORDS.split())
# objects whose "name" is a person's, but whose "id" is their own record's
_NAMED_PARENTS = _PERSON_PARENTS | frozenset(
    [
        "billing",
        "shipping",
        "delivery",
        "cardholder",
        "shipper",
        "consignee",
        "bill_to",
        "ship_to",
        "cc",
        "bcc",
        "reply_to",
        "prescriber",
        "physician",
        "doctor",
        "practitioner",
    ]
)
# places that are not people: a store's or hotel's coordinates are not personal data
_PLACE_WORDS = (
    "store shop restaurant hotel pharmacy merchant branch office warehouse venue depot station"
    " airport outlet tienda restaurante farmacia ristorante negozio vendita filiale geschaft"
    " laden apotheke magasin pharmacie winkel apotheek sklep apteka loja"
)
_PLACE_PARENTS = frozenset(_PLACE_WORDS.split())
# parents whose `uid` is an object's (Kubernetes metadata and owner references), not a user's
_OBJECT_META = frozenset({("metadata",), ("references",)})
# what a business has as a person would, and that is not personal data there
_PLACE_TYPES = frozenset(
    {"geolocation", "street_address", "postal_code", "person_name", "first_name", "last_name"}
)
# members that only hold a place's parts: their members belong to the object around them
_PLACE_HOLDER_WORDS = (
    "location position coordinates coords geo geolocation latlng point address addr"
    " ubicacion direccion posizione indirizzo adresse standort adres endereco localizacao"
)
_PLACE_HOLDERS = frozenset(_PLACE_HOLDER_WORDS.split())


@lru_cache(maxsize=4096)
def place_holder_parent(key: str, parent: str) -> str | None:
    """`stores[0].location` -> "stores": the business a location or address member belongs to,
    as the parent for that member's own members (`lat`, `zip`), or None."""
    tokens = key_tokens(key)
    parent_tokens = key_tokens(parent)
    if (
        tokens
        and parent_tokens
        and tokens[-1] in _PLACE_HOLDERS
        and _one_of(parent_tokens[-1], _PLACE_PARENTS)
    ):
        return parent_tokens[-1]
    return None


# (parent's last token, key phrase) -> type, for keys that are generic alone
_PARENT_TABLE: dict[tuple[str, tuple[str, ...]], tuple[str, float]] = {
    # FHIR HumanName {"text", "family", "given"}: its parts make it a person's name
    ("person", ("text",)): ("person_name", _S),
    ("person", ("family",)): ("last_name", _S),
    ("person", ("given",)): ("first_name", _S),
    ("card", ("number",)): ("credit_card_number", _S),
    ("card", ("no",)): ("credit_card_number", _S),
    ("card", ("holder",)): ("cardholder_name", _S),
    ("card", ("name",)): ("cardholder_name", _S),
    ("card", ("code",)): ("card_cvv", _M),
    ("phone", ("number",)): ("phone_number", _S),
    ("address", ("line",)): ("street_address", _S),
    ("bank", ("number",)): ("bank_account_number", _M),
    ("passport", ("number",)): ("passport_number", _S),
    ("card", ("month",)): ("card_expiry", _S),
    ("card", ("cvv",)): ("card_cvv", _S),
    ("account", ("number",)): ("bank_account_number", _M),
    ("account", ("holder",)): ("person_name", _S),
    # FHIR-style names: {"name": [{"family": "Chalmers", "given": ["Peter", "James"]}]}
    ("name", ("family",)): ("last_name", _S),
    ("name", ("given",)): ("first_name", _S),
    ("ach", ("account",)): ("bank_account_number", _S),
    ("session", ("id",)): ("session_cookie", _S),
    ("adresse", ("ligne",)): ("street_address", _S),
    # a diagnosis object's code and text: {"diagnoses": [{"code": "J45.909", "description": ...}]}
    ("diagnosis", ("code",)): ("icd10_code", _S),
    ("diagnoses", ("code",)): ("icd10_code", _S),
    ("diagnosis", ("description",)): ("health_condition", _S),
    ("diagnoses", ("description",)): ("health_condition", _S),
    ("diagnosis", ("name",)): ("health_condition", _S),
    ("diagnoses", ("name",)): ("health_condition", _S),
    ("diagnosis", ("display",)): ("health_condition", _S),
    # FHIR references to people carry their name as `display`
    ("subject", ("display",)): ("person_name", _S),
    ("patient", ("display",)): ("person_name", _S),
    ("practitioner", ("display",)): ("person_name", _S),
    ("requester", ("display",)): ("person_name", _S),
    ("recorder", ("display",)): ("person_name", _S),
    ("medication", ("display",)): ("medication", _S),
}
# objects that are records of their own: an order with a contact email and phone is still an
# order, so its `id` is the order's, whatever its members say (card members still count)
_RECORD_WORDS = (
    "order checkout cart basket invoice transaction payment charge refund shipment booking"
    " reservation subscription ticket message event session product item"
)
_RECORD_NOUNS = frozenset(_RECORD_WORDS.split())


def _singular(word: str) -> str | None:
    """`emails` -> `email`, `phones` -> `phone`; None for a word that is not such a plural
    (`address`, `ids`: too short, or ending in `ss`)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def _one_of(word: str, nouns: frozenset[str]) -> bool:
    """`word` or its singular (`stores` -> `store`) is one of `nouns`."""
    return word in nouns or _singular(word) in nouns


def _longest_suffix(tokens: tuple[str, ...]) -> KeyContext | None:
    for size in range(min(len(tokens), _MAX_PHRASE), 0, -1):
        hit = _TABLE.get(tokens[-size:])
        if hit is not None:
            return hit
    single = _singular(tokens[-1])
    if single is not None:
        return _longest_suffix((*tokens[:-1], single))  # "emails", "phoneNumbers"
    return None


@lru_cache(maxsize=16384)
def key_context(key: str | None, parent: str | None = None) -> KeyContext | None:
    """What `key` (inside an object under `parent`, None at the root) says about its value."""
    if not key:
        return None
    tokens = key_tokens(key)
    if not tokens:
        return None
    if len(tokens) == 2 and "id" in tokens:  # requester_id, id_passageiro, kokyaku_id
        other = tokens[1] if tokens[0] == "id" else tokens[0]
        if other in _PERSON_ID_ROLES:
            return KeyContext("user_id", _S, f"key:{other}_id")
    hit = _longest_suffix(tokens)
    if hit is not None and hit.reason == "key:name" and tokens != ("name",):
        hit = None  # product_name, host_name: only a bare "name" may be a person's
    if hit is not None and hit.reason == "key:sid" and tokens != ("sid",):
        hit = None  # account_sid, call_sid: a resource's string id (Twilio), not a session
    generic = hit is None or hit.reason in ("key:name", "key:id", "key:code")
    parent_tokens = key_tokens(parent) if parent else ()
    if not generic:
        last_parent = parent_tokens[-1:]
        if (
            hit is not None
            and hit.type_id in _PLACE_TYPES
            and last_parent
            and _one_of(last_parent[0], _PLACE_PARENTS)
        ):
            return None  # stores[0].lat, ristorante.indirizzo: a business's place or name
        if hit is not None and hit.reason == "key:uid" and last_parent in _OBJECT_META:
            return None  # metadata.uid, ownerReferences[0].uid: a Kubernetes object's uid
        if hit is not None and hit.type_id == "person_name" and last_parent == ("card",):
            # the matched phrase, never the key: a pair's `Name` may be a value
            return KeyContext("cardholder_name", _S, "key:card." + hit.reason[len("key:") :])
        if hit is not None and hit.type_id == "user_id" and last_parent == ("insurance",):
            return KeyContext("health_insurance_number", _S, "key:insurance." + tokens[-1])
        if (
            hit is not None
            and hit.identifier
            and tokens[-1] in ("uuid", "guid")
            and last_parent
            and last_parent[0] in _PERSON_PARENTS
        ):
            return KeyContext("user_id", _S, f"key:{last_parent[0]}.{tokens[-1]}")
        return hit
    if parent_tokens:
        if tokens in _DOCUMENT_NUMBER_KEYS:  # {"drivers_license": {"number": ...}}, id_card.no
            named = _longest_suffix(parent_tokens)
            if named is not None and named.type_id in _DOCUMENT_TYPES:
                phrase = "_".join(tokens)  # one of the table's phrases, never the key itself
                return KeyContext(named.type_id, named.weight, f"{named.reason}.{phrase}")
        last = parent_tokens[-1]
        combo = _PARENT_TABLE.get((last, tokens[-1:]))
        single = _singular(last) if combo is None else None
        if single is not None:  # phones[0].number
            combo = _PARENT_TABLE.get((single, tokens[-1:]))
        if combo is not None:
            return KeyContext(combo[0], combo[1], f"key:{last}.{tokens[-1]}")
        if hit is not None and hit.reason == "key:name" and last in _NAMED_PARENTS:
            return KeyContext("person_name", _S, f"key:{last}.name")
        if hit is not None and hit.reason == "key:id" and last in _PERSON_PARENTS:
            return KeyContext("user_id", _S, f"key:{last}.id")
        if hit is not None and hit.reason == "key:name":
            return None  # product.name, file.name: not a person
        if tokens == ("value",):  # {"nhs_number": {"value": ...}}: the parent names the value
            named = _longest_suffix(parent_tokens)
            if named is not None and not named.identifier and named.reason != "key:name":
                return KeyContext(named.type_id, named.weight, named.reason + ".value")
    return hit


# what an identity document's or identifier's `number` / `value` can be named after
_DOCUMENT_TYPES = frozenset(
    {
        "passport_number",
        "drivers_license",
        "national_id",
        "tax_id",
        "us_ssn",
        "us_itin",
        "uk_nino",
        "medical_record_number",
        "health_insurance_number",
        "uk_nhs_number",
        "us_medicare_mbi",
        "us_npi",
        "es_dni",
        "es_nie",
        "fr_nir",
        "it_codice_fiscale",
        "nl_bsn",
        "pl_pesel",
        "br_cpf",
        "in_aadhaar",
        "ca_sin",
        "de_tax_id",
    }
)
# a document's number, in the languages of the key table: named by its parent or type member
_DOCUMENT_NUMBER_WORDS = (
    "number no nr num numero nummer numer document_number document_no doc_number doc_no"
    " numero_documento numero_de_documento numero_document dokumentnummer dokument_nummer"
    " numer_dokumentu documentnummer"
)
_DOCUMENT_NUMBER_KEYS = frozenset(tuple(p.split("_")) for p in _DOCUMENT_NUMBER_WORDS.split())
# members that say what kind of document or identifier their object holds
_TYPE_MEMBERS = (
    "type", "kind", "document_type", "documentType", "doc_type", "id_type", "idType",
    "identifier_type", "identifierType", "identification_type", "identificationType",
    "tipo", "tipo_documento", "tipoDocumento", "tipo_de_documento", "type_document",
    "type_de_document", "typeDocument", "dokumententyp", "dokumenttyp", "documenttype",
)  # fmt: skip
# FHIR identifier types (HL7 v2 table 0203): `{"type": {"coding": [{"code": "MR"}]}, "value"}`
_V2_IDENTIFIER_TYPES = {
    "MR": "mrn", "SS": "ssn", "DL": "drivers_license", "PPN": "passport", "TAX": "tax_id",
    "NI": "national_id", "NPI": "npi", "MB": "member_number", "MC": "medicare_number",
}  # fmt: skip


@lru_cache(maxsize=1024)
def _document_phrase(name: str) -> str | None:
    """`passport`, `DRIVERS_LICENSE` -> the table phrase of a document type, or None."""
    ctx = key_context(name) if len(name) <= 64 else None
    if ctx is None or ctx.type_id not in _DOCUMENT_TYPES:
        return None
    return ctx.reason[len("key:") :]


def document_parent(node: Mapping[object, object]) -> str | None:
    """What an object's type member says it holds (`{"type": "passport", "number": ...}`,
    a FHIR identifier's `type.coding[].code` or `type.text`): a parent name for its `number`
    and `value` members (a table phrase, never the member's text), or None."""
    for member in _TYPE_MEMBERS:
        kind = node.get(member)
        if kind is None:
            continue
        if isinstance(kind, str):
            return _document_phrase(kind)
        if isinstance(kind, dict):
            return _coded_document(kind)
        return None
    return None


def _coded_document(kind: Mapping[object, object]) -> str | None:
    coding = kind.get("coding")
    if isinstance(coding, list):
        for code in coding[:4]:
            if isinstance(code, dict) and isinstance(code.get("code"), str):
                phrase = _V2_IDENTIFIER_TYPES.get(code["code"])
                if phrase is not None:
                    return phrase
    text = kind.get("text")
    return _document_phrase(text) if isinstance(text, str) else None


# members whose meaning comes from the object around them
GENERIC_MEMBERS = ("id", "name", "number", "no", "holder", "text")
_CARD_SIBLINGS = frozenset({"card_expiry", "card_cvv"})
_PERSON_SIBLINGS = frozenset(
    {"email", "first_name", "last_name", "phone_number", "date_of_birth", "street_address"}
)
_HUMAN_NAME_PARTS = frozenset({"family", "given"})  # FHIR HumanName members

# code systems of coded health data (FHIR `coding`, HL7): the system names what code and display are
_TERMINOLOGIES = (
    ("icd", "diagnosis"), ("snomed", "diagnosis"), ("loinc", "diagnosis"),
    ("rxnorm", "medication"), ("ndc", "medication"), ("atc", "medication"),
    # identifier systems: {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": ...}
    ("nhs", "nhs_number"), ("npi", "npi"), ("ssn", "ssn"), ("mrn", "mrn"), ("mbi", "mbi"),
)  # fmt: skip


# FHIR extensions whose value is personal data, by the last words of their `url`
_EXTENSIONS = (
    ("birthsex", "gender"), ("genderidentity", "gender"), ("sex", "gender"),
    ("mothersmaidenname", "maiden_name"), ("birthtime", "date_of_birth"),
)  # fmt: skip


@lru_cache(maxsize=1024)
def extension_parent(url: str) -> str | None:
    """`http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex` -> "gender": what a
    FHIR extension's `value[x]` holds, named by its url's last segment, or None."""
    segment = url.rstrip("/").rsplit("/", 1)[-1].lower()
    words = segment.replace("_", "-").split("-")
    for word, parent in _EXTENSIONS:
        if words[-1] == word:
            return parent
    return None


@lru_cache(maxsize=1024)
def terminology_parent(system: str) -> str | None:
    """`http://hl7.org/fhir/sid/icd-10-cm` -> "diagnosis", `.../rxnorm` -> "medication",
    `.../us-npi` -> "npi": a parent name for the members of a coding object (its `code` and
    `display`) or of an identifier (its `value`), or None."""
    words = set(re.findall(r"[a-z]+", system.lower()))
    for word, parent in _TERMINOLOGIES:
        if word in words:
            return parent
    return None


def names_record(key: str | None) -> bool:
    """`key` names a record of its own by its last word (`order`, `line_items`; not
    `payment_method`)."""
    tokens = key_tokens(key) if key else ()
    if not tokens:
        return False
    return _one_of(tokens[-1], _RECORD_NOUNS)


def sibling_parent(keys: Iterable[object], own_key: str | None = None) -> str | None:
    """What the other members make an object (`card` next to `expiry`/`cvv`, `person` next to
    two of email, first/last name, phone, birth date, address, unless the object's own key
    names another record: `order`): a parent name for its generic members (`number`, `name`,
    `id`), or None."""
    card = person = 0
    for key in keys:
        if not isinstance(key, str) or key in GENERIC_MEMBERS:
            continue
        if key in _HUMAN_NAME_PARTS:  # FHIR HumanName: {"text", "family", "given"}
            person += 1
            continue
        ctx = key_context(key)
        if ctx is None:
            continue
        if ctx.type_id in _CARD_SIBLINGS:
            card += 1
        elif ctx.type_id in _PERSON_SIBLINGS:
            person += 1
    if card:
        return "card"
    return "person" if person >= 2 and not names_record(own_key) else None
