"""Key names of more standards and languages (ISO 20022 tags, Galician, Slovene, Croatian,
Lithuanian, Thai, Japanese kana, Ukrainian, transliterated Arabic, Swahili, Hebrew), and the
places, records and servers whose members are no person's data."""

from __future__ import annotations

import pytest

from detection_tool import Detector
from detection_tool.keys import key_context, key_tokens

from .helpers import type_ids, types_at

DETECTOR = Detector()


@pytest.mark.parametrize(
    ("key", "parent", "type_id"),
    [
        # ISO 20022 (SEPA pain.001, camt.053) abbreviated tags
        ("BICFI", "FinInstnId", "swift_bic"),
        ("StrtNm", "PstlAdr", "street_address"),
        ("BldgNb", "PstlAdr", "street_address"),
        ("PstCd", "PstlAdr", "postal_code"),
        ("AdrLine", "PstlAdr", "street_address"),
        ("Nm", "Cdtr", "person_name"),
        ("Nm", "UltmtDbtr", "person_name"),
        # card owners (Magento `cc_owner`), a WhatsApp id
        ("cc_owner", "payment", "cardholder_name"),
        ("cardOwner", None, "cardholder_name"),
        ("wa_id", "contacts", "phone_number"),
        # Galician, Slovene, Croatian, Serbian
        ("apelidos", "ficha_cliente", "last_name"),
        ("data_nacemento", None, "date_of_birth"),
        ("enderezo", None, "street_address"),
        ("tarxeta_sanitaria", None, "health_insurance_number"),
        ("tarjeta_sanitaria", None, "health_insurance_number"),
        ("naslov", "pacient", "street_address"),
        ("ZZZS_številka", "pacient", "health_insurance_number"),
        ("MBO", "karton_pacijenta", "health_insurance_number"),
        ("broj_police", "dopunsko_osiguranje", "health_insurance_number"),
        ("MKB_10", "napotna_diagnoza", "icd10_code"),
        ("dijagnoza_MKB10", "posjeti", "icd10_code"),
        ("opis_dijagnoze", "posjeti", "health_condition"),
        ("trenutna_terapija", "anamneza", "medication"),
        ("poslednja_lokacija", "telefon", "geolocation"),
        ("id_korisnika", "ukucani", "user_id"),
        # Lithuanian, Latvian
        ("platuma", "pradzia", "geolocation"),
        ("ilguma", "pradzia", "geolocation"),
        ("reklamos_id", "irenginys", "advertising_id"),
        ("numeris", "vairuotojo_pažymėjimas", "drivers_license"),
        ("galiojimas", "mokejimas", "card_expiry"),
        # Thai
        ("รหัสผู้ใช้", None, "user_id"),
        ("บ้านเลขที่", "ที่อยู่", "street_address"),
        ("ถนน", "ที่อยู่", "street_address"),
        ("เลขที่บัญชี", "บัญชีธนาคาร", "bank_account_number"),
        ("ชื่อบัญชี", "บัญชีธนาคาร", "person_name"),
        ("ชื่อ", "ข้อมูลส่วนบุคคล", "person_name"),
        # Japanese kana name parts, an expiry
        ("セイ", "氏名カナ", "last_name"),
        ("メイ", "氏名カナ", "first_name"),
        ("氏名ローマ字", "会員情報", "person_name"),
        ("有効期限", "登録カード", "card_expiry"),
        ("健康状况", "学生信息", "health_condition"),
        # Ukrainian: a modifier-letter apostrophe (`імʼя`), tax and registry numbers
        ("імʼя", "заявник", "first_name"),
        ("РНОКПП", "заявник", "tax_id"),
        ("\u0423\u041d\u0417\u0420", "заявник", "national_id"),  # the registry number
        ("ПІБ", "дитина", "person_name"),
        ("МФО", "банківські_реквізити", "bank_routing_number"),
        ("свідоцтво_про_народження", "дитина", "national_id"),
        ("індекс", "адреса_реєстрації", "postal_code"),
        ("име", "родител", "person_name"),
        # transliterated Arabic, Swahili
        ("al_ism_al_kamil", "al_mursal_ilayh", "person_name"),
        ("al_ramz_al_baridi", "al_mursal_ilayh", "postal_code"),
        ("raqm_al_bitaqa_al_wataniya", "al_mursal_ilayh", "national_id"),
        ("jina_la_kati", "mwanachama", "first_name"),
        ("KRA_PIN", "mwanachama", "tax_id"),
        ("msimbo_wa_posta", "mwanachama", "postal_code"),
        ("anwani_ya_posta", "mwanachama", "street_address"),
        ("nambari_ya_bima", "mwanachama", "health_insurance_number"),
        ("nambari_ya_cheti_cha_kuzaliwa", "wategemezi", "national_id"),
        # Hebrew puts the noun first: regular medications, a previous medical condition
        ("תרופות_קבועות", "הצהרת_בריאות", "medication"),
        ("מצב_רפואי_קודם", "הצהרת_בריאות", "health_condition"),
        ("4_ספרות_אחרונות", "אמצעי_תשלום", "masked_card_number"),
        ("תוקף", "אמצעי_תשלום", "card_expiry"),
        # role words: a helpdesk's responder, a delivery rider (Malay)
        ("responder_id", None, "user_id"),
        ("id_penghantar", "penghantar", "user_id"),
        ("nama", "penghantar", "person_name"),
        ("optometrista", "graduacion", "person_name"),
    ],
)
def test_key_context_of_more_vocabulary(key: str, parent: str | None, type_id: str) -> None:
    ctx = key_context(key, parent)
    assert ctx is not None
    assert ctx.type_id == type_id


def test_modifier_letter_apostrophe_splits_words() -> None:
    assert key_tokens("імʼя") == key_tokens("ім'я") == ("ім", "я")


@pytest.mark.parametrize(
    ("key", "parent"),
    [
        ("uid", "conn"),  # a network connection's uid (Zeek)
        ("uid", "files"),
        ("uid", "message"),
        ("mgmt_ip", "sensor"),
        ("sending_ip", "envelope"),
        ("bank_address", "payout_method"),
        ("bank_phone", None),
        ("NIF", "tenda"),  # a shop's tax number (Galician)
        ("OIB", "ordinacija"),  # a practice's identification number (Croatian)
        ("telefon", "laboratorij"),
        ("adresa", "ordinacija"),
        ("alamat", "restoran"),
        ("anwani", "mwajiri"),
        ("lat", "hospitali_iliyochaguliwa"),
    ],
)
def test_no_personal_context(key: str, parent: str | None) -> None:
    ctx = key_context(key, parent)
    assert ctx is None or ctx.identifier


@pytest.mark.parametrize(
    ("doc", "path", "expected"),
    [
        # a manufacturer part number shaped like an SSN, a server's address (Swahili), a parking
        # zone's coordinates (Lithuanian)
        ({"product_options": {"mpn": "536-90-4399"}}, "$.product_options.mpn", []),
        ({"mfumo": {"seva": "10.120.4.15"}}, "$.mfumo.seva", []),
        ({"stovejimo_zona": {"lat": 54.68712}}, "$.stovejimo_zona.lat", []),
        # a business's coordinates under a holder (Galician, Malay, Swahili)
        ({"tenda": {"coordenadas": {"lat": 42.87891, "lon": -8.54452}}}, "$.tenda.coordenadas.lat",
         []),
        ({"restoran": {"koordinat": {"lat": 3.15012, "lng": 101.71234}}},
         "$.restoran.koordinat.lat", []),
        ({"hospitali": {"eneo": {"lat": -1.29212, "lon": 36.82194}}}, "$.hospitali.eneo.lat", []),
        # a person's coordinates still count
        ({"customer": {"coordinates": {"lat": 42.87891, "lon": -8.54452}}},
         "$.customer.coordinates.lat", ["geolocation"]),
    ],
)  # fmt: skip
def test_business_coordinates_in_holders(doc: dict[str, object], path: str,
                                         expected: list[str]) -> None:  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)).get(path, []) == expected


def test_iso20022_creditor_and_its_address() -> None:
    doc = {
        "Cdtr": {
            "Nm": "Jordi Puigventós Sala",
            "PstlAdr": {"StrtNm": "Carrer de la Riera", "BldgNb": "14", "PstCd": "43800"},
        },
        "CdtrAgt": {"FinInstnId": {"BICFI": "BSABESBBXXX"}},
    }
    found = {p: t[0] for p, t in type_ids(DETECTOR.detect_document(doc)).items() if t}
    assert found == {
        "$.Cdtr.Nm": "person_name",
        "$.Cdtr.PstlAdr.StrtNm": "street_address",
        "$.Cdtr.PstlAdr.BldgNb": "street_address",
        "$.Cdtr.PstlAdr.PstCd": "postal_code",
        "$.CdtrAgt.FinInstnId.BICFI": "swift_bic",
    }


@pytest.mark.parametrize(
    ("parent", "value", "expected"),
    [
        ("customer", "COOPERATIVA AGRICOLA DE VALLS SCCL", []),  # a co-operative's legal form
        ("customer", "Acme Widgets Ltd.", []),
        ("customer", "Müller Logistik GmbH", []),
        ("Cdtr", "Oriol Casals Vidal", ["person_name"]),
        ("customer", "Maria Rodrigues S.A.", []),
        ("customer", "Anna Sa", ["person_name"]),  # (a short form only written as one)
    ],
)
def test_organisations_are_no_person_names(parent: str, value: str, expected: list[str]) -> None:
    key = "Nm" if parent in ("Cdtr", "Dbtr") else "full_name"
    assert types_at(DETECTOR, key, value, parent) == expected


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("message_id", "20240523084331.83ff1b975e0abd9a@mg.example.fr"),
        ("message-id", "<CAF=abc123@mail.gmail.com>"),
        ("in_reply_to", "20240523084331.83ff1b975e0abd9a@mg.example.fr"),
    ],
)
def test_message_ids_are_no_email_addresses(key: str, value: str) -> None:
    assert "email" not in types_at(DETECTOR, key, value, "headers")


def test_user_id_that_is_an_email_still_counts() -> None:
    assert "email" in types_at(DETECTOR, "user_id", "anna.berg@example.org")


@pytest.mark.parametrize(
    ("scheme", "value", "type_id"),
    [
        ({"Prtry": "NIE"}, "Y9857029W", "es_nie"),
        ({"Prtry": "NIF"}, "39282260P", "es_dni"),  # a Spanish person's NIF is their DNI
        ({"Cd": "NIDN"}, "AB609245", "national_id"),
        ({"Cd": "CCPT"}, "X1234567", "passport_number"),
    ],
)
def test_iso20022_scheme_names_the_identification(
    scheme: dict[str, str], value: str, type_id: str
) -> None:
    doc = {"Cdtr": {"Id": {"PrvtId": {"Othr": [{"Id": value, "SchmeNm": scheme}]}}}}
    found = type_ids(DETECTOR.detect_document(doc))
    assert found["$.Cdtr.Id.PrvtId.Othr[0].Id"][:1] == [type_id]


def test_iso20022_identification_without_a_scheme_stays_an_identifier() -> None:
    doc = {"InitgPty": {"Id": {"OrgId": {"Othr": [{"Id": "ESF43012348000"}]}}}}
    assert type_ids(DETECTOR.detect_document(doc)) == {}


@pytest.mark.parametrize(
    ("doc", "path", "type_id"),
    [
        # an account's parties are its holders (Open Banking, Tink)
        ({"accounts": [{"parties": [{"name": "Aino Korhonen", "role": "HOLDER"}]}]},
         "$.accounts[0].parties[0].name", "person_name"),
        # a school's director, named by the role's key
        ({"училище": {"име": "140 училище", "директор": "Петя Стоянова"}}, "$.училище.директор",
         "person_name"),
        # a person's name in Latin letters beside the family name in their own script
        ({"ข้อมูลส่วนบุคคล": {"ชื่อ": "ศิริพร", "นามสกุล": "วงศ์สวัสดิ์",
                            "ชื่อภาษาอังกฤษ": "Siriporn Wongsawat"}},
         "$.ข้อมูลส่วนบุคคล.ชื่อภาษาอังกฤษ", "person_name"),
        ({"ข้อมูลส่วนบุคคล": {"ชื่อ": "ศิริพร", "นามสกุล": "วงศ์สวัสดิ์"}},
         "$.ข้อมูลส่วนบุคคล.ชื่อ", "first_name"),
        ({"customer": {"english_name": "Wang Fang", "email": "wf@example.cn"}},
         "$.customer.english_name", "person_name"),
        ({"מבוטח_ראשי": {"שם_באנגלית": "NOA BERKOVICH"}}, "$.מבוטח_ראשי.שם_באנגלית",
         "person_name"),
        # a FHIR QuestionnaireResponse: each item's linkId names its answers
        ({"resourceType": "QuestionnaireResponse",
          "item": [{"linkId": "contact-phone", "text": "Best number to call you on",
                    "answer": [{"valueString": "07841229506"}]},
                   {"linkId": "current-meds", "answer": [{"valueString": "Sertraline 50mg"}]}]},
         "$.item[0].answer[0].valueString", "phone_number"),
        ({"item": [{"linkId": "current-meds", "answer": [{"valueString": "Sertraline 50mg"}]}]},
         "$.item[0].answer[0].valueString", "medication"),
    ],
)  # fmt: skip
def test_named_members_in_documents(doc: dict[str, object], path: str, type_id: str) -> None:
    assert type_ids(DETECTOR.detect_document(doc)).get(path, [])[:1] == [type_id]


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        ({"product": {"english_name": "Green Tea"}}, "$.product.english_name"),
        ({"item": [{"linkId": "gp-practice", "answer": [{"valueString": "Leith Links"}]}]},
         "$.item[0].answer[0].valueString"),
        ({"item": [{"linkId": "/44261-6", "answer": [{"valueInteger": 12}]}]},
         "$.item[0].answer[0].valueInteger"),
    ],
)  # fmt: skip
def test_unnamed_members_in_documents(doc: dict[str, object], path: str) -> None:
    assert type_ids(DETECTOR.detect_document(doc)).get(path, []) == []


@pytest.mark.parametrize(
    ("key", "type_id"),
    [
        ("krstne_meno", "first_name"),  # Slovak
        ("priezvisko", "last_name"),
        ("datum_narodenia", "date_of_birth"),
        ("pohlavie", "gender"),
        ("telefonne_cislo", "phone_number"),
        ("fornafn", "first_name"),  # Icelandic
        ("eftirnafn", "last_name"),
        ("kennitala", "national_id"),
        ("heimilisfang", "street_address"),
        ("fæðingardagur", "date_of_birth"),
        ("abizenak", "last_name"),  # Basque
        ("jaiotze_data", "date_of_birth"),
        ("cyfenw", "last_name"),  # Welsh
        ("dyddiad_geni", "date_of_birth"),
        ("mbiemri", "last_name"),  # Albanian
        ("numri_telefonit", "phone_number"),
        ("data_e_lindjes", "date_of_birth"),
        ("email_adresa", "email"),  # not a street address
        ("e-mail_adresa", "email"),
        ("emailAdresi", "email"),
        ("telefonski_broj", "phone_number"),
        ("mobile_no", "phone_number"),
        ("tel_no", "phone_number"),
        ("nric", "national_id"),
        ("cnic", "national_id"),
        ("reikningsnumer", "bank_account_number"),
    ],
)
def test_key_context_in_more_languages(key: str, type_id: str) -> None:
    ctx = key_context(key)
    assert ctx is not None
    assert ctx.type_id == type_id


@pytest.mark.parametrize("key", ["emri", "izena", "meno", "saxeli"])
def test_name_words_need_a_persons_record(key: str) -> None:
    assert key_context(key) is None
    ctx = key_context(key, "customer")
    assert ctx is not None
    assert ctx.type_id == "person_name"


@pytest.mark.parametrize(
    ("key", "type_id"),
    [
        ("মোবাইল_নম্বর", "phone_number"),  # Bengali
        ("ঠিকানা", "street_address"),
        ("জন্ম_তারিখ", "date_of_birth"),
        ("கைபேசி", "phone_number"),  # Tamil
        ("முகவரி", "street_address"),
        ("فون_نمبر", "phone_number"),  # Urdu
        ("تاریخ_پیدائش", "date_of_birth"),
        ("τηλέφωνο", "phone_number"),  # Greek
        ("διεύθυνση", "street_address"),
        ("ημερομηνία_γέννησης", "date_of_birth"),
        ("επώνυμο", "last_name"),
        ("адреса_проживання", "street_address"),  # a residence address (Ukrainian)
        ("email_id", "email"),
        ("nid_number", "national_id"),
        ("आधार_नंबर", "in_aadhaar"),
    ],
)
def test_key_context_in_more_scripts(key: str, type_id: str) -> None:
    ctx = key_context(key)
    assert ctx is not None
    assert ctx.type_id == type_id


def test_a_drupal_node_id_is_no_national_id() -> None:
    assert types_at(DETECTOR, "nid", 123, "node") == []


@pytest.mark.parametrize(
    "key", ["DB_USERNAME", "SMTP_USERNAME", "REDIS_USERNAME", "mysql_username"]
)
def test_service_logins_in_configuration_files(key: str) -> None:
    assert types_at(DETECTOR, key, "kb_app") == []


@pytest.mark.parametrize("key", ["username", "customer_username", "login_name"])
def test_person_logins_still_count(key: str) -> None:
    assert types_at(DETECTOR, key, "kb_app") == ["username"]


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        ("numer_ubezpieczenia", "90010112345", "health_insurance_number"),
        ("ehic_number", "80380000012345678901", "health_insurance_number"),
        ("leki_przyjmowane", "Metformina 500 mg", "medication"),
        ("dauermedikation", "Ramipril 5 mg", "medication"),
        ("rozpoznanie", "Nadciśnienie tętnicze", "health_condition"),
        ("vorerkrankungen", "Asthma bronchiale", "health_condition"),
        ("anamneza", "alergija na penicilin", "health_condition"),
        ("malattie_croniche", "diabete tipo 2", "health_condition"),
        ("codigo_cie10", "E11.9", "icd10_code"),
        ("mkn10", "J45.9", "icd10_code"),
        ("bno_kod", "I10", "icd10_code"),
    ],
)
def test_health_records_in_more_languages(key: str, value: str, type_id: str) -> None:
    assert types_at(DETECTOR, key, value, "pacjent")[:1] == [type_id]


@pytest.mark.parametrize(("key", "value"), [("nom_cie", "Transports Martin"), ("cim", "Fő utca 1")])
def test_health_code_words_need_a_code(key: str, value: str) -> None:
    assert "icd10_code" not in types_at(DETECTOR, key, value)
