"""Reading sampled objects: ranged GETs with size caps, records through sensor_dar.formats.

A text object is read from its start up to `maxobjectbytes`; a Parquet object through a
seekable file whose ranged reads stop at a byte budget (footer plus first row group). Access and
encryption errors become reason codes per object.
"""

from __future__ import annotations

import io
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from plugins.s3.client import error_code, with_retries
from sensor_dar.connections import S3Connection
from sensor_dar.formats import Parsed, format_of, parse_parquet, parse_prefix

ACCESS_CODES = frozenset({"AccessDenied", "AllAccessDisabled", "403", "Forbidden"})
ENCRYPTION_CODES = frozenset(
    {"KMS.DisabledException", "KMS.NotFoundException", "KMSAccessDenied", "InvalidRequest"}
)
PARQUET_BUDGET_FACTOR = 8


def object_reason(exc: Exception) -> str:
    code = error_code(exc)
    if code in ACCESS_CODES:
        return "access_denied"
    if code in ENCRYPTION_CODES or code.startswith("KMS"):
        return "encryption_error"
    if code in ("NoSuchKey", "404", "NotFound"):
        return "not_found"
    if code == "InvalidObjectState":
        return "archived"
    if isinstance(exc, BotoCoreError):
        return "unreachable"
    return "read_failed"


class RangedObject(io.RawIOBase):
    """A seekable read-only view of one object; every read is a ranged GET within a budget."""

    def __init__(
        self, client: Any, conn: S3Connection, bucket: str, key: str, size: int, budget: int
    ) -> None:
        super().__init__()
        self._client, self._conn = client, conn
        self._bucket, self._key, self._size = bucket, key, size
        self._pos = 0
        self.budget = budget
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        want = min(len(view), self._size - self._pos)
        if want <= 0:
            return 0
        if self.bytes_read + want > self.budget:
            raise OSError("read budget exhausted")
        data = get_range(self._client, self._conn, self._bucket, self._key, self._pos, want)
        view[: len(data)] = data
        self._pos += len(data)
        self.bytes_read += len(data)
        return len(data)


def get_range(
    client: Any, conn: S3Connection, bucket: str, key: str, start: int, length: int
) -> bytes:
    def call() -> bytes:
        out = client.get_object(Bucket=bucket, Key=key, Range=f"bytes={start}-{start + length - 1}")
        body = out["Body"]
        try:
            return bytes(body.read(length))
        finally:
            body.close()

    return with_retries(call, conn.retrymaxattempts, conn.retrymaxbackoffdelay)


def read_object(
    client: Any, conn: S3Connection, bucket: str, key: str, size: int, max_bytes: int, limit: int
) -> tuple[Parsed, int]:
    """(records and problems, bytes read) of one object; ClientError/BotoCoreError propagate."""
    kind, gz = format_of(key)
    if size == 0:
        return Parsed(), 0
    if kind == "parquet" and not gz:
        budget = max_bytes * PARQUET_BUDGET_FACTOR
        with RangedObject(client, conn, bucket, key, size, budget) as reader:
            parsed = parse_parquet(reader, limit)
            return parsed, reader.bytes_read
    length = min(size, max_bytes)
    data = get_range(client, conn, bucket, key, 0, length)
    parsed = parse_prefix(key, data, complete=length >= size, limit=limit, max_bytes=max_bytes)
    return parsed, len(data)


__all__ = ["ClientError", "RangedObject", "object_reason", "read_object"]
