"""Checksums and format rules that confirm a pattern match. Pure functions of the matched text."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import json
import re

from stdnum.fi import hetu as fi_hetu

_NOT_DIGIT = re.compile(r"\D")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_of(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) checksum of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


# (prefix range low, high, allowed lengths): the issuer prefixes of the major networks
_IIN_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (6011, 6011, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, frozenset({16, 19})),
    (65, 65, frozenset({16, 19})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (300, 305, frozenset({14, 16, 19})),  # Diners Club
    (36, 36, frozenset({14, 16, 19})),
    (38, 39, frozenset({14, 16, 19})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),  # Maestro
    (56, 58, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
    (63, 63, frozenset({16, 19})),
    (67, 67, frozenset({12, 13, 14, 15, 16, 17, 18, 19})),
)


# the ranges with the digit count of their prefix, in _IIN_RANGES's order
_IIN_BY_WIDTH = tuple((len(str(low)), low, high, lengths) for low, high, lengths in _IIN_RANGES)


def card_number(text: str) -> bool:
    """A known issuer prefix with a length it issues, and a valid Luhn checksum."""
    digits = digits_of(text)
    length = len(digits)
    if not 12 <= length <= 19 or len(set(digits)) < 2:
        return False
    prefixes = (0, int(digits[0]), int(digits[:2]), int(digits[:3]), int(digits[:4]))
    for width, low, high, lengths in _IIN_BY_WIDTH:
        if low <= prefixes[width] <= high and length in lengths:
            return luhn(digits)
    return False


_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30,
    "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip


def iban(text: str) -> bool:
    """Country length and the ISO 13616 mod-97 check."""
    compact = _NOT_ALNUM.sub("", text).upper()
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def ssn_structure(text: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    d = digits_of(text)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return not (area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000")


def us_ssn(text: str) -> bool:
    """SSA rules, and not a published example (stand-alone: a field named `ssn` keeps them)."""
    return ssn_structure(text) and digits_of(text) not in ("078051120", "219099999", "123456789")


def us_itin(text: str) -> bool:
    """IRS ITIN: area 9xx, group in 50-65, 70-88, 90-92 or 94-99."""
    d = digits_of(text)
    if len(d) != 9 or d[0] != "9":
        return False
    group = int(d[3:5])
    return 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or 94 <= group <= 99


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.encode("ascii"))
        return json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        return None


def jwt(text: str) -> bool:
    """Three base64url parts whose header is a JSON object naming an "alg"."""
    parts = text.split(".")
    if len(parts) != 3 or len(parts[0]) > 2048:
        return False
    header = _b64url_json(parts[0])
    return isinstance(header, dict) and "alg" in header


def basic_credentials(text: str) -> bool:
    """`Basic <base64 of user:password>`."""
    token = text.split()[-1]
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except (ValueError, binascii.Error):
        return False
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return ":" in decoded and decoded.isprintable()


def ip_address(text: str) -> bool:
    """A valid IPv4 / IPv6 address other than the unspecified one."""
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return not addr.is_unspecified


_EXTENSION = re.compile(r" ?(?:x|ext\.?|#) ?\d{1,6}$")


def phone_digits(text: str) -> bool:
    """8 to 15 digits (E.164 allows 15) before any extension (`x57440`), not one repeated
    digit."""
    d = digits_of(_EXTENSION.sub("", text))
    return 8 <= len(d) <= 15 and len(set(d)) > 2


def nanp_phone(text: str) -> bool:
    """North American numbers: area code and exchange do not start with 0 or 1."""
    d = digits_of(text)
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    return len(d) == 10 and d[0] not in "01" and d[3] not in "01"


_SSN_SHAPE = re.compile(r"\d{3}-\d{2}-\d{4}")


def national_phone(text: str) -> bool:
    """Trunk-prefixed national numbers ("030 1234567", "06 12 34 56 78"): 9 to 12 digits,
    not in the 3-2-4 layout of a US SSN."""
    if _SSN_SHAPE.fullmatch(text):
        return False
    d = digits_of(text)
    return 9 <= len(d) <= 12 and len(set(d)) > 2


def phone_in_text(text: str) -> bool:
    """A telephone number found inside free text: North American numbers by their rules,
    trunk-prefixed national ones as `national_phone`, international ones as `phone_digits`."""
    first = text[0]
    if first == "+":
        return phone_digits(text)
    if first == "0":
        return national_phone(text)
    return nanp_phone(text)


# English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Nordic, Finnish,
# Turkish, Romanian, Czech, Slovak, Hungarian, Greek (transliterated), Indonesian, Malay,
# Vietnamese, Korean, Russian, Ukrainian, Serbian, Croatian, Lithuanian, Latvian, Estonian,
# Catalan, Swahili, Tagalog, Arabic, Hebrew, Thai, Chinese and Japanese, Hindi, Persian
_GENDER_TEXT = (
    "male female man woman nonbinary non-binary other diverse divers männlich mannlich"
    " weiblich homme femme hombre mujer masculin masculino masculine feminin feminino"
    " feminine féminin féminine femenino vrouw kobieta mężczyzna mezczyzna donna uomo maschio"
    " femmina kvinna kvinne kvinde mand mann nainen mies kad\u0131n kadin erkek bărbat barbat"
    " femeie žena zena muž muz férfi ferfi nő no gynaika andras thily arren pria wanita"
    " laki-laki perempuan lelaki nam nữ nu namja yeoja namseong yeoseong 남 여 남자 여자 남성"
    " 여성 мужской женский муж жен мужчина женщина чоловік жінка чоловіча жіноча мушки"
    " женски muški muski ženski zenski muško musko žensko zensko vyras moteris vyriška"
    " moteriška vīrietis virietis sieviete mees naine home dona mwanaume mwanamke lalaki"
    " babae muller мъж жена мужко женско mke me ke mume karl kona mashkull femer femër gwryw"
    " benyw"
    " ذكر أنثى انثى זכר נקבה ชาย หญิง 男性 女性 पुरुष महिला स्त्री مرد زن 1 2 01 02"
)
_GENDER_WORDS = frozenset(_GENDER_TEXT.split()) | {"non binary"}


def gender_word(text: str) -> bool:
    """A gender in one of many languages, one letter in any script (`F`, `L`/`P`, `м`/`ж`,
    `男`/`女`) or an ISO/IEC 5218 code (1 male, 2 female)."""
    return text.casefold() in _GENDER_WORDS or (len(text) == 1 and text.isalpha())


def masked_card(text: str) -> bool:
    """13-19 positions, at most 6 leading and 4 trailing digits, one contiguous mask run."""
    compact = text.replace(" ", "").replace("-", "")
    if not 13 <= len(compact) <= 19:
        return False
    masks = re.fullmatch(r"(\d{0,6})([*xX•#]+)(\d{4})", compact)
    if masks is None:
        return False
    return len(masks.group(2)) >= 4 and len(set(masks.group(2))) == 1


_DOTNET_DATE = re.compile(r"/Date\((-?\d{1,13})(?:[+-]\d{4})?\)/")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# what an address member holds when it names the address's kind, not its street
_ADDRESS_KIND_TEXT = (
    "home work billing shipping office primary secondary default other main business personal"
    " mailing delivery residential postal none unknown"
)
_ADDRESS_KINDS = frozenset(_ADDRESS_KIND_TEXT.split())


def street_part(text: str) -> bool:
    """A house number, or a street's name written as one (capitalised: `Keizersgracht`,
    `Rua Augusta`, or in a script without capitals: `ถนนรามอินทรา`), not an address's kind
    (`billing`, `Home`)."""
    first = text[0]
    if first.isdigit():
        return True
    capital = first.isupper() or (first.isalpha() and first.lower() == first.upper())
    return capital and text.lower() not in _ADDRESS_KINDS


# legal forms of companies and co-operatives, as a name's last word: `Acme GmbH`, `... SCCL`
_LEGAL_FORM_TEXT = (
    "gmbh ag kg ohg ug mbh ltd limited llc llp lp inc incorporated corp corporation co plc pllc"
    " sa sas sasu sarl eurl sl slu sll sccl scp spa srl srls snc sapa bv nv vof cv oy oyj ab asa"
    " as aps ehf kft zrt nyrt bt sro doo dd ad ood eood zao oao pao ooo tov pty pte bhd tbk jsc"
    " pjsc kk gk cooperativa cooperative coop eg ev foundation stiftung"
)
_LEGAL_FORMS = frozenset(_LEGAL_FORM_TEXT.split())


def not_an_organisation(text: str) -> bool:
    """A name whose last word is no company's legal form (`Cooperativa ... SCCL`, `Acme Ltd.`,
    `Müller GmbH & Co. KG`)."""
    space = text.rfind(" ")
    if space < 0:
        return True
    word = text[space + 1 :]
    last = word.replace(".", "").replace(",", "").casefold()
    if last not in _LEGAL_FORMS:
        return True
    # a short form only as such (`SA`, `S.A.`, `Co.`), not a family name (`Anna Sa`)
    return len(last) <= 2 and not word.isupper() and "." not in word


def birth_date(text: str) -> bool:
    """A calendar date between 1900 and today in ISO, European or US order, or an OData /
    .NET JSON date (`/Date(468806400000)/`, milliseconds since 1970)."""
    dotnet = _DOTNET_DATE.fullmatch(text)
    if dotnet is not None:
        date = (_EPOCH + dt.timedelta(milliseconds=int(dotnet.group(1)))).date()
        return _born(date)
    found = re.findall(r"\d+", text)
    if len(found) == 3 and len(found[2]) == 4 and 2443 <= int(found[2]) <= 2643:
        found[2] = str(int(found[2]) - 543)  # a Thai Buddhist-era year (`14/02/2535`)
    if len(found) == 1 and len(found[0]) == 8:  # 19800217, 17021980, 02171980
        d = found[0]
        candidates = [(int(d[:4]), int(d[4:6]), int(d[6:]))]
        candidates += [(int(d[4:]), int(d[2:4]), int(d[:2])), (int(d[4:]), int(d[:2]), int(d[2:4]))]
        return any(_plausible_birth(*c) for c in candidates)
    parts = [int(p) for p in found[:3]]
    if len(parts) == 2:  # a birthday without its year: day and month in either order
        return _plausible_birth(2000, parts[1], parts[0]) or _plausible_birth(2000, *parts)
    if len(parts) != 3:
        return False
    if parts[0] > 31:
        candidates = [(parts[0], parts[1], parts[2])]
    else:
        candidates = [(parts[2], parts[1], parts[0]), (parts[2], parts[0], parts[1])]
    return any(_plausible_birth(*c) for c in candidates)


def _plausible_birth(year: int, month: int, day: int) -> bool:
    try:
        return _born(dt.date(year, month, day))
    except ValueError:
        return False


def _born(date: dt.date) -> bool:
    return dt.date(1900, 1, 1) <= date <= dt.date.today()


def aba_routing(text: str) -> bool:
    """US ABA routing number checksum (3-7-1 weights); other shapes (sort codes) pass as-is."""
    d = digits_of(text)
    if len(d) != 9:
        return True
    weights = (3, 7, 1) * 3
    return sum(int(c) * w for c, w in zip(d, weights, strict=True)) % 10 == 0


def imei(text: str) -> bool:
    d = digits_of(text)
    return len(d) == 15 and luhn(d)


def coordinate(text: str) -> bool:
    try:
        return abs(float(text)) <= 180.0
    except ValueError:
        return False


_RESOURCE_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")


# keys published by design: Stripe's publishable keys (`pk_live_...`) sit in every web page
_PUBLIC_KEY_PREFIXES = ("pk_live_", "pk_test_")
_WEB_SCHEMES = ("https://", "http://")


def secret_like(text: str) -> bool:
    """Not a plain number shorter than 16 digits (page tokens, counters, ids), nor a
    Twilio-style resource id (two capitals and 32 lower-case hex digits), nor a publishable key,
    nor a reference to a variable holding the secret (`${PUSHER_APP_KEY}`, `{{ api_key }}`), nor
    a web address with no query or user part."""
    compact = text.strip()
    if compact.isdigit() and len(compact) < 16:
        return False
    if compact.startswith(_PUBLIC_KEY_PREFIXES) or placeholder(compact):
        return False
    if compact.startswith(_WEB_SCHEMES) and "?" not in compact and "@" not in compact:
        return False  # a callback or endpoint URL (`merchant_urls.authorization`)
    return _RESOURCE_SID.fullmatch(compact) is None


def not_a_placeholder(text: str) -> bool:
    return not placeholder(text.strip())


def placeholder(text: str) -> bool:
    """A template's or an environment file's reference to a variable (`${DB_PASSWORD}`,
    `{{ secret }}`, `%(password)s`): no value of its own."""
    first = text[:1]
    if first == "$":
        return text[1:2] == "{" and text.endswith("}") and "}" not in text[2:-1]
    if first == "{":
        return text.startswith("{{") and text.endswith("}}")
    return False


def aws_secret_like(text: str) -> bool:
    """Upper- and lower-case letters, digits and a `/` or `+`: the base64 alphabet of an AWS
    secret access key, not a hex digest (one case), a word or another vendor's token."""
    return (
        ("/" in text or "+" in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )


# (and encodings: Laravel's `APP_KEY` is `base64:<key>`)
_DIGEST_SCHEMES = frozenset(
    {"sha1", "sha256", "sha384", "sha512", "md5", "bearer", "basic", "base64", "b64", "hex"}
)


def credential_pair(text: str) -> bool:
    """`user:password`: a user part that is no number (a time, a port) or digest scheme, and no
    URL's scheme (`https://shop.example/callback`)."""
    user, rest = text.split(":", 1)
    return not user.isdigit() and user.lower() not in _DIGEST_SCHEMES and rest[:2] != "//"


def track2(text: str) -> bool:
    """Track 2 data: a card number (issuer prefix, length, Luhn), `=` or `D`, and an expiry
    (YYMM) with a valid month."""
    pan, _, rest = re.split(r"([=D])", text, maxsplit=1)
    return card_number(pan) and len(rest) >= 7 and 1 <= int(rest[2:4]) <= 12


_DATE_LIKE = re.compile(r"\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}")


def not_a_date(text: str) -> bool:
    """Not a calendar date (`2021-07-15`, `15.07.2021`): an issue or expiry date under a
    document's key is no document number."""
    return _DATE_LIKE.fullmatch(text) is None


_HOST_MARKS = re.compile(r"[.:/@]")


def not_a_host(text: str) -> bool:
    """Not a host name, URL, IP or e-mail address (one word with dots, colons, slashes or `@`):
    what an `address` member of a server or an account holds."""
    return any(ch.isspace() for ch in text) or _HOST_MARKS.search(text) is None


CREDENTIAL_URL = r"[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@]*:[^\s@/]+@[^\s/]+"
_CREDENTIAL_URL = re.compile(CREDENTIAL_URL)


def base64_url_with_password(text: str) -> bool:
    """Base64 of a connection URL that embeds a password (`postgres://app:pw@db/shop`)."""
    if len(text) % 4:
        return False
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return _CREDENTIAL_URL.search(decoded) is not None


def finnish_hetu(text: str) -> bool:
    """A Finnish personal identity code (henkilötunnus): a birth date, the century sign and a
    mod-31 check character (`131052-308T`)."""
    return bool(fi_hetu.is_valid(text))
