"""The S3 fixture: moto's server through a real boto3 client."""

from __future__ import annotations

from tests.harness.s3 import S3Server


def test_bucket_object_round_trip(s3_server: S3Server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="harness-bucket")
    s3.put_object(Bucket="harness-bucket", Key="a/b.json", Body=b'{"x": 1}')
    body = s3.get_object(Bucket="harness-bucket", Key="a/b.json")["Body"]
    try:
        assert body.read() == b'{"x": 1}'
    finally:
        body.close()
    listed = s3.list_objects_v2(Bucket="harness-bucket")
    assert [o["Key"] for o in listed["Contents"]] == ["a/b.json"]
    assert s3.meta.endpoint_url == s3_server.endpoint_url


def test_reset_forgets_buckets(s3_server: S3Server) -> None:
    s3 = s3_server.client()
    s3.create_bucket(Bucket="harness-reset")
    s3_server.reset()
    assert "harness-reset" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
