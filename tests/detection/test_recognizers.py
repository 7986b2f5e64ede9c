"""Positive and negative tables per recognizer, through the public Detector API."""

from __future__ import annotations

import base64
import unicodedata

import pytest

from detection_tool import Detector
from detection_tool.keys import key_tokens

from .helpers import luhn_complete, make_jwt, types_at

DETECTOR = Detector()
# keys with no context of their own
NEUTRAL = "value"

CARDS = [
    "4111111111111111",
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5555555555554444",
    "2223003122003222",
    "378282246310005",
    "3782 822463 10005",
    "6011111111111117",
    "3530111333300000",
    "4012888888881881",
    luhn_complete("453914880343646"),
]


@pytest.mark.parametrize("card", CARDS)
def test_valid_cards_are_found(card: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, card) == ["credit_card_number"]


@pytest.mark.parametrize(
    "value",
    [
        "4111111111111112",  # Luhn fails
        "5555555555554445",
        "378282246310006",
        "1234567812345678",  # no issuer prefix
        "9111111111111111",
        "0000000000000000",
        luhn_complete("123456789012345"),  # passes Luhn, unknown prefix
        "4111 1111 1111",  # too short
        "41111111111111111111111",  # too long
    ],
)
def test_invalid_cards_are_not_found(value: str) -> None:
    assert "credit_card_number" not in types_at(DETECTOR, NEUTRAL, value)


@pytest.mark.parametrize("key", ["order_id", "orderId", "sku", "tracking_number", "invoice_number",
                                 "request_id", "reference", "ORDER-NUMBER"])  # fmt: skip
@pytest.mark.parametrize("value", ["4111111111111111", luhn_complete("401288888888188"),
                                   "+14155552671", "79927398713"])  # fmt: skip
def test_identifier_keys_veto_cards_and_phones(key: str, value: str) -> None:
    assert types_at(DETECTOR, key, value) == []


@pytest.mark.parametrize(
    "value",
    [
        "550e8400-e29b-41d4-a716-446655440000",  # UUID
        "d41d8cd98f00b204e9800998ecf8427e",  # md5
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # sha1
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # sha256
        "2024-03-01T12:30:45Z",
        "2024-03-01T12:30:45.123+02:00",
        "2024-03-01",
        "1709296245",  # epoch seconds
        "1709296245123",  # epoch milliseconds
        1709296245123,
        "1.2.3",
        "v2.10.1-rc1",
        "19.99",
        "$1,299.00",
        "12.50 EUR",
        "20240301",
        "4155552671",  # digits only: not a phone without key context
        "123456789012",
        "42",
        "hello world",
        "",
        True,
        None,
        3.14,
    ],
)
def test_negative_values_find_nothing(value: object) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []


@pytest.mark.parametrize(
    "phone",
    [
        "+14155552671",
        "+44 20 7946 0958",
        "+49 30 1234567",
        "+49 (0) 30 1234567",
        "+33 6 12 34 56 78",
        "(415) 555-2671",
        "415-555-2671",
        "415.555.2671",
        "1-415-555-2671",
        "030 1234567",
        "06 12 34 56 78",
        "020 7946 0958",
    ],
)
def test_phone_formats(phone: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, phone) == ["phone_number"]


@pytest.mark.parametrize("phone", ["4155552671", "00491511234567", 4155552671])
def test_digit_only_phones_need_key_context(phone: object) -> None:
    assert types_at(DETECTOR, NEUTRAL, phone) == []
    assert types_at(DETECTOR, "phone", phone) == ["phone_number"]
    assert types_at(DETECTOR, "telefono", phone) == ["phone_number"]


@pytest.mark.parametrize(
    "value", ["+1", "+12", "(015) 555-2671", "111-111-1111", "0000 000000", "+0 123 456 789"]
)
def test_not_phones(value: str) -> None:
    assert "phone_number" not in types_at(DETECTOR, NEUTRAL, value)


@pytest.mark.parametrize(
    "email",
    ["jane.doe@example.com", "j+tag@sub.example.co.uk", "UPPER@EXAMPLE.ORG", "a_b-c@x-y.io"],
)
def test_emails(email: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, email) == ["email"]


@pytest.mark.parametrize(
    "value", ["jane.doe@", "@example.com", "jane@localhost", "a@b", "jane@exa mple.com", "x@y.z"]
)
def test_not_emails(value: str) -> None:
    assert "email" not in types_at(DETECTOR, "email", value)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "DE89 3704 0044 0532 0130 00",
        "GB82WEST12345698765432",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "CH9300762011623852957",
    ],
)
def test_valid_ibans(iban: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, iban) == ["iban"]


@pytest.mark.parametrize(
    "value",
    [
        "DE89370400440532013001",
        "GB82WEST12345698765433",
        "DE8937040044053201300",
        "XX89370400440532013000",
    ],
)
def test_invalid_ibans(value: str) -> None:
    assert "iban" not in types_at(DETECTOR, "iban", value)


@pytest.mark.parametrize("ssn", ["536-90-4399", "001-01-0001", "665-12-3456"])
def test_valid_ssns(ssn: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, ssn) == ["us_ssn"]


@pytest.mark.parametrize(
    "value",
    ["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "536-00-4399", "536-90-0000"],
)
def test_ssn_rules(value: str) -> None:
    assert "us_ssn" not in types_at(DETECTOR, "ssn", value)


def test_ssn_digits_only_need_key() -> None:
    assert types_at(DETECTOR, NEUTRAL, "536904399") == []
    assert types_at(DETECTOR, "ssn", "536904399") == ["us_ssn"]


def test_itin_is_not_an_ssn() -> None:
    assert types_at(DETECTOR, NEUTRAL, "912-70-1234") == ["us_itin"]


@pytest.mark.parametrize(
    ("value", "type_id"),
    [
        (make_jwt(), "jwt"),
        ("Bearer " + "a1B2c3D4e5F6g7H8", "bearer_token"),
        ("Basic dXNlcjpwYXNzd29yZA==", "basic_auth_credentials"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "private_key"),
        ("-----BEGIN PRIVATE KEY-----\nMIIE", "private_key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl", "private_key"),
        ("AKIA" + "Z" * 16, "aws_access_key"),
        ("ASIA" + "ABCDEFGHIJ234567", "aws_access_key"),
        ("postgresql://app:pa55@db.internal:5432/shop", "connection_string_with_password"),
        ("ghp_" + "a" * 36, "github_token"),
        ("sk_live_" + "b" * 24, "stripe_key"),
        ("10.1.2.3", "ip_address"),
        ("2001:db8::1", "ip_address"),
        ("fe80:0:0:0:200:f8ff:fe21:67cf", "ip_address"),
        ("00:1a:2b:3c:4d:5e", "mac_address"),
        ("**** **** **** 1234", "masked_card_number"),
        ("411111******1111", "masked_card_number"),
        ("XXXX-XXXX-XXXX-4242", "masked_card_number"),
        (
            "otpauth://totp/Acme:jane%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme&digits=6",
            "generic_secret",
        ),
        ("otpauth://hotp/Acme?issuer=Acme&counter=0&secret=GEZDGNBVGY3TQOJQ", "generic_secret"),
    ],
)
def test_standalone_value_recognizers(value: str, type_id: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == [type_id]


@pytest.mark.parametrize(
    "value",
    [
        make_jwt({"typ": "JWT"}),  # header without "alg"
        "eyJub3Rqc29u.eyJzdWIiOiIxIn0.c2ln",  # header is not JSON
        "Basic bm9jb2xvbg==",  # decodes without a colon
        "AKIA123",
        "999.1.2.3",
        "0.0.0.0",
        "12:30:45",
        "****",
        "**** **** **** ****",
        "https://example.com/path",
        "otpauth://totp/Acme:jane?issuer=Acme&digits=6",  # no secret in it
        "see https://example.com/otpauth?secret=JBSWY3DPEHPK3PXP",  # not an otpauth URI
    ],
)
def test_standalone_negatives(value: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []


def test_bearer_jwt_in_authorization_is_a_bearer_token_not_a_generic_secret() -> None:
    assert types_at(DETECTOR, "authorization", "Bearer " + make_jwt()) == ["bearer_token"]


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        ("password", "correct horse battery staple", "password"),
        ("passwort", "geheim123", "password"),
        ("first_name", "Zoë", "first_name"),
        ("lastName", "O'Brien", "last_name"),
        ("full_name", "Jean-Luc Picard", "person_name"),
        ("dob", "1985-04-12", "date_of_birth"),
        ("birthDate", "12.04.1985", "date_of_birth"),
        ("geburtsdatum", "04/12/1985", "date_of_birth"),
        ("expiry", "12/27", "card_expiry"),
        ("exp_date", "2027-12", "card_expiry"),
        ("cvv", "123", "card_cvv"),
        ("cvc", 1234, "card_cvv"),
        ("street", "221B Baker Street", "street_address"),
        ("zip", "10115", "postal_code"),
        ("postal_code", "SW1A 1AA", "postal_code"),
        ("user_id", "u-8f3a", "user_id"),
        ("customer_id", 123456, "user_id"),
        ("api_key", "k3y-abcdefgh", "generic_secret"),
        ("gender", "female", "gender"),
        ("swift", "DEUTDEFF", "swift_bic"),
        ("icd10", "E11.9", "icd10_code"),
        ("latitude", 52.520008, "geolocation"),
    ],
)
def test_key_gated_types(key: str, value: object, type_id: str) -> None:
    assert types_at(DETECTOR, key, value) == [type_id]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("password", ""),
        ("password", None),
        ("password", True),
        ("first_name", "12345"),
        ("dob", "2999-01-01"),
        ("dob", "1985-13-45"),
        ("dob", "yesterday"),
        ("expiry", "13/27"),
        ("cvv", "12"),
        ("cvv", "abc"),
        ("zip", "abc"),
        ("latitude", 500.5),
        ("name", "Widget 3000"),
    ],
)
def test_key_gated_shapes_reject(key: str, value: object) -> None:
    assert types_at(DETECTOR, key, value) == []


@pytest.mark.parametrize(("key", "value"), [("cvv", "123"), ("first_name", "Ana"),
                                            ("dob", "1985-04-12"), ("password", "x")])  # fmt: skip
def test_key_only_types_need_the_key(key: str, value: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []


def test_key_context_raises_confidence() -> None:
    plain = DETECTOR.detect_document({"value": "4111111111111111"})["$.value"][0]
    keyed = DETECTOR.detect_document({"card_number": "4111111111111111"})["$.card_number"][0]
    assert keyed.confidence > plain.confidence
    assert "key:card_number" in keyed.reasons
    assert "validator:luhn" in keyed.reasons
    assert "validator:luhn" in plain.reasons


# --- track 2 equivalents, key=value connection strings, AWS user ARNs, more value shapes

TRACK2_CARD = luhn_complete("535310041234567")


@pytest.mark.parametrize(
    ("value", "type_id"),
    [
        # an EMV chip's track 2 equivalent (`D`, `F` padding) and plain track 2 data
        (f"{TRACK2_CARD}D28062011234567890F", "card_track_data"),
        (f"{TRACK2_CARD}=2806201123456789", "card_track_data"),
        ("Server=tcp:db-7.example.net,1433;Database=shop;User Id=app;Password=Xq7!pLm2;",
         "connection_string_with_password"),
        ("Data Source=10.0.0.5;Initial Catalog=crm;uid=report;pwd=r3p0rt!;",
         "connection_string_with_password"),
        ("arn:aws:iam::210987654321:user/ops/mbrandt", "user_id"),
        ("arn:aws:sts::210987654321:assumed-role/ReadOnly/m.brandt@example.com", "user_id"),
    ],
)  # fmt: skip
def test_more_standalone_value_recognizers(value: str, type_id: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == [type_id]


@pytest.mark.parametrize(
    "value",
    [
        f"{TRACK2_CARD[:-1]}{(int(TRACK2_CARD[-1]) + 1) % 10}D28062011234567890F",  # Luhn fails
        f"{TRACK2_CARD}D28132011234567890F",  # month 13
        "Server=db.example.net;Database=shop;Integrated Security=true;",  # no password
        "Password=Xq7!pLm2;Timeout=30;",  # no server
        "InstrumentationKey=0f1e2d3c;IngestionEndpoint=https://in.example.com/",
        "arn:aws:iam::210987654321:role/deploy",  # a role, not a person
        "arn:aws:s3:::acme-exports/finance/2024.csv",
    ],
)
def test_more_standalone_negatives(value: str) -> None:
    assert types_at(DETECTOR, NEUTRAL, value) == []


@pytest.mark.parametrize(
    ("key", "value", "found"),
    [
        # OData v2 / .NET JSON dates, Hungarian dates
        ("dateOfBirth", "/Date(315532800000)/", ["date_of_birth"]),
        ("dateOfBirth", "/Date(32503680000000)/", []),  # the year 3000
        ("birth_date", "1980.01.01.", ["date_of_birth"]),
        # gender words in more languages and ISO/IEC 5218 codes; "0" (not known) is none
        ("gender", "Kad\u0131n", ["gender"]),
        ("gender", "férfi", ["gender"]),
        ("gender", "Perempuan", ["gender"]),
        ("gender", "2", ["gender"]),
        ("gender", "0", []),
        # telephone numbers with an extension
        ("phone", "001-541-754-3010x1234", ["phone_number"]),
        # account numbers with dots and bank codes; no date under such a key
        ("kontonummer", "1234.56.78903", ["bank_account_number"]),
        ("cislo_uctu", "19-2000145399/0800", ["bank_account_number"]),
        ("account_number", "2024-01-15", []),
        # a host name, a URL or an e-mail under an `address` key is no street address
        ("address", "db-1.cluster-x.eu-west-1.rds.amazonaws.com", []),
        ("address", "https://example.com/billing", []),
        ("address", "Mill Lane 4", ["street_address"]),
        # an issue or expiry date under a document's key is no document number
        ("passport_number", "2031-02-19", []),
        ("passport_number", "C01X00T47", ["passport_number"]),
        # a connection URL stored base64-encoded (a Kubernetes Secret's `data`)
        ("DATABASE_URL", base64.b64encode(b"mysql://shop:Pa55-w0rd@db:3306/shop").decode(),
         ["connection_string_with_password"]),
        ("DATABASE_URL", base64.b64encode(b"mysql://db:3306/shop").decode(), []),
    ],
)  # fmt: skip
def test_more_key_gated_shapes(key: str, value: str, found: list[str]) -> None:
    assert types_at(DETECTOR, key, value, parent="subject") == found


@pytest.mark.parametrize(
    ("key", "tokens"),
    [
        ("전화번호", ("전화번호",)),  # Hangul: one word (compared after the same normalisation)
        ("όνομα", ("ονομα",)),
        ("baba_ad\u0131", ("baba", "adi")),
        ("fæðingardagur", ("faedingardagur",)),
        ("so_điện_thoại", ("so", "dien", "thoai")),
    ],
)
def test_key_tokens_in_other_scripts(key: str, tokens: tuple[str, ...]) -> None:
    assert key_tokens(key) == tuple(unicodedata.normalize("NFKD", t) for t in tokens)


# --- values written in more scripts and conventions


@pytest.mark.parametrize(
    ("key", "value", "type_id"),
    [
        ("first_name", "ศิริพร", "first_name"),  # Thai vowel signs are marks
        ("last_name", "วงศ์สวัสดิ์", "last_name"),
        ("full_name", "น.ส. ศิริพร วงศ์สวัสดิ์", "person_name"),
        ("first_name", "प्रिया", "first_name"),  # Devanagari
        ("street", "ถนนรามอินทรา", "street_address"),  # a script without capitals
        ("dob", "1986-09-23 00:00:00", "date_of_birth"),
        ("dob", "1990年4月18日", "date_of_birth"),
        ("dob", "03.07.1990.", "date_of_birth"),  # Croatian and Serbian end a date with a dot
        ("dob", "14/02/2535", "date_of_birth"),  # a Thai Buddhist-era year (1992)
        ("postal_code", "〒150-0041", "postal_code"),
        ("gender", "muller", "gender"),
        ("gender", "мъж", "gender"),
        ("gender", "Mke", "gender"),
        ("gender", 2, "gender"),  # an ISO/IEC 5218 code as a JSON number
        ("app_key", "base64:L9oKSlIBHjmiP6n7J88ubrGIA49adpeWj190xsUBcoc=", "generic_secret"),
        ("birth_certificate", "\u0406-\u041e\u041a № 352831", "national_id"),
    ],
)
def test_values_in_more_scripts_and_conventions(key: str, value: object, type_id: str) -> None:
    assert types_at(DETECTOR, key, value)[:1] == [type_id]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("street", "billing"),
        ("dob", "1986-09-23 10:15:00"),  # a time of day: an event, not a birth
        ("dob", "14/02/2700"),
        ("gender", 7),
        ("stripe_key", "pk_live_51HqLyjWDarjtT1zdp7dc"),  # publishable by design
        ("STRIPE_KEY", "pk_test_TYooMQauvdEDq54NiTphI7jx"),
        ("VITE_PUSHER_APP_KEY", "${PUSHER_APP_KEY}"),  # a reference to another variable
        ("api_key", "{{ api_key }}"),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("authorization", "https://api.shop.example/klarna/auth-callback"),  # a callback URL
        ("last_name", "Cooperativa Agricola de Valls SCCL"),
    ],
)
def test_look_alikes_in_more_conventions(key: str, value: object) -> None:
    assert types_at(DETECTOR, key, value) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("card_summary", "Visa •••• 4242"),
        ("card_number", "Mastercard **** 2290"),
        ("masked_card", "•••• 4242"),
        ("kortelė", "Mastercard •••• 2290"),
    ],
)
def test_cards_as_wallets_show_them(key: str, value: str) -> None:
    assert types_at(DETECTOR, key, value)[:1] == ["masked_card_number"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("card_summary", "Visa"),
        ("card_number", "Visa •••• 42"),
        ("notes", "Visa •••• 4242 declined"),
    ],
)
def test_card_display_look_alikes(key: str, value: str) -> None:
    assert "masked_card_number" not in types_at(DETECTOR, key, value)


@pytest.mark.parametrize(
    ("key", "value"),
    [("value", "131052-308T"), ("ssn", "120590-143L"), ("hetu", "131052-308T")],
)
def test_finnish_personal_identity_codes(key: str, value: str) -> None:
    assert types_at(DETECTOR, key, value)[:1] == ["national_id"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("value", "131052-308U"),  # a wrong check character
        ("value", "311399-123A"),  # no such date
        ("order_id", "131052-308T"),  # an identifier's key vetoes the shape
    ],
)
def test_finnish_identity_code_look_alikes(key: str, value: str) -> None:
    assert types_at(DETECTOR, key, value) == []


@pytest.mark.parametrize("value", ["karl", "kona", "mashkull", "femër", "gwryw", "benyw"])
def test_gender_words_in_more_languages(value: str) -> None:
    assert types_at(DETECTOR, "gender", value) == ["gender"]
