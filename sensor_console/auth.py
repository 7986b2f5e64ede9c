"""Users, API tokens and login sessions of the dashboard and API (separate from sensor tokens).

Passwords are stored as scrypt hashes (`scrypt$n$r$p$salt$hash`, salt and hash in hex); API
tokens and session ids only as SHA-256 digests, so a copy of the database logs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from sensor_console.db import Connection, IntegrityErrors

Role = Literal["readonly", "admin"]
ROLES: tuple[Role, ...] = ("readonly", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOKEN_PREFIX = "dsc_"  # noqa: S105 - a prefix, not a secret
_SCRYPT = (2**14, 8, 1)


class AuthError(ValueError):
    """A user or token request that cannot be done; the message never holds a secret."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user (via session) or an API token, with its role."""

    name: str
    role: Role
    via: Literal["session", "token"]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AuthError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or len(password) > MAX_PASSWORD:
            return False
        found = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_role(role: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise AuthError("role must be readonly or admin")


def add_user(conn: Connection, username: str, password: str, role: str) -> None:
    """Create or replace a local user."""
    if not USERNAME.match(username):
        raise AuthError("username: letters, digits, '_', '.', '@' or '-', at most 64")
    conn.execute(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,"
        " role = excluded.role",
        (username, hash_password(password), _check_role(role), time.time_ns()),
    )
    conn.execute("DELETE FROM sessions WHERE username = ?", (username,))


def create_api_token(conn: Connection, name: str, role: str) -> str:
    """A new API token (shown once); its name must be unique."""
    if not USERNAME.match(name):
        raise AuthError("token name: letters, digits, '_', '.', '@' or '-', at most 64")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        conn.execute(
            "INSERT INTO api_tokens (token_hash, name, role, created_at) VALUES (?, ?, ?, ?)",
            (digest(token), name, _check_role(role), time.time_ns()),
        )
    except IntegrityErrors:
        raise AuthError("a token with this name exists") from None
    return token


def token_principal(conn: Connection, token: str) -> Principal | None:
    row = conn.execute(
        "SELECT name, role FROM api_tokens WHERE token_hash = ?", (digest(token),)
    ).fetchone()
    if row is None:
        return None
    return Principal(name=row[0], role=_check_role(row[1]), via="token")


def login(conn: Connection, username: str, password: str, ttl: float) -> str | None:
    """A new session id for a correct username and password, else None."""
    row = conn.execute("SELECT password_hash FROM users WHERE username = ?", (username,)).fetchone()
    if row is None:
        verify_password(password, hash_password("x" * MIN_PASSWORD))  # same time either way
        return None
    if not verify_password(password, row[0]):
        return None
    session = secrets.token_urlsafe(32)
    now = time.time_ns()
    conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
    conn.execute(
        "INSERT INTO sessions (session_hash, username, expires_at) VALUES (?, ?, ?)",
        (digest(session), username, now + int(ttl * 1e9)),
    )
    return session


def session_principal(conn: Connection, session: str) -> Principal | None:
    row = conn.execute(
        "SELECT u.username, u.role FROM sessions s JOIN users u ON u.username = s.username"
        " WHERE s.session_hash = ? AND s.expires_at > ?",
        (digest(session), time.time_ns()),
    ).fetchone()
    if row is None:
        return None
    return Principal(name=row[0], role=_check_role(row[1]), via="session")


def logout(conn: Connection, session: str) -> None:
    conn.execute("DELETE FROM sessions WHERE session_hash = ?", (digest(session),))
