"""More languages and scripts, record types, businesses, services, pets, relatives, date parts,
credentials in configuration files and telephone numbers inside free text."""

from __future__ import annotations

import pytest
from stdnum.gb import nhs

from detection_tool import Detector
from detection_tool.keys import key_context, key_tokens

from .helpers import luhn_complete, type_ids, types_at

DETECTOR = Detector()
CARD = luhn_complete("535522123456789")


def _nhs_valid(prefix: str) -> str:
    """`prefix` (9 digits) and a check digit that makes it a valid NHS number."""
    for check in "0123456789":
        if nhs.is_valid(prefix + check):
            return prefix + check
    raise AssertionError("no NHS check digit for this prefix")


# --- key names in more languages and scripts


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        # Japanese, romanized and in its own script
        ("氏名", "佐藤 花子", "person_name"),
        ("フリガナ", "サトウ ハナコ", "person_name"),
        ("生年月日", "1991-07-03", "date_of_birth"),
        ("電話番号", "090-1234-5678", "phone_number"),
        ("メールアドレス", "hanako.s@example.jp", "email"),
        ("住所", "東京都新宿区西新宿2-8-1", "street_address"),
        ("郵便番号", "163-8001", "postal_code"),
        ("denwa_bango", "090-1234-5678", "phone_number"),
        # Chinese
        ("手机号码", "138 0013 8000", "phone_number"),
        ("身份证号码", "110105199003078837", "national_id"),
        ("电子邮件", "li.wei@example.cn", "email"),
        ("xingming", "Li Wei", "person_name"),
        # Arabic and Hebrew
        ("الاسم_الأول", "Layla", "first_name"),
        ("اسم العائلة", "Haddad", "last_name"),
        ("تاريخ_الميلاد", "1988-02-11", "date_of_birth"),
        ("رقم_الهاتف", "+971 50 123 4567", "phone_number"),
        ("العنوان", "Sheikh Zayed Rd 12, Dubai", "street_address"),
        ("שם_משפחה", "Levi", "last_name"),
        ("תאריך_לידה", "12/05/1979", "date_of_birth"),
        ("teudat_zehut", "039337423", "national_id"),
        # Thai and Hindi: vowels written as marks stay in the word
        ("นามสกุล", "Srisuk", "last_name"),
        ("วันเกิด", "1990-01-15", "date_of_birth"),
        ("รหัสผ่าน", "Sawasdee!2024", "password"),
        ("जन्म_तिथि", "15/08/1985", "date_of_birth"),
        ("मोबाइल_नंबर", "+91 98765 43210", "phone_number"),
        ("janam_tithi", "15/08/1985", "date_of_birth"),
        # Persian
        ("نام_خانوادگی", "Rahimi", "last_name"),
        ("کد_ملی", "0499370899", "national_id"),
        ("tarikh_tavallod", "1992-04-30", "date_of_birth"),
        # Russian, Ukrainian, Serbian, Croatian, Slovene
        ("Фамилия", "Иванова", "last_name"),
        ("Дата рождения", "03.04.1987", "date_of_birth"),
        ("прізвище", "Шевченко", "last_name"),
        ("prezime", "Horvat", "last_name"),
        ("datum_rodjenja", "11.09.1990", "date_of_birth"),
        ("jmbg", "0101990710006", "national_id"),
        ("lozinka", "Tajna!Lozinka7", "password"),
        ("priimek", "Novak", "last_name"),
        # Lithuanian, Latvian, Estonian
        ("pavardė", "Kazlauskas", "last_name"),
        ("asmens_kodas", "38703181745", "national_id"),
        ("uzvārds", "Bērziņš", "last_name"),
        ("isikukood", "37605030299", "national_id"),
        ("perekonnanimi", "Tamm", "last_name"),
        # Catalan, Swahili, Tagalog, Malay
        ("cognoms", "Puig i Serra", "last_name"),
        ("data_naixement", "1979-06-24", "date_of_birth"),
        ("jina_la_ukoo", "Mwangi", "last_name"),
        ("nambari_ya_simu", "+254 712 345 678", "phone_number"),
        ("apelyido", "Dela Cruz", "last_name"),
        ("petsa_ng_kapanganakan", "1993-12-02", "date_of_birth"),
        ("nombor_telefon", "+60 12-345 6789", "phone_number"),
        ("kata_laluan", "Rahsia!2024", "password"),
        # a nickname, a security or access code, cookies, a Latin American tax number
        ("nikneim", "sunny_j", "username"),
        ("apodo", "chispa77", "username"),
        ("otp", "482913", "password"),
        ("kod_dostepu", "7781", "password"),
        ("set_cookie", "sid=Qm9vZ2ll0xAk3; Path=/; HttpOnly", "session_cookie"),
        ("rfc", "GODE561231GR8", "tax_id"),
        ("nif", "245987311", "tax_id"),
        ("numéro_assurance_sociale", "046 454 286", "ca_sin"),
        ("taj_szám", "123 456 788", "health_insurance_number"),
        # Open Dental-style abbreviations, a chart number, bank codes, Korean coordinates
        ("LName", "Okafor", "last_name"),
        ("FName", "Chidi", "first_name"),
        ("ChartNumber", "CH-20931", "medical_record_number"),
        ("kód_banky", "0300", "bank_routing_number"),
        ("numéro_transit", "10402", "bank_routing_number"),
        ("wido", 37.56661, "geolocation"),
        ("adid", "38400000-8cf0-11bd-b23e-10b96e40000d", "advertising_id"),
        # health data in more languages
        ("popis_onemocnění", "Astma bronchiale", "health_condition"),
        ("substancja_czynna", "Metforminum", "medication"),
        ("الحساسية", "Penicillin", "health_condition"),
        ("アレルギー", "小麦と卵", "health_condition"),
        ("reason_for_referral", "Persistent knee pain after a fall", "health_condition"),
    ],
)  # fmt: skip
def test_keys_in_more_scripts_and_languages(key: str, value: object, type_id: str) -> None:
    assert types_at(DETECTOR, key, value, parent="subject")[:1] == [type_id]


@pytest.mark.parametrize(
    ("key", "tokens"),
    [
        ("बीमारी", ("बीमारी",)),
        ("ชื่อ-นามสกุล", (*key_tokens("ชื่อ"), *key_tokens("นามสกุล"))),
        ("Дата рождения", ("дата", "рождения")),
        ("MiddleI", ("middle", "i")),
    ],
)
def test_words_of_scripts_with_vowel_marks_stay_whole(key: str, tokens: tuple[str, ...]) -> None:
    assert key_tokens(key) == tokens


# --- names: generic words, relatives, full names, name styles


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # generic `name` words with their accents, and beside a family name the given name
        ({"klientas": {"vardas": "Jonas", "pavarde": "Petraitis"}},
         {"$.klientas.vardas": ["first_name"], "$.klientas.pavarde": ["last_name"]}),
        ({"mteja": {"jina": "Amina Wanjiru", "barua_pepe": "amina@example.co.ke"}},
         {"$.mteja.jina": ["person_name"], "$.mteja.barua_pepe": ["email"]}),
        ({"név": "Szabó Eszter", "születési_idő": "1984.11.02.", "email": "e.szabo@example.hu"},
         {"$.név": ["person_name"], "$.születési_idő": ["date_of_birth"],
          "$.email": ["email"]}),
        ({"produkt": {"jina": "Kikombe"}, "bidhaa": {"nazwa": "Kubek"}}, {}),
        # relatives: `<relative>_name`, `nama_<relative>`, `<field>_<relative>`
        ({"siswa": {"nama_ayah": "Bambang Sutrisno", "nama_ibu": "Siti Aminah"}},
         {"$.siswa.nama_ayah": ["person_name"], "$.siswa.nama_ibu": ["person_name"]}),
        ({"applicant": {"father_or_husband_name": "Ravi Menon", "mother_name": "Lata Menon"}},
         {"$.applicant.father_or_husband_name": ["person_name"],
          "$.applicant.mother_name": ["person_name"]}),
        ({"alumno": {"dni_padre": "12345678Z", "email_madre": "marta.r@example.es"}},
         {"$.alumno.dni_padre": ["es_dni"], "$.alumno.email_madre": ["email"]}),
        # a given and a family name in one key is a full name
        ({"lekarz": {"imie_nazwisko": "Ewa Nowak"}}, {"$.lekarz.imie_nazwisko": ["person_name"]}),
        ({"vorname_nachname": "Jan Becker", "first_and_last_name": "Mia Wong",
          "preferred_first_name": "Bex", "cardholder_last_name": "Ortiz"},
         {"$.vorname_nachname": ["person_name"], "$.first_and_last_name": ["person_name"],
          "$.preferred_first_name": ["first_name"], "$.cardholder_last_name": ["last_name"]}),
        # how a name is written: a person's in a person's record, a product's in a product's
        ({"profile": {"short_name": "Sam Ortiz", "sortable_name": "Ortiz, Sam"},
          "product": {"short_name": "Mug", "sortable_name": "Mug, large"}},
         {"$.profile.short_name": ["person_name"], "$.profile.sortable_name": ["person_name"]}),
        # the members labelling a drug or an allergy name it in more languages
        ({"leki": [{"nazwa": "Bisoprolol 5 mg"}], "allergies": [{"substance": "Latex"}]},
         {"$.leki[0].nazwa": ["medication"], "$.allergies[0].substance": ["health_condition"]}),
        # a patronymic is no family name
        ({"client": {"имя": "Олег", "фамилия": "Петров", "отчество": "Игоревич"}},
         {"$.client.имя": ["first_name"], "$.client.фамилия": ["last_name"],
          "$.client.отчество": ["first_name"]}),
    ],
)  # fmt: skip
def test_names_in_records(doc: dict[str, object], expected: dict[str, list[str]]) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


# --- people's identifiers


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # a person's own id, not the ids of the records it refers to
        ({"employee": {"id": 7741, "external_id": "E-7741", "department_id": 31, "plan_id": 2,
                       "updater_id": 12, "theme_id": 4}},
         {"$.employee.id": ["user_id"], "$.employee.external_id": ["user_id"]}),
        # `<role>_<id word>` with abbreviations and uuids
        ({"PatNum": 20931, "persId": 88120, "cust_no": "C-2291", "employee_uuid":
          "0f8fad5b-d9cb-469f-a165-70867728950e", "MedicationPatNum": 4410},
         {"$.PatNum": ["user_id"], "$.persId": ["user_id"], "$.cust_no": ["user_id"],
          "$.employee_uuid": ["user_id"]}),
        # a bare role's key holding an id refers to that person; a word may be their name
        ({"assignee": 40213, "guarantor": "G-20931", "user": "u-5521", "owner": "Ana Gil",
          "driver": "nvidia-535", "employees": 250, "creditor": "CR00042"},
         {"$.assignee": ["user_id"], "$.guarantor": ["user_id"], "$.user": ["user_id"]}),
        # programs' and businesses' accounts are no person's
        ({"serviceAccount": {"name": "payments-api"}, "bot_user_id": "B02XQ7",
          "merchant_account_id": "acme_store", "business_profile": {"name": "Bell & Co"}}, {}),
        # JSON:API and Salesforce records name themselves by their type
        ({"data": {"type": "profile", "id": "01J0ZW7N8Q", "attributes": {"email": "a@b.io"}}},
         {"$.data.id": ["user_id"], "$.data.attributes.email": ["email"]}),
        ({"data": [{"type": "articles", "id": "1", "attributes": {"title": "Hello"}}]}, {}),
        ({"attributes": {"type": "Contact"}, "Id": "0035e00000AbCdE", "Name": "Ana Gil"},
         {"$.Id": ["user_id"], "$.Name": ["person_name"]}),
        # an insurance's number for its member, the subject of Microsoft identity claims
        ({"subscriber": {"memberId": "XQK20931744"}},
         {"$.subscriber.memberId": ["health_insurance_number"]}),
        ({"claims": {"iss": "https://login.example.com", "aud": "api",
                     "oid": "8c1b4d2e-5f60-4a7b-9c8d-0e1f2a3b4c5d"}},
         {"$.claims.oid": ["user_id"]}),
    ],
)  # fmt: skip
def test_identifiers_of_people(doc: dict[str, object], expected: dict[str, list[str]]) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


# --- FHIR record types, references, coded concepts and contact points


def test_fhir_resources_references_concepts_and_contact_points() -> None:
    doc = {
        "resourceType": "AllergyIntolerance",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91935009",
                             "display": "Allergy to peanuts"}], "text": "Peanut allergy"},
        "reaction": [{"description": "Swelling of the lips within minutes"}],
        "patient": {"reference": "Patient/p-2291", "display": "Okafor, Chidi"},
        "recorder": {"reference": "Organization/o-1", "display": "Lakeside Clinic"},
        "asserter": {"display": "Dr. Mina Park"},
        "contact": [{"system": "phone", "value": "0161 496 0000"}],
        "observation": {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}],
                                 "text": "Systolic blood pressure"}},
    }  # fmt: skip
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.code.coding[0].display": ["health_condition"],
        "$.code.text": ["health_condition"],
        "$.reaction[0].description": ["health_condition"],
        "$.patient.reference": ["user_id"],
        "$.patient.display": ["person_name"],
        "$.asserter.display": ["person_name"],
        "$.contact[0].value": ["phone_number"],
    }


def test_a_fhir_patient_resource_names_its_id() -> None:
    doc = {"resourceType": "Patient", "id": "p-2291", "birthDate": "1979-02-03"}
    assert type_ids(DETECTOR.detect_document(doc)) == {
        "$.id": ["user_id"],
        "$.birthDate": ["date_of_birth"],
    }


# --- businesses, professionals, services, pets, places


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # a company registration number makes an object a business's, unless it is a person's
        ({"podmiot": {"nazwa": "Apteka Zdrowie", "regon": "123456785", "telefon": "22 123 45 67",
                      "adres": "ul. Długa 1, 00-001 Warszawa", "nip": "1234563218"}}, {}),
        ({"verkoper": {"naam": "De Boer BV", "kvk": "12345678", "telefoon": "020 123 4567"}}, {}),
        ({"sole_trader": {"first_name": "Ana", "last_name": "Gil", "vat_number": "ES12345678Z"}},
         {"$.sole_trader.first_name": ["first_name"], "$.sole_trader.last_name": ["last_name"],
          "$.sole_trader.vat_number": ["tax_id"]}),
        # a professional's work telephone and address are business contact details; their
        # name is still personal
        ({"pharmacist": {"name": "Omar Haddad", "phone": "+44 161 496 0000",
                         "address": "2 Market St, Leeds LS1 6DT"},
          "prescriber_phone_number": "2125550100"},
         {"$.pharmacist.name": ["person_name"]}),
        # a service's login: a database's, a registry's, a mail relay's
        ({"registry": {"host": "ghcr.io", "username": "ci-publisher", "password": "Reg!stry-2024"},
          "grants": [{"name": "reporting", "password": "R3port!ng-pw", "host": "10.0.%"}]},
         {"$.registry.password": ["password"], "$.grants[0].password": ["password"]}),
        ({"user": {"username": "mlopez", "url": "https://example.com/mlopez"}},
         {"$.user.username": ["username"]}),
        # a pet's name, birth date and sex are not personal data; its owner's are
        ({"mascota": {"nombre": "Luna", "fecha_nacimiento": "2020-05-01", "sexo": "H"},
          "haustier": {"geburtsdatum": "2018-09-09"},
          "owner": {"first_name": "Irene", "phone": "+34 612 345 678"}},
         {"$.owner.first_name": ["first_name"], "$.owner.phone": ["phone_number"]}),
        # a school's, a charger's and a card acceptor's location are not a person's
        ({"sekolah": {"lintang": -6.91474, "bujur": 107.60981},
          "nearest_charger": {"lat": 48.13743, "lon": 11.57549},
          "card_acceptor": {"zip": "94107"}}, {}),
        # the parts of a person's address in a head-first or residence holder
        ({"studente": {"residenza": {"cap": "20121"},
                       "indirizzo_spedizione": {"via": "Via Dante 7"}}},
         {"$.studente.residenza.cap": ["postal_code"],
          "$.studente.indirizzo_spedizione.via": ["street_address"]}),
        # a street's name and a house's number held apart; an address's kind is neither
        ({"adres": {"straat": "Prinsengracht", "huisnummer": "263", "type": "home"},
          "address": {"street": "billing"}, "customer": {"city_address": "Leeds"}},
         {"$.adres.straat": ["street_address"], "$.adres.huisnummer": ["street_address"]}),
    ],
)  # fmt: skip
def test_businesses_professionals_services_pets_and_places(
    doc: dict[str, object], expected: dict[str, list[str]]
) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


# --- dates held in parts, birth date shapes, gender codes


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"dob": {"day": 4, "month": 9, "year": 1986}},
         {"$.dob.day": ["date_of_birth"], "$.dob.month": ["date_of_birth"],
          "$.dob.year": ["date_of_birth"]}),
        ({"card": {"number": CARD, "expiryDate": {"month": 11, "year": 2029}}},
         {"$.card.number": ["credit_card_number"], "$.card.expiryDate.month": ["card_expiry"],
          "$.card.expiryDate.year": ["card_expiry"]}),
        ({"birth_year": 1979, "meeting": {"day": 4, "month": 9, "year": 2024}},
         {"$.birth_year": ["date_of_birth"]}),
    ],
)  # fmt: skip
def test_dates_held_in_parts(doc: dict[str, object], expected: dict[str, list[str]]) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


@pytest.mark.parametrize(
    ("key", "value", "found"),
    [
        ("date_naissance", "07031991", ["date_of_birth"]),  # day, month, year
        ("datum_narození", "5. 6. 1983", ["date_of_birth"]),
        ("birthday", "05/14", ["date_of_birth"]),  # without its year
        ("birthday", "31/13", []),
        ("date_naissance", "99999999", []),
        ("gender", "P", ["gender"]),  # Indonesian perempuan
        ("пол", "ж", ["gender"]),
        ("性别", "女", ["gender"]),
        ("sexe", "02", ["gender"]),  # ISO/IEC 5218
        ("seongbyeol", "yeoseong", ["gender"]),
        ("jinsia", "mwanamke", ["gender"]),
        ("spol", "ženski", ["gender"]),
        ("gender", "unknown", []),
        ("gender", "12", []),
    ],
)
def test_birth_date_and_gender_shapes(key: str, value: str, found: list[str]) -> None:
    assert types_at(DETECTOR, key, value, parent="subject") == found


# --- national, tax and insurance numbers under generic keys


def test_a_generic_id_key_tries_personal_ids_only() -> None:
    """An NHS number is a health number: under a tax or national id key it is that id."""
    number = _nhs_valid("401023213")
    assert types_at(DETECTOR, "adoazonosito_jel", number) == ["tax_id"]
    assert types_at(DETECTOR, "national_id", number) == ["national_id"]
    assert types_at(DETECTOR, "nhs_number", number) == ["uk_nhs_number"]


@pytest.mark.parametrize(
    ("key", "value", "found"),
    [
        ("health_insurance_number", "1EG4-TE5-MK73", ["us_medicare_mbi"]),
        ("tin", "912-71-1234", ["us_itin"]),
        ("pan", "ABCPE1234F", ["tax_id"]),  # an Indian permanent account number
        ("pan", CARD, ["credit_card_number"]),
    ],
)
def test_numbers_under_generic_and_ambiguous_keys(key: str, value: str, found: list[str]) -> None:
    assert types_at(DETECTOR, key, value)[:1] == found


# --- credentials in configuration files and flows


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # `user:password` under a credential's key; a digest is none
        ({"stats_credentials": "monitor:Str0ng-Stats!"}, {"$.stats_credentials": ["password"]}),
        ({"credentials": "sha256:9f86d081884c7d659a2feaa0c55ad015"},
         {"$.credentials": ["generic_secret"]}),
        # base64 of `user:password` under a credential's key (a Docker config's `auth`)
        ({"auths": {"registry.example.com": {"auth": "ZGVwbG95OlMzY3IzdC1QdWxs"}}},
         {"$.auths.*.auth": ["basic_auth_credentials"]}),
        ({"auth": "c2lnbmF0dXJlLW9ubHktbm8tY29sb24"}, {"$.auth": ["generic_secret"]}),
        # a credential object named by its type member
        ({"credentials": [{"type": "password", "value": "Autumn!Lake71", "temporary": False}]},
         {"$.credentials[0].value": ["password"]}),
        ({"field": {"type": "string", "value": "Autumn"}}, {}),
        # an AWS secret access key under a secret's key; another vendor's 40-character token
        ({"secret": "k8Vq2Lm4Xp7Rz/9TbN3wY6cH1fJ5gD+sA0eUiOo2"},
         {"$.secret": ["aws_secret_key"]}),
        ({"api_secret": "Zq8mN2pL5rT9vX3cB7nM1kJ4hG6fD0sA2wE5rT8y"},
         {"$.api_secret": ["generic_secret"]}),
        # a token in a URL's query
        ({"reset_link": "https://app.example.com/reset?token=9sKq2LmX7pVb4NcR8tWz1Yd"},
         {"$.reset_link": ["generic_secret"]}),
        ({"docs": "https://example.com/search?q=privacy+policy&page=2"}, {}),
        # encrypted or hashed credentials, a bot check's token and a version token are no secrets
        ({"encrypted_password": "wcFMA0kX9n2Lm1pQARAAvZ3", "encrypted": {"apiToken": "wcBMA9xQ"},
          "captcha_token": "03AFcWeA5kLmN8pQrS2tUvWxYz", "version_token": "Q2xvdWR5S2l0ZQ"}, {}),
        # the answer to a recovery question, a one-time password, a cookie header
        ({"recovery_question": {"question": "First pet?", "answer": "Biscuit"}},
         {"$.recovery_question.answer": ["password"]}),
        ({"headers": {"Cookie": "sessionid=8fKq2LmX7pVb4NcR8tWz"}},
         {"$.headers.Cookie": ["session_cookie"]}),
        # the last four digits of a phone or an account are no card's
        ({"destination_last4": "0185", "account_last4": "6789", "card_last4": "4242"},
         {"$.card_last4": ["masked_card_number"]}),
    ],
)  # fmt: skip
def test_credentials_in_configuration_and_flows(
    doc: dict[str, object], expected: dict[str, list[str]]
) -> None:
    assert type_ids(DETECTOR.detect_document(doc)) == expected


# --- network addresses of infrastructure


def test_nat_and_terminal_addresses_are_not_a_persons() -> None:
    doc = {
        "outputs": {"nat_public_ips": {"value": ["203.0.113.7", "198.51.100.9"]}},
        "pos": {"terminal_ip": "10.44.12.8"},
        "client": {"ip": "198.51.100.23"},
    }
    assert type_ids(DETECTOR.detect_document(doc)) == {"$.client.ip": ["ip_address"]}


# --- telephone numbers inside free text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Please call me back on 0161 496 0123 after six", ["phone_number"]),
        ("WhatsApp me: +351 912 345 678, thanks!", ["phone_number"]),
        ("Reach the tenant at (212) 555-0147 before noon", ["phone_number"]),
        ("Not on the app much, text 010-9876-5432 instead", ["phone_number"]),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0.0.0", []),
        ("Deployed 2.4.1 on 2024-06-11 10:00:00, build 0042 took 0:03:12", []),
        ("ISBN 978-3-16-148410-0, second edition, 2019", []),
        ("Ticket 555-123-4567 escalated to tier two", []),  # no North American exchange
    ],
)
def test_telephone_numbers_inside_free_text(text: str, found: list[str]) -> None:
    assert types_at(DETECTOR, "customer_note", text) == found


def test_a_code_is_no_telephone_number_inside_text_either() -> None:
    assert types_at(DETECTOR, "ndc", "00093-7210-56 bottle") == []


@pytest.mark.parametrize(
    ("key", "parent", "type_id"),
    [
        # record words of scripts that NFKD decomposes (Hangul) or that write vowels as marks
        # (Thai, Devanagari) match the keys they name
        ("이름", "고객", "person_name"),
        ("ชื่อ", "ลูกค้า", "person_name"),
        ("नाम", "ग्राहक", "person_name"),
        ("имя", "пользователь", "person_name"),
        ("الاسم", "العميل", "person_name"),
    ],
)
def test_record_words_in_other_scripts_name_their_members(
    key: str, parent: str, type_id: str
) -> None:
    ctx = key_context(key, parent)
    assert ctx is not None
    assert ctx.type_id == type_id
