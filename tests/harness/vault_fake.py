"""A fake Vault server with the endpoints dsensor uses, for the real `hvac` client.

Gives `FakeVault`: `add_kubernetes_role(role, jwt, ...)` accepts that service-account JWT at
`POST /v1/auth/kubernetes/login`; `put_secret(path, data)` writes a KV v2 version read at
`GET /v1/secret/data/<path>`; `GET /v1/auth/token/lookup-self`; `GET /v1/sys/health`.
Errors use Vault's codes and `{"errors": [...]}` bodies (400 bad login input, 403 bad token or
policy, 404 missing path). `revoke_tokens()` invalidates every issued token; `logins` counts
successful logins.
"""

from __future__ import annotations

import fnmatch
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from tests.harness.http_fake import JsonHandler, TrackingHTTPServer

Obj = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Role:
    jwt: str
    policies: list[str]
    paths: tuple[str, ...]
    service_account: str
    namespace: str
    ttl: int


@dataclass
class Token:
    role: str
    policies: list[str]
    paths: tuple[str, ...]
    meta: dict[str, str]
    ttl: int
    issued: float = field(default_factory=time.time)
    accessor: str = field(default_factory=lambda: secrets.token_urlsafe(18))


class FakeVault:
    """State of the fake (roles, tokens, KV v2 secrets) and its HTTP server on 127.0.0.1:0."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.roles: dict[str, Role] = {}
        self.tokens: dict[str, Token] = {}
        self.secrets: dict[tuple[str, str], list[Obj]] = {}
        self.mounts = {"secret"}
        self.logins = 0
        self.requests: list[str] = []
        handler = type("BoundVaultHandler", (VaultHandler,), {"vault": self})
        self._server = TrackingHTTPServer(handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.port}"

    def start(self) -> FakeVault:
        self._server.start("vault-fake")
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeVault:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def add_kubernetes_role(
        self,
        role: str,
        jwt: str,
        policies: list[str] | None = None,
        paths: tuple[str, ...] = ("*",),
        service_account: str = "dsensor",
        namespace: str = "dsensor",
        ttl: int = 3600,
    ) -> None:
        """Accept `jwt` for `role`; its tokens may read KV paths matching `paths` (globs)."""
        with self.lock:
            self.roles[role] = Role(
                jwt, policies or ["dsensor"], paths, service_account, namespace, ttl
            )

    def put_secret(self, path: str, data: dict[str, Any], mount: str = "secret") -> int:
        """Write a new KV v2 version of `path`; returns the version number."""
        with self.lock:
            versions = self.secrets.setdefault((mount, path.strip("/")), [])
            meta = {
                "created_time": _now(),
                "custom_metadata": None,
                "deletion_time": "",
                "destroyed": False,
                "version": len(versions) + 1,
            }
            versions.append({"data": dict(data), "metadata": meta})
            return len(versions)

    def soft_delete(self, path: str, mount: str = "secret") -> None:
        """Mark the latest version deleted, as `vault kv delete` does."""
        with self.lock:
            self.secrets[(mount, path.strip("/"))][-1]["metadata"]["deletion_time"] = _now()

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def issue_token(self, role: str) -> str:
        """A token for `role` without going through login (to set up a client directly)."""
        with self.lock:
            return self._issue(role)

    def _issue(self, role_name: str) -> str:
        role = self.roles[role_name]
        token = "hvs." + secrets.token_urlsafe(24)
        meta = {
            "role": role_name,
            "service_account_name": role.service_account,
            "service_account_namespace": role.namespace,
            "service_account_secret_name": "",
            "service_account_uid": str(uuid.uuid5(uuid.NAMESPACE_DNS, role.service_account)),
        }
        self.tokens[token] = Token(role_name, role.policies, role.paths, meta, role.ttl)
        return token

    def valid_token(self, token: str | None) -> Token | None:
        with self.lock:
            info = self.tokens.get(token or "")
            if info is not None and time.time() > info.issued + info.ttl:
                del self.tokens[token or ""]
                return None
            return info


def _envelope(**fields: Any) -> Obj:
    body: Obj = {
        "request_id": str(uuid.uuid4()),
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": None,
        "wrap_info": None,
        "warnings": None,
        "auth": None,
    }
    body.update(fields)
    return body


class VaultHandler(JsonHandler):
    vault: FakeVault

    def errors(self, code: int, *messages: str) -> None:
        self.send_json(code, {"errors": list(messages)})

    def token(self) -> tuple[str, Token | None]:
        header = self.headers.get("X-Vault-Token")
        auth = self.headers.get("Authorization", "")
        if header is None and auth.startswith("Bearer "):
            header = auth[len("Bearer ") :]
        return header or "", self.vault.valid_token(header)

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        path, _ = self.split_url()
        self.vault.requests.append(f"POST {path}")
        if path != "/v1/auth/kubernetes/login":
            self.errors(405, "unsupported operation")
            return
        try:
            body = self.read_json_body()
        except ValueError:
            self.errors(400, "failed to parse JSON input")
            return
        body = body if isinstance(body, dict) else {}
        role_name, jwt = body.get("role"), body.get("jwt")
        if not role_name:
            self.errors(400, "missing role")
            return
        if not jwt:
            self.errors(400, "missing jwt")
            return
        with self.vault.lock:
            role = self.vault.roles.get(str(role_name))
            if role is None:
                message = f'invalid role name "{role_name}"'
            elif not secrets.compare_digest(str(jwt), role.jwt):
                message = "permission denied"
            else:
                token = self.vault._issue(str(role_name))
                self.vault.logins += 1
                info = self.vault.tokens[token]
                message = ""
        if role is None:
            self.errors(400, message)
            return
        if message:
            self.errors(403, message)
            return
        auth = {
            "client_token": token,
            "accessor": info.accessor,
            "policies": ["default", *info.policies],
            "token_policies": ["default", *info.policies],
            "metadata": info.meta,
            "lease_duration": info.ttl,
            "renewable": True,
            "entity_id": str(uuid.uuid4()),
            "token_type": "service",
            "orphan": True,
            "mfa_requirement": None,
            "num_uses": 0,
        }
        self.send_json(200, _envelope(auth=auth))

    def do_GET(self) -> None:  # noqa: N802
        path, query = self.split_url()
        self.vault.requests.append(f"GET {path}")
        if path == "/v1/sys/health":
            self.send_json(200, {"initialized": True, "sealed": False, "standby": False})
            return
        token, info = self.token()
        if info is None:
            self.errors(403, "permission denied")
            return
        if path == "/v1/auth/token/lookup-self":
            self.send_json(200, _envelope(data=self.lookup(token, info)))
            return
        parts = path.split("/", 4)  # "", "v1", mount, "data", rest
        if len(parts) < 5 or parts[3] != "data" or parts[2] not in self.vault.mounts:
            self.errors(404, f"no handler for route {path!r}. route entry not found.")
            return
        mount, rest = parts[2], parts[4].strip("/")
        if not any(fnmatch.fnmatchcase(rest, pattern) for pattern in info.paths):
            self.errors(403, "permission denied")
            return
        self.read_kv(mount, rest, query.get("version"))

    def read_kv(self, mount: str, rest: str, version: str | None) -> None:
        with self.vault.lock:
            versions = self.vault.secrets.get((mount, rest), [])
            index = int(version) - 1 if version and version.isdigit() and int(version) else -1
            entry = versions[index] if versions and -1 <= index < len(versions) else None
            found = None if entry is None else {**entry, "metadata": dict(entry["metadata"])}
        if found is None:
            self.errors(404)
            return
        if found["metadata"]["deletion_time"]:
            self.send_json(404, _envelope(data={"data": None, "metadata": found["metadata"]}))
            return
        self.send_json(200, _envelope(data=found, mount_type="kv"))

    def lookup(self, token: str, info: Token) -> Obj:
        issued = datetime.fromtimestamp(info.issued, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        meta = info.meta
        return {
            "accessor": info.accessor,
            "creation_time": int(info.issued),
            "creation_ttl": info.ttl,
            "display_name": f"kubernetes-{meta['service_account_namespace']}-"
            f"{meta['service_account_name']}",
            "entity_id": str(uuid.uuid5(uuid.NAMESPACE_URL, info.role)),
            "expire_time": None,
            "explicit_max_ttl": 0,
            "id": token,
            "issue_time": issued,
            "meta": meta,
            "num_uses": 0,
            "orphan": True,
            "path": "auth/kubernetes/login",
            "policies": ["default", *info.policies],
            "renewable": True,
            "ttl": max(0, int(info.issued + info.ttl - time.time())),
            "type": "service",
        }
