"""Realistic fake personal, payment, health and credential values, plus the canary set.

A `Canaries` object holds unique values (fresh random per run) that the services and the seeded
stores carry; the end-to-end test searches every sensor output for them. Each value is shaped
like the data it stands for (Luhn-valid card, mod-97-valid IBAN, a JWT), so detectors see real
data types while the value itself stays unique enough to search for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import string
from dataclasses import asdict, dataclass
from pathlib import Path

MIN_NEEDLE = 8


def luhn_complete(prefix: str) -> str:
    """`prefix` plus the check digit that makes it Luhn-valid."""
    total = 0
    for index, char in enumerate(reversed(prefix)):
        digit = int(char)
        if index % 2 == 0:  # these get doubled once the check digit is appended
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return prefix + str((10 - total % 10) % 10)


def german_iban(account_digits: str) -> str:
    """A mod-97-valid German IBAN for an 18-digit BBAN."""
    numeric = account_digits + "131400"  # D=13, E=14, then "00"
    check = 98 - int(numeric) % 97
    return f"DE{check:02d}{account_digits}"


def _digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


def _letters(count: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(count))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Canaries:
    """One run's unique values; every field is planted somewhere and searched for everywhere."""

    first_name: str
    last_name: str
    email: str
    phone: str
    street: str
    postal_code: str
    date_of_birth: str
    username: str
    password: str
    jwt: str
    card_number: str
    card_cvv: str
    cardholder: str
    iban: str
    gateway_key: str
    medical_record: str
    diagnosis_note: str
    ssn: str
    s3_email: str
    kafka_email: str
    db_email: str
    db_card: str

    @classmethod
    def generate(cls) -> Canaries:
        tag = _letters(6)
        first, last = "Zel" + _letters(5), "Quor" + _letters(6)
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = _b64url(json.dumps({"sub": tag + _digits(6), "role": "customer"}).encode())
        return cls(
            first_name=first.capitalize(),
            last_name=last.capitalize(),
            email=f"{first.lower()}.{tag}{_digits(4)}@mailbox-example.org",
            phone=f"+1 415 {_digits(3)} {_digits(4)}",
            street=f"{_digits(4)} {('Larkspur' + _letters(4)).capitalize()} Street",
            postal_code=_digits(5),
            date_of_birth=f"19{secrets.choice('5678')}{_digits(1)}-0{secrets.choice('123456789')}-1{_digits(1)}",
            username=f"user_{tag}{_digits(3)}",
            password="Pw!" + secrets.token_urlsafe(14),
            jwt=f"{header}.{claims}.{_b64url(secrets.token_bytes(32))}",
            card_number=luhn_complete("4" + _digits(14)),
            card_cvv=_digits(3),
            cardholder=f"{first.upper()} {last.upper()}",
            iban=german_iban(_digits(18)),
            gateway_key="sk_live_" + secrets.token_hex(12),
            medical_record=f"MRN-{_digits(8)}",
            diagnosis_note=f"follow-up for hypertension, ref {tag}{_digits(5)}",
            ssn=f"{secrets.choice('1234567')}{_digits(2)}-{_digits(2)}-{_digits(4)}",
            s3_email=f"s3.{tag}{_digits(5)}@bucket-example.org",
            kafka_email=f"kafka.{tag}{_digits(5)}@topic-example.org",
            db_email=f"pg.{tag}{_digits(5)}@table-example.org",
            db_card=luhn_complete("5" + _digits(14)),
        )

    def values(self) -> list[str]:
        return list(asdict(self).values())

    def needles(self) -> list[bytes]:
        """What a leak would look like: each value, and its SHA-256, SHA-1 and MD5 hex digests.

        Values shorter than `MIN_NEEDLE` (a CVV, a postal code) are left out: three or five
        digits occur in any log by chance, so a hit would prove nothing.
        """
        out: list[bytes] = []
        for value in self.values():
            if len(value) < MIN_NEEDLE:
                continue
            raw = value.encode()
            out.append(raw)
            for algo in ("sha256", "sha1", "md5"):
                out.append(hashlib.new(algo, raw).hexdigest().encode())
        return out

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Canaries:
        return cls(**json.loads(path.read_text()))
