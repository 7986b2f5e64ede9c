"""S3 for tests: moto's threaded server on 127.0.0.1 at a free port.

Gives `S3Server` with `endpoint_url`, `region`, `access_key`, `secret_key`, `client()` (a boto3
S3 client: path-style addressing, us-east-1, the dummy credentials passed explicitly so the
developer's AWS environment is never used) and `reset()` (drop every bucket).
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field
from typing import Any

REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint_url: str
    server: Any = field(repr=False)
    region: str = REGION
    access_key: str = "testing-access-key"
    secret_key: str = "testing-secret-key"
    _clients: list[Any] = field(default_factory=list, repr=False)

    def client(self, **extra: Any) -> Any:
        """A boto3 S3 client for this server (closed when the server stops)."""
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )
        config = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2})
        client = session.client("s3", endpoint_url=self.endpoint_url, config=config, **extra)
        self._clients.append(client)
        return client

    def reset(self) -> None:
        """Forget all buckets and objects (moto's reset endpoint)."""
        url = f"{self.endpoint_url}/moto-api/reset"  # always http://127.0.0.1:port
        request = urllib.request.Request(url, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
        self.server.stop()


def start_s3() -> S3Server:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return S3Server(endpoint_url=f"http://{host}:{port}", server=server)
