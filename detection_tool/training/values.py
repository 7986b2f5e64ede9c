"""Labelled value generators for the corpus: Faker locales, checksummed ids, vendor secrets.

Dev-only (Faker). Every generator takes the corpus' random source so a seed reproduces it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import string
from collections.abc import Callable

from faker import Faker
from stdnum import luhn
from stdnum.de import idnr
from stdnum.gb import nhs

LOCALES = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "en_IN",
    "en_CA", "es_MX",
)  # fmt: skip

IBAN_LOCALES = ("en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR")

Gen = Callable[[random.Random, Faker], object]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def complete(body: str, valid: Callable[[str], bool]) -> str | None:
    """`body` plus the check digit that makes `valid` pass, if any."""
    for d in string.digits:
        if valid(body + d):
            return body + d
    return None


def luhn_number(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def card(rng: random.Random, fake: Faker) -> object:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("37", 15), ("6011", 16), ("3530", 16)])
    number = luhn_number(rng, prefix, length)
    style = rng.random()
    if style < 0.3 and length == 16:
        return " ".join(number[i : i + 4] for i in range(0, 16, 4))
    if style < 0.4 and length == 16:
        return "-".join(number[i : i + 4] for i in range(0, 16, 4))
    if style < 0.5 and length == 16:
        return int(number)
    return number


def masked_card(rng: random.Random, fake: Faker) -> object:
    last = _digits(rng, 4)
    mask = rng.choice("*xX•")
    return rng.choice(
        [
            f"{mask * 12}{last}",
            f"{_digits(rng, 6)}{mask * 6}{last}",
            f"{mask * 4} {mask * 4} {mask * 4} {last}",
        ]
    )


def nhs_number(rng: random.Random, fake: Faker) -> object:
    while True:
        got = complete(_digits(rng, 9), nhs.is_valid)
        if got:
            return f"{got[:3]} {got[3:6]} {got[6:]}" if rng.random() < 0.5 else got


def de_tax_id(rng: random.Random, fake: Faker) -> object:
    while True:
        digits = list(string.digits)
        rng.shuffle(digits)
        body = digits[:9]
        body.insert(rng.randrange(10), body[rng.randrange(9)])
        if body[0] == "0":
            continue
        got = complete("".join(body), idnr.is_valid)
        if got:
            return got


def npi(rng: random.Random, fake: Faker) -> object:
    body = rng.choice("12") + _digits(rng, 8)
    full = "80840" + body
    return body + luhn.calc_check_digit(full)


def dea(rng: random.Random, fake: Faker) -> object:
    d = [rng.randrange(10) for _ in range(6)]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    letters = rng.choice("ABFGMPR") + rng.choice(string.ascii_uppercase)
    return letters + "".join(map(str, d)) + str(check)


def mbi(rng: random.Random, fake: Faker) -> object:
    letters = "ACDEFGHJKMNPQRTUVWXY"
    both = letters + string.digits
    parts = [
        rng.choice("123456789"), rng.choice(letters), rng.choice(both), rng.choice(string.digits),
        rng.choice(letters), rng.choice(both), rng.choice(string.digits),
        rng.choice(letters), rng.choice(letters), rng.choice(string.digits),
        rng.choice(string.digits),
    ]  # fmt: skip
    text = "".join(parts)
    return f"{text[:4]}-{text[4:7]}-{text[7:]}" if rng.random() < 0.4 else text


def _b64(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwt(rng: random.Random, fake: Faker) -> object:
    head = _b64({"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"})
    body = _b64({"sub": str(rng.randrange(10**6)), "iat": 1700000000 + rng.randrange(10**7)})
    return f"{head}.{body}.{_alnum(rng, 43, string.ascii_letters + string.digits + '-_')}"


def private_key(rng: random.Random, fake: Faker) -> object:
    kind = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY"])
    body = "\n".join(_alnum(rng, 64) for _ in range(4))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


def basic_auth(rng: random.Random, fake: Faker) -> object:
    pair = f"{fake.user_name()}:{fake.password()}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def connection_string(rng: random.Random, fake: Faker) -> object:
    scheme = rng.choice(["postgres", "mysql", "mongodb", "redis", "amqp"])
    return f"{scheme}://{fake.user_name()}:{fake.password(special_chars=False)}@{fake.hostname()}:5432/app"


def expiry(rng: random.Random, fake: Faker) -> object:
    month, year = rng.randrange(1, 13), rng.randrange(24, 35)
    return rng.choice([f"{month:02d}/{year}", f"{month:02d}/20{year}", f"{month:02d}{year}"])


# birth dates of people 18 to 90 years old in 2026: fixed, so the corpus (and the model
# trained on it) is the same whatever day it is generated (Faker's own counts from today)
_BORN_FROM = dt.date(1936, 1, 1)
_BORN_DAYS = (dt.date(2008, 1, 1) - _BORN_FROM).days


def birth_date(rng: random.Random, fake: Faker) -> object:
    return (_BORN_FROM + dt.timedelta(days=rng.randrange(_BORN_DAYS))).isoformat()


def gender(rng: random.Random, fake: Faker) -> object:
    return rng.choice(["male", "female", "M", "F", "non-binary", "weiblich", "homme", "mujer"])


SECRET_ALPHABET = string.ascii_letters + string.digits

# type id -> value generator
POSITIVE: dict[str, Gen] = {
    "person_name": lambda r, f: f.name(),
    "first_name": lambda r, f: f.first_name(),
    "last_name": lambda r, f: f.last_name(),
    "email": lambda r, f: f.email(),
    "phone_number": lambda r, f: f.phone_number(),
    "street_address": lambda r, f: f.street_address(),
    "postal_code": lambda r, f: f.postcode(),
    "geolocation": lambda r, f: float(f.latitude()),
    "date_of_birth": birth_date,
    "gender": gender,
    "username": lambda r, f: f.user_name(),
    "user_id": lambda r, f: r.choice([r.randrange(1, 10**7), f.uuid4(), f"usr_{_alnum(r, 14)}"]),
    "ip_address": lambda r, f: f.ipv4() if r.random() < 0.7 else f.ipv6(),
    "mac_address": lambda r, f: f.mac_address(),
    "imei": lambda r, f: luhn_number(r, "35", 15),
    "advertising_id": lambda r, f: f.uuid4().upper(),
    "passport_number": lambda r, f: f["en_US"].passport_number(),
    "drivers_license": lambda r, f: r.choice(string.ascii_uppercase) + _digits(r, 7),
    "us_ssn": lambda r, f: f["en_US"].ssn(),
    "us_itin": lambda r, f: f["en_US"].itin(),
    "tax_id": lambda r, f: f["en_US"].ein(),
    "credit_card_number": card,
    "masked_card_number": masked_card,
    "card_expiry": expiry,
    "card_cvv": lambda r, f: _digits(r, r.choice([3, 3, 4])),
    "card_track_data": lambda r, f: (
        f"%B{luhn_number(r, '4', 16)}^{f.last_name().upper()}/"
        f"{f.first_name().upper()}^2712101000000000000"
    ),
    "cardholder_name": lambda r, f: f.name().upper(),
    # en_IN and es_MX Faker IBANs fail the checksum: locales whose IBANs are real
    "iban": lambda r, f: f[r.choice(IBAN_LOCALES)].iban(),
    "bank_account_number": lambda r, f: _digits(r, r.randrange(8, 13)),
    "bank_routing_number": lambda r, f: f["en_US"].aba(),
    "swift_bic": lambda r, f: f["en_US"].swift(),
    "health_condition": lambda r, f: r.choice(
        ["Type 2 diabetes", "Asthma", "Hypertension", "Major depressive disorder", "Migraine"]
    ),
    "icd10_code": lambda r, f: r.choice(["E11.9", "J45.909", "I10", "F32.1", "G43.009", "M54.5"]),
    "medication": lambda r, f: r.choice(
        ["Metformin 500 mg", "Lisinopril 10mg", "Salbutamol inhaler", "Sertraline 50 mg"]
    ),
    "medical_record_number": lambda r, f: "MRN" + _digits(r, 8),
    "health_insurance_number": lambda r, f: r.choice(string.ascii_uppercase) + _digits(r, 9),
    "password": lambda r, f: f.password(length=r.randrange(8, 20)),
    "private_key": private_key,
    "jwt": jwt,
    "bearer_token": lambda r, f: "Bearer " + _alnum(r, 40, SECRET_ALPHABET + "-_."),
    "basic_auth_credentials": basic_auth,
    "session_cookie": lambda r, f: _alnum(r, 32, string.hexdigits.lower()[:16] + "xyz"),
    "aws_access_key": lambda r, f: "AKIA" + _alnum(r, 16, string.ascii_uppercase + "234567"),
    "aws_secret_key": lambda r, f: _alnum(r, 40, SECRET_ALPHABET + "+/"),
    "gcp_api_key": lambda r, f: "AIza" + _alnum(r, 35, SECRET_ALPHABET + "-_"),
    "azure_key": lambda r, f: (
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
        + _alnum(r, 86, SECRET_ALPHABET + "+/")
        + "=="
    ),
    "github_token": lambda r, f: "ghp_" + _alnum(r, 36),
    "slack_token": lambda r, f: f"xoxb-{_digits(r, 12)}-{_digits(r, 12)}-{_alnum(r, 24)}",
    "stripe_key": lambda r, f: "sk_live_" + _alnum(r, 24),
    "generic_secret": lambda r, f: _alnum(r, r.randrange(24, 48)),
    "connection_string_with_password": connection_string,
    "gitlab_token": lambda r, f: "glpat-" + _alnum(r, 20, SECRET_ALPHABET + "-_"),
    "openai_key": lambda r, f: "sk-proj-" + _alnum(r, 48, SECRET_ALPHABET + "-_"),
    "twilio_key": lambda r, f: "SK" + _alnum(r, 32, "0123456789abcdef"),
    "sendgrid_key": lambda r, f: f"SG.{_alnum(r, 22)}.{_alnum(r, 43)}",
    "npm_token": lambda r, f: "npm_" + _alnum(r, 36),
    "pypi_token": lambda r, f: "pypi-AgEIcHlwaS5vcmc" + _alnum(r, 60, SECRET_ALPHABET + "-_"),
    "uk_nino": lambda r, f: (
        r.choice("ABCEHJKLMNPRSTWXY")
        + r.choice("ABCEHJKLMNPRSTWXYZ")
        + _digits(r, 6)
        + r.choice("ABCD")
    ),
    "fr_nir": lambda r, f: f["fr_FR"].ssn(),
    "es_dni": lambda r, f: f["es_ES"].nif(),
    "es_nie": lambda r, f: f["es_ES"].nie(),
    "it_codice_fiscale": lambda r, f: f["it_IT"].ssn(),
    "nl_bsn": lambda r, f: f["nl_NL"].ssn(),
    "pl_pesel": lambda r, f: f["pl_PL"].pesel(),
    "br_cpf": lambda r, f: f["pt_BR"].cpf(),
    "in_aadhaar": lambda r, f: f["en_IN"].aadhaar_id(),
    "ca_sin": lambda r, f: f["en_CA"].ssn(),
    "de_tax_id": de_tax_id,
    "uk_nhs_number": nhs_number,
    "us_medicare_mbi": mbi,
    "us_npi": npi,
    "us_dea_number": dea,
}


# hard distractors: values that look sensitive, under keys that say what they really are
DISTRACTORS: list[tuple[str, Gen]] = [
    ("order_number", lambda r, f: luhn_number(r, "4", 16)),
    ("tracking_number", lambda r, f: luhn_number(r, "1", 18)),
    ("invoice_no", lambda r, f: luhn_number(r, "5", 16)),
    ("request_id", lambda r, f: f.uuid4()),
    ("trace_id", lambda r, f: _alnum(r, 32, "0123456789abcdef")),
    ("sha256", lambda r, f: f.sha256()),
    ("etag", lambda r, f: f'"{f.md5()}"'),
    ("created_at", lambda r, f: f.iso8601()),
    ("timestamp", lambda r, f: r.randrange(1_500_000_000, 1_800_000_000)),
    ("updated_ms", lambda r, f: r.randrange(1_500_000_000_000, 1_800_000_000_000)),
    ("version", lambda r, f: f"{r.randrange(10)}.{r.randrange(30)}.{r.randrange(100)}"),
    ("price", lambda r, f: round(r.uniform(1, 5000), 2)),
    ("amount", lambda r, f: f"{r.uniform(1, 900):.2f} EUR"),
    ("sku", lambda r, f: f"SKU-{_digits(r, 8)}"),
    ("product_id", lambda r, f: r.randrange(10**9, 10**12)),
    ("score", lambda r, f: round(r.uniform(-90, 90), 6)),
    ("ratio", lambda r, f: round(r.random(), 8)),
    ("status", lambda r, f: r.choice(["paid", "pending", "shipped", "refunded"])),
    ("product_name", lambda r, f: f.catch_phrase()),
    ("homepage", lambda r, f: f.url()),
    ("user_agent", lambda r, f: f.user_agent()),
    ("description", lambda r, f: f.sentence(nb_words=10)),
    (
        "build",
        lambda r, f: (
            f"{r.randrange(1, 30)}.{r.randrange(10)}.{r.randrange(10)}.{r.randrange(9999)}"
        ),
    ),
    ("quantity", lambda r, f: r.randrange(1, 100)),
    ("currency", lambda r, f: f.currency_code()),
    ("isbn", lambda r, f: f.isbn13()),
    ("ean", lambda r, f: f.ean13()),
    ("color", lambda r, f: f.hex_color()),
    ("file_name", lambda r, f: f.file_name()),
    ("mime_type", lambda r, f: f.mime_type()),
    ("count", lambda r, f: r.randrange(10**9)),
    ("confirmation_code", lambda r, f: _alnum(r, 6, string.ascii_uppercase + string.digits)),
    ("page_token", lambda r, f: _digits(r, 12)),
    ("duration_ms", lambda r, f: r.randrange(10**6)),
    ("checksum", lambda r, f: f.sha1()),
    ("country", lambda r, f: f.country_code()),
    ("language", lambda r, f: f.language_code()),
    ("http_status", lambda r, f: r.choice([200, 201, 404, 500])),
]


# values that fill a sensitive-looking field without being sensitive (redacted, unknown, tests)
PLACEHOLDERS: tuple[object, ...] = (
    "N/A", "n/a", "unknown", "Unknown", "-", "none", "None", "null", "TBD", "redacted",
    "[REDACTED]", "***", "********", "xxx", "not provided", "pending", "test", "changeme?",
    "see notes", "0", 0, "", "?", "<hidden>", "withheld", "not set", "same as above",
)  # fmt: skip
