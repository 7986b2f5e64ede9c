"""Declarative value recognizers: id, compiled pattern, base score, optional validator.

Stand-alone recognizers run on any value (cheap length / digit pre-checks first). Key-gated
ones (``key_types``) run only when the key name suggests one of their types; with
``type_id=None`` they report the key's type (names, ids, secrets named as such). A subset is
compiled into one combined pattern that finds values embedded in free text in a single pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from detection_tool import validators as v
from detection_tool.keys import PERSON_REFERENCE
from detection_tool.national_ids import GENERIC_KEYS, ID_NUMBERS


@dataclass(frozen=True, slots=True)
class Recognizer:
    name: str  # reason "value:<name>"
    type_id: str | None  # None: the type the key suggests
    pattern: re.Pattern[str]
    score: float
    validator: Callable[[str], bool] | None = None
    validator_name: str = ""  # reason "validator:<name>"
    key_types: frozenset[str] = frozenset()  # non-empty: only under a key suggesting these
    search: bool = False  # find anywhere in the value instead of matching all of it
    numeric: bool = False  # vetoed under identifier keys (order_id, sku, ...)
    numbers: bool = False  # also applies to JSON numbers
    min_len: int = 1
    max_len: int = 256
    min_digits: int = 0
    max_digits: int = 1 << 30
    needs: str = ""  # a substring the value must contain (cheap pre-check)
    first: str = ""  # characters a (fully matched) value may start with (cheap pre-check)
    embeddable: bool = False  # part of the free-text pass
    text_only: bool = False  # only inside free text (the embedded pass), never a whole value
    strong: bool = False  # checksummed distinctive format: runs even on negative shapes


_DIGIT_CHARS = "0123456789"
_HEX_CHARS = _DIGIT_CHARS + "abcdefABCDEF"
_UPPER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _rx(source: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(source, flags)


def _keys(*type_ids: str) -> frozenset[str]:
    return frozenset(type_ids)


_EMAIL = (
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
)
_CARD = r"\d(?:[ -]?\d){11,18}"
_SSN = r"\d{3}-\d{2}-\d{4}"
_JWT = r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
_AWS_KEY_ID = r"(?:AKIA|ASIA)[A-Z0-9]{16}"
# a letter, or a vowel sign of a script that writes vowels as marks (Thai `ศิริพร`, Devanagari)
_LETTER = r"(?:[^\W\d_]|[\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff])"
_NAME = rf"{_LETTER}+(?:[ '\u2019.,-]+{_LETTER}+){{0,7}}\.?"
_SECRETS = _keys(
    "generic_secret",
    "bearer_token",
    "session_cookie",
    "aws_secret_key",
    "private_key",
    "azure_key",
)
_DOCUMENT_IDS = _keys(
    "passport_number", "drivers_license", "national_id", "tax_id", "us_itin",
    "medical_record_number", "health_insurance_number",
)  # fmt: skip

# ABO group with or without the Rh factor: `O-`, `AB+`, `0 neg`, `A`
_BLOOD_GROUP = _rx(r"(?:AB|A|B|O|0)(?:\s?(?:[+-]|pos(?:itive)?|neg(?:ative)?))?", re.IGNORECASE)

RECOGNIZERS: tuple[Recognizer, ...] = (
    # --- stand-alone: credentials
    Recognizer("jwt_pattern", "jwt", _rx(_JWT), 0.95, v.jwt, "jwt_header", needs="eyJ",
               min_len=20, max_len=16384, embeddable=True),
    Recognizer("bearer_scheme", "bearer_token", _rx(r"[Bb]earer\s+[A-Za-z0-9._~+/-]{8,}=*"),
               0.95, min_len=15, max_len=16384, needs="earer"),
    Recognizer("basic_scheme", "basic_auth_credentials", _rx(r"[Bb]asic\s+[A-Za-z0-9+/]{4,}=*"),
               0.95, v.basic_credentials, "basic_base64", min_len=10, max_len=4096,
               needs="asic"),
    Recognizer("pem_private_key", "private_key",
               _rx(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), 0.99, search=True,
               needs="PRIVATE KEY", min_len=30, max_len=1 << 20),
    Recognizer("aws_access_key_id", "aws_access_key", _rx(_AWS_KEY_ID), 0.95, min_len=20,
               max_len=20, embeddable=True, needs="IA"),
    Recognizer("github_token", "github_token",
               _rx(r"gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244}"), 0.95,
               min_len=40, needs="_", first="g"),
    Recognizer("slack_token", "slack_token", _rx(r"xox[abposr]-[A-Za-z0-9-]{10,250}"), 0.9,
               min_len=15, needs="xox"),
    # an incoming-webhook URL carries its secret in the path
    Recognizer("slack_webhook", "slack_token",
               _rx(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,200}"),
               0.9, min_len=40, needs="hooks.slack.com", first="h"),
    Recognizer("stripe_key", "stripe_key", _rx(r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}"),
               0.95, min_len=24, needs="k_"),
    Recognizer("gitlab_token", "gitlab_token",
               _rx(r"gl(?:pat|rt|dt|ptt|ft|oas|cbt|soat)-[A-Za-z0-9_-]{20,64}"), 0.95,
               min_len=25, max_len=80, needs="gl"),
    Recognizer("openai_key", "openai_key",
               _rx(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,250}"
                   r"|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}"), 0.95, min_len=40, needs="sk-"),
    Recognizer("twilio_api_key", "twilio_key", _rx(r"SK[0-9a-f]{32}"), 0.85, min_len=34,
               max_len=34, needs="SK"),
    Recognizer("sendgrid_key", "sendgrid_key",
               _rx(r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}"), 0.95, min_len=69, max_len=69),
    Recognizer("npm_token", "npm_token", _rx(r"npm_[A-Za-z0-9]{36}"), 0.95, min_len=40,
               max_len=40, first="n"),
    Recognizer("pypi_token", "pypi_token", _rx(r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}"), 0.95,
               min_len=70, max_len=512, first="p"),
    Recognizer("gcp_api_key", "gcp_api_key", _rx(r"AIza[0-9A-Za-z_-]{35}"), 0.9, min_len=39,
               max_len=39, needs="AIza"),
    Recognizer("azure_account_key", "azure_key", _rx(r"AccountKey=[A-Za-z0-9+/]{20,}={0,2}"),
               0.9, search=True, needs="AccountKey=", max_len=8192),
    # an authenticator enrolment URI carries the TOTP/HOTP shared secret (base32) in `secret=`
    Recognizer("otpauth_uri", "generic_secret",
               _rx(r"otpauth://[th]otp/[^\s?]*\?(?:[^\s]*&)?secret=[A-Za-z2-7]{16,128}=*(?:[&#][^\s]*)?",
                   re.IGNORECASE), 0.95, min_len=40, max_len=2048, needs="otpauth://",
               first="oO"),
    # a URL carrying a credential in its query (`/reset-password?token=...`, `?access_token=`)
    Recognizer("url_secret_param", "generic_secret",
               _rx(r"https?://[^\s?#]*\?(?:[^\s#]*[&;])?(?:access_token|token|reset_token"
                   r"|auth_token|refresh_token|id_token|session_token|api_key|apikey"
                   r"|client_secret|secret|password|passwd)=[A-Za-z0-9._~%+/-]{16,}(?:[&#]\S*)?"),
               0.85, min_len=30, max_len=4096, needs="=", first="h"),
    Recognizer("url_with_password", "connection_string_with_password",
               _rx(v.CREDENTIAL_URL), 0.9, search=True, needs="://", max_len=8192),
    # ADO.NET / ODBC / JDBC-style `Key=Value;` strings naming a server and a password
    Recognizer("keyvalue_connection_password", "connection_string_with_password",
               _rx(r"^(?=.*?(?:^|;)\s*(?:server|data source|host|hostname|address|addr"
                   r"|network address|endpoint|accountendpoint)\s*=)"
                   r"(?=.*?(?:^|;)\s*(?:password|pwd)\s*=\s*[^;\s])", re.IGNORECASE | re.DOTALL),
               0.9, search=True, needs=";", min_len=20, max_len=8192),
    # --- stand-alone: personal
    Recognizer("email_pattern", "email", _rx(_EMAIL), 0.9, needs="@", min_len=6, max_len=254,
               embeddable=True),
    # a person's record named by another record: FHIR `subject.reference`, Stripe customer ids
    Recognizer("person_reference", "user_id",
               _rx(r"(?:Patient|Person|RelatedPerson|Practitioner)/[A-Za-z0-9.-]{1,64}"), 0.85,
               min_len=8, max_len=80, needs="/", first="PR"),
    Recognizer("stripe_customer", "user_id", _rx(r"cus_[A-Za-z0-9]{14,24}"), 0.85, min_len=18,
               max_len=28, needs="cus_", first="c"),
    # an AWS principal that is a person's: an IAM user, a federated user, an assumed role's
    # session (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), not a role or a resource
    Recognizer("aws_user_arn", "user_id",
               _rx(r"arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(?:user|federated-user)/[\w+=,.@/-]{1,128}"
                   r"|arn:aws[a-z-]*:sts::\d{12}:assumed-role/[\w+=,.@-]{1,64}/[\w+=,.@-]{2,64}"),
               0.85, min_len=30, max_len=300, needs="arn:", first="a"),
    Recognizer("ipv4_address", "ip_address", _rx(r"\d{1,3}(?:\.\d{1,3}){3}"), 0.7,
               v.ip_address, "ip_address", numeric=True, min_len=7, max_len=15, min_digits=4,
               needs=".", first=_DIGIT_CHARS),
    Recognizer("ipv6_address", "ip_address",
               _rx(r"[0-9A-Fa-f:]{2,39}(?:\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]+)?"), 0.7,
               v.ip_address, "ip_address", numeric=True, needs="::", min_len=3, max_len=64),
    Recognizer("ipv6_address", "ip_address", _rx(r"[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}"),
               0.7, v.ip_address, "ip_address", numeric=True, min_len=15, max_len=39,
               needs=":"),
    Recognizer("mac_address", "mac_address",
               _rx(r"[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}"), 0.7,
               min_len=17, max_len=17, first=_HEX_CHARS),
    # --- stand-alone: payment and national numbers
    Recognizer("card_pattern", "credit_card_number", _rx(_CARD), 0.85, v.card_number, "luhn",
               numeric=True, numbers=True, min_len=12, max_len=23, min_digits=12,
               max_digits=19, embeddable=True, first=_DIGIT_CHARS),
    Recognizer("masked_card", "masked_card_number", _rx(r"[0-9*xX•#](?:[ -]?[0-9*xX•#]){12,18}"),
               0.85, v.masked_card, "mask_layout", numeric=True, min_len=13, max_len=23,
               min_digits=4, first=_DIGIT_CHARS + "*xX•#"),
    Recognizer("card_track", "card_track_data",
               _rx(r"%B\d{13,19}\^[^^]{2,26}\^\d{4}\S*|;\d{13,19}=\d{4}\d*\??"), 0.95,
               min_len=20, max_len=256, first="%;"),
    # track 2 without sentinels, or an EMV chip's track 2 equivalent (tag 57: `D` separates,
    # `F` pads): the card number, its expiry and service code
    Recognizer("card_track2", "card_track_data", _rx(r"\d{13,19}[=D]\d{7}\d{0,20}F?"), 0.9,
               v.track2, "track2_card", numeric=True, min_len=21, max_len=48, min_digits=20,
               first=_DIGIT_CHARS),
    Recognizer("iban_pattern", "iban", _rx(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}"), 0.95,
               v.iban, "iban_mod97", min_len=15, max_len=42, min_digits=4, first=_UPPER_CHARS),
    # a Finnish personal identity code: birth date, century sign, serial and a check character
    Recognizer("fi_hetu", "national_id", _rx(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]"), 0.85,
               v.finnish_hetu, "fi_hetu_checksum", numeric=True, min_len=11, max_len=11,
               min_digits=9, max_digits=10, first=_DIGIT_CHARS),
    Recognizer("ssn_pattern", "us_ssn", _rx(_SSN), 0.75, v.us_ssn, "ssn_rules", numeric=True,
               min_len=11, max_len=11, embeddable=True, needs="-", first=_DIGIT_CHARS),
    Recognizer("itin_pattern", "us_itin", _rx(_SSN), 0.75, v.us_itin, "itin_rules",
               numeric=True, min_len=11, max_len=11, needs="-", first="9"),
    Recognizer("phone_e164", "phone_number", _rx(r"\+[1-9]\d{7,14}"), 0.8, v.phone_digits,
               "phone_digits", numeric=True, min_len=9, max_len=16, needs="+"),
    Recognizer("phone_international", "phone_number",
               _rx(r"\+[1-9]\d{0,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]\d{1,8}){1,6}"), 0.8,
               v.phone_digits, "phone_digits", numeric=True, min_len=9, max_len=24, needs="+"),
    Recognizer("phone_nanp", "phone_number",
               _rx(r"(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"), 0.7, v.nanp_phone,
               "nanp_rules", numeric=True, min_len=12, max_len=16, min_digits=10,
               first=_DIGIT_CHARS + "("),
    Recognizer("phone_national", "phone_number", _rx(r"0\d{1,4}(?:[ /.-]\d{2,8}){1,4}"), 0.6,
               v.national_phone, "phone_digits", numeric=True, min_len=10, max_len=18,
               min_digits=9, max_digits=12, first="0"),
    # a telephone number inside free text (`ring me on 087 123 4567`): international, or
    # national with a trunk prefix, or North American with its area code, grouped by separators
    Recognizer("phone_in_text", "phone_number",
               _rx(r"\+[1-9]\d{0,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]\d{1,8}){1,6}|\+[1-9]\d{7,14}"
                   r"|0\d{1,4}(?:[ /.-]\d{2,8}){1,4}"
                   r"|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4}"),
               0.8, v.phone_in_text, "phone_digits", numeric=True, embeddable=True,
               text_only=True),
    # --- key-gated shapes
    Recognizer("phone_digits", "phone_number",
               _rx(r"\+?[\d(][\d .()/-]{5,20}\d(?: ?(?:x|ext\.?|#) ?\d{1,6})?"), 0.85,
               v.phone_digits, "phone_digits", _keys("phone_number"), numbers=True,
               min_digits=7, max_digits=21),
    Recognizer("ssn_digits", "us_ssn", _rx(r"\d{3}[ -]?\d{2}[ -]?\d{4}"), 0.9, v.ssn_structure,
               "ssn_rules", _keys("us_ssn"), numbers=True),
    Recognizer("itin_digits", "us_itin", _rx(r"9\d{2}[ -]?\d{2}[ -]?\d{4}"), 0.9, v.us_itin,
               "itin_rules", _keys("us_itin", "tax_id"), numbers=True),
    Recognizer("last_four", "masked_card_number", _rx(r"\d{4}"), 0.7,
               key_types=_keys("masked_card_number"), numbers=True),
    # a card as a wallet shows it: `Visa •••• 4242`, `Mastercard **** 2290`, `•••• 4242`
    Recognizer("card_display", "masked_card_number",
               _rx(r"(?:[A-Za-z][A-Za-z .-]{1,24} )?[•*xX#]{2,}[ -]?\d{4}"), 0.8,
               key_types=_keys("masked_card_number", "credit_card_number"), min_len=6,
               max_len=40, min_digits=4, max_digits=4),
    Recognizer("expiry_shape", "card_expiry",
               _rx(r"(?:0?[1-9]|1[0-2]) ?[/-] ?(?:\d{2}|20\d{2})|20\d{2}[/-](?:0[1-9]|1[0-2])"
                   r"|(?:0[1-9]|1[0-2])\d{2}"), 0.85, key_types=_keys("card_expiry"),
               numbers=True),
    Recognizer("expiry_part", "card_expiry", _rx(r"0?[1-9]|1[0-2]|(?:20)?[2-9]\d"), 0.8,
               key_types=_keys("card_expiry"), numbers=True, max_len=4),
    Recognizer("cvv_shape", "card_cvv", _rx(r"\d{3,4}"), 0.85, key_types=_keys("card_cvv"),
               numbers=True),
    Recognizer("name_shape", None, _rx(_NAME), 0.85, v.not_an_organisation,
               key_types=_keys("person_name", "first_name", "last_name", "cardholder_name"),
               max_len=100),
    Recognizer("username_shape", "username", _rx(r"[\w.@+-]{2,64}"), 0.8,
               key_types=_keys("username")),
    Recognizer("id_shape", "user_id", _rx(r"[\w.:@|+-]{1,128}"), 0.85,
               key_types=_keys("user_id"), numbers=True),
    Recognizer("advertising_id_shape", "advertising_id",
               _rx(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
               0.9, key_types=_keys("advertising_id")),
    Recognizer("password_by_key", "password", _rx(r".+", re.DOTALL), 0.9, v.not_a_placeholder,
               key_types=_keys("password"), max_len=1024),
    Recognizer("secret_by_key", None, _rx(r"\S.{7,}", re.DOTALL), 0.85, v.secret_like,
               key_types=_SECRETS, max_len=65536),
    # an AWS secret access key under a secret's key: 40 base64 characters, mixed case, `/` or `+`
    Recognizer("aws_secret_shape", "aws_secret_key", _rx(r"[A-Za-z0-9/+]{40}"), 0.9,
               v.aws_secret_like, "aws_secret_charset", _keys("generic_secret", "aws_secret_key"),
               min_len=40, max_len=40),
    # base64 of `user:password` under a credential's key (a Docker or npm config's `auth`)
    Recognizer("basic_base64", "basic_auth_credentials", _rx(r"[A-Za-z0-9+/]{8,}={0,2}"), 0.9,
               v.basic_credentials, "basic_base64", _keys("generic_secret"), min_len=8,
               max_len=4096),
    # `user:password` under a credential's key (`haproxy_stats_credentials`, `auth`)
    Recognizer("credential_pair", "password", _rx(r"[^\s:@/]{1,64}:[^\s:]{4,256}"), 0.9,
               v.credential_pair, "user_password", _keys("generic_secret"), needs=":"),
    # an Indian PAN (permanent account number) under a `pan` key is a tax number, not a card
    Recognizer("india_pan", "tax_id", _rx(r"[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]"), 0.9,
               key_types=_keys("credit_card_number", "tax_id"), min_len=10, max_len=10),
    # a person named by a role's bare key holds an id of that person (`"assignee": 1234`,
    # `"Guarantor": 11431`, `"user": "u-5521"`); a word without digits may be a name
    Recognizer("person_reference_id", "user_id", _rx(r"(?=\D*\d)[\w.:@|+-]{1,64}"), 0.85,
               key_types=_keys(PERSON_REFERENCE), numbers=True),
    Recognizer("birth_date_shape", "date_of_birth",
               _rx(r"\d{4}-\d{2}-\d{2}(?:[T ]00:00:00(?:\.0+)?Z?)?|\d{1,2}[./-]\d{1,2}[./-]\d{4}\.?"
                   # Japanese and Chinese: `1990年4月18日`
                   r"|\d{4}年\d{1,2}月\d{1,2}日"
                   r"|\d{4}[/.]\d{2}[/.]\d{2}\.?|\d{8}"
                   # a birthday without its year (`05/14`, `14.05.`)
                   r"|\d{1,2}[./-]\d{1,2}\.?"
                   # `5. 6. 1983` (Czech, Slovak, German with spaces)
                   r"|\d{1,2}\. ?\d{1,2}\. ?\d{4}"
                   # OData v2 / .NET JSON dates: milliseconds since 1970, `/Date(468806400000)/`
                   r"|/Date\(-?\d{1,13}(?:[+-]\d{4})?\)/"), 0.9, v.birth_date,
               "plausible_date",
               _keys("date_of_birth")),
    # a day, month or year of a birth date held apart (`dob: {day, month, year}`, `birth_year`)
    Recognizer("birth_date_part", "date_of_birth", _rx(r"0?[1-9]|[12]\d|3[01]|(?:19|20)\d{2}"),
               0.8, key_types=_keys("date_of_birth"), numbers=True, max_len=4),
    # a street's name or a house's number alone (`straat`, `huisnummer`, `street`)
    Recognizer("street_part", "street_address",
               _rx(rf"\d{{1,5}}(?: ?[A-Za-z]|[/-]\d{{1,4}})?"
                   rf"|{_LETTER}{{3,}}(?:[ '-]{_LETTER}+){{0,4}}"),
               0.75, v.street_part, key_types=_keys("street_address"), max_len=60),
    # (a host name, a URL or an e-mail address under an `address` key is no street address)
    Recognizer("address_shape", "street_address",
               _rx(r"(?=.*[^\W\d_]{2})(?=.*[\d\s]).{5,200}", re.DOTALL), 0.8, v.not_a_host,
               key_types=_keys("street_address")),
    # (Japan's postal mark: `〒150-0041`)
    Recognizer("postal_code_shape", "postal_code",
               _rx(r"(?:\u3012 ?)?[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]"),
               0.8, key_types=_keys("postal_code"), numbers=True, min_digits=1),
    Recognizer("coordinate", "geolocation", _rx(r"-?\d{1,3}\.\d{3,}"), 0.8, v.coordinate,
               "coordinate_range", _keys("geolocation"), numbers=True),
    Recognizer("coordinate_pair", "geolocation",
               _rx(r"-?\d{1,2}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}"), 0.85,
               key_types=_keys("geolocation")),
    # a gender word in one of many languages, one letter in any script, an ISO/IEC 5218 code
    Recognizer("gender_word", "gender", _rx(r".{1,12}"), 0.85, v.gender_word,
               key_types=_keys("gender"), numbers=True, max_len=12),
    # a connection URL stored base64-encoded (Kubernetes Secret `data`, Helm values)
    Recognizer("base64_connection_url", "connection_string_with_password",
               _rx(r"[A-Za-z0-9+/]{16,}={0,2}"), 0.85, v.base64_url_with_password,
               "base64_url_password", _keys("connection_string_with_password"), min_len=16,
               max_len=8192),
    # also Norwegian `1503.12.34567`, Czech `19-2000145399/0800`, Hungarian 24-digit numbers
    Recognizer("bank_account_shape", "bank_account_number", _rx(r"\d[\d ./-]{4,32}\d"), 0.8,
               v.not_a_date, key_types=_keys("bank_account_number"), numbers=True,
               min_digits=6, max_digits=24),
    Recognizer("routing_shape", "bank_routing_number", _rx(r"\d{2}-?\d{2}-?\d{2}|\d{8,9}"),
               0.85, v.aba_routing, "aba_checksum", _keys("bank_routing_number"), numbers=True),
    # routing codes without a checksum: Canadian institution/transit, Indian IFSC, Australian BSB
    Recognizer("routing_code", "bank_routing_number",
               _rx(r"\d{3}(?:-?\d{3})?|\d{4,5}|[A-Z]{4}0[A-Z0-9]{6}"), 0.8,
               key_types=_keys("bank_routing_number"), numbers=True, max_len=11),
    Recognizer("swift_shape", "swift_bic", _rx(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?"), 0.9,
               key_types=_keys("swift_bic"), min_len=8, max_len=11),
    Recognizer("imei_shape", "imei", _rx(r"\d{2}[ -]?\d{6}[ -]?\d{6}[ -]?\d"), 0.9, v.imei,
               "luhn", _keys("imei"), numbers=True),
    # (an issue or expiry date under a document's key is no document number)
    # (a series in another script and the number sign: a Ukrainian birth certificate's)
    Recognizer("document_number", None, _rx(r"[^\W_][\w ./№-]{2,22}[^\W_]"),
               0.8, v.not_a_date, key_types=_DOCUMENT_IDS, numbers=True, min_digits=2),
    Recognizer("icd10_shape", "icd10_code", _rx(r"[A-TV-Z]\d{2}(?:\.?[0-9A-Z]{1,4})?"), 0.9,
               key_types=_keys("icd10_code", "health_condition"), max_len=8),
    Recognizer("blood_group", "health_condition", _BLOOD_GROUP, 0.9,
               key_types=_keys("health_condition"), max_len=12),
    Recognizer("health_text", None, _rx(r"(?=.*[^\W\d_]{3}).{3,500}", re.DOTALL), 0.8,
               key_types=_keys("health_condition", "medication"), max_len=500),
)  # fmt: skip


def _id_recognizers() -> tuple[Recognizer, ...]:
    """Per national / health id: a key-gated compact shape, a stand-alone formatted one."""
    out: list[Recognizer] = []
    for e in ID_NUMBERS:
        name = e.type_id + "_checksum"
        out.append(
            Recognizer(
                e.type_id + "_shape",
                e.type_id,
                _rx(e.compact),
                0.9,
                e.validator,
                name,
                frozenset({e.type_id}) | GENERIC_KEYS[e.type_id],
                numbers=e.numbers,
                max_len=40,
            )
        )
        # under a key naming the type, the shape alone counts (test data often fails checksums)
        out.append(
            Recognizer(
                e.type_id + "_unchecked",
                e.type_id,
                _rx(e.compact),
                0.7,
                key_types=frozenset({e.type_id}),
                numbers=e.numbers,
                max_len=40,
            )
        )
    return tuple(out)


RECOGNIZERS = RECOGNIZERS + _id_recognizers()
STANDALONE: tuple[Recognizer, ...] = tuple(
    r for r in RECOGNIZERS if not r.key_types and not r.text_only
)

# distinctive id formats (CPF "123.456.789-09", NIE "X1234567L"): one combined full match
# picks the candidate, its checksum confirms; they also run on negative shapes (versions)
ID_FORMATS: dict[str, Recognizer] = {
    e.type_id: Recognizer(
        e.type_id + "_format",
        e.type_id,
        _rx(e.formatted),
        0.85,
        e.validator,
        e.type_id + "_checksum",
        numeric=True,
        strong=True,
    )
    for e in ID_NUMBERS
    if e.formatted
}
ID_FORMAT_PATTERN: re.Pattern[str] = re.compile(
    "|".join(f"(?P<{name}>{rec.pattern.pattern})" for name, rec in ID_FORMATS.items())
)
ID_FORMAT_MAX_LEN = 40
ID_FORMAT_MIN_DIGITS = 5
KEY_GATED: tuple[Recognizer, ...] = tuple(r for r in RECOGNIZERS if r.key_types and not r.text_only)
EMBEDDABLE: dict[str, Recognizer] = {r.name: r for r in RECOGNIZERS if r.embeddable}

# one pass over free text; word boundaries keep matches from starting mid-token
# (the boundaries are checked once per position, before any alternative is tried)
EMBEDDED_PATTERN: re.Pattern[str] = re.compile(
    r"(?<![\w.+-])(?:"
    + "|".join(rf"(?P<{name}>{rec.pattern.pattern})" for name, rec in EMBEDDABLE.items())
    + r")(?![\w@-])"
)
