"""A boto3 S3 client for one connection: custom endpoints, static keys or the default chain,
assume-role with refreshing credentials, and retries with capped exponential backoff.

botocore's own retries are off; `with_retries` retries throttling, 5xx and connection errors
up to `retrymaxattempts` times, waiting at most `retrymaxbackoffdelay` between attempts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError
from botocore.session import get_session

from sensor_dar.connections import S3Connection

T = TypeVar("T")
RETRY_CODES = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "InternalError",
        "ServiceUnavailable",
        "503",
        "500",
    }
)
BASE_BACKOFF_SECONDS = 0.25
CONNECT_TIMEOUT_SECONDS = 10


def error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error_code(exc) in RETRY_CODES or int(status) >= 500
    return isinstance(exc, BotoCoreError)


def with_retries(call: Callable[[], T], attempts: int, max_backoff: float) -> T:
    """`call()` with up to `attempts` tries; full-jitter exponential backoff, capped."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except (ClientError, BotoCoreError) as exc:
            if attempt >= attempts or not _retryable(exc):
                raise
            delay = min(max_backoff, BASE_BACKOFF_SECONDS * 2 ** (attempt - 1))
            time.sleep(random.uniform(delay / 2, delay))
    raise AssertionError("unreachable")


def _assume_role_credentials(
    base: boto3.session.Session, conn: S3Connection, endpoint: str | None
) -> RefreshableCredentials:
    sts = base.client("sts", endpoint_url=endpoint, region_name=conn.region)

    def refresh() -> dict[str, str]:
        out = with_retries(
            lambda: sts.assume_role(
                RoleArn=conn.rolearn,
                RoleSessionName=conn.rolesessionname,
                DurationSeconds=int(conn.duration),
            ),
            conn.retrymaxattempts,
            conn.retrymaxbackoffdelay,
        )
        creds = out["Credentials"]
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": creds["Expiration"].isoformat(),
        }

    return RefreshableCredentials.create_from_metadata(
        metadata=refresh(), refresh_using=refresh, method="sts-assume-role"
    )


def make_client(conn: S3Connection, timeout: float) -> Any:
    """An S3 client for `conn`; static keys when given, else the standard AWS chain."""
    endpoint = conn.url or None
    secret = conn.secretaccesskey.get_secret_value()
    base = boto3.session.Session(
        aws_access_key_id=conn.accesskeyid or None,
        aws_secret_access_key=secret or None,
        region_name=conn.region,
    )
    session = base
    if conn.rolearn:
        botocore_session = get_session()
        botocore_session._credentials = _assume_role_credentials(base, conn, endpoint)
        botocore_session.set_config_variable("region", conn.region)
        session = boto3.session.Session(botocore_session=botocore_session)
    config = Config(
        retries={"total_max_attempts": 1},
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=max(1.0, timeout),
        s3={"addressing_style": "path" if conn.type == "minio" or endpoint else "auto"},
        user_agent_extra="dsensor-crawler",
    )
    return session.client("s3", endpoint_url=endpoint, config=config)
