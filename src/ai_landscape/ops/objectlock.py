"""The run lock of an `s3://` warehouse: one object created by a conditional write.

S3 (and MinIO, and moto) accept `If-None-Match: *` on PutObject: the write succeeds only if
no object has that key, atomically. That is the lock. Its body is a lease (holder and expiry);
a run that finds an expired lease deletes it with `If-Match: <its ETag>`, so if two runs see
the same dead holder only one removes it, and both then race for the create, which one wins.
pyarrow's filesystem has no conditional writes, hence boto3 (installed with the S3 stack).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlparse

from ai_landscape.ops.lockinfo import (
    LOCK_NAME,
    POLL_SECONDS,
    WarehouseBusy,
    holder_info,
    lock_busy_message,
)

# What S3 answers when a conditional write or delete loses.
_LOST = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}


def _client():
    import boto3

    return boto3.client("s3")  # endpoint and credentials from the usual AWS_* variables


def lock_key(url: str) -> tuple[str, str]:
    parts = urlparse(url)
    if parts.scheme != "s3":
        raise ValueError(
            f"{url}: a run lock needs conditional writes, which this store only has for s3://"
        )
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/{LOCK_NAME}" if prefix else LOCK_NAME


@contextlib.contextmanager
def object_run_lock(url: str, wait_seconds: float, lease_seconds: float) -> Iterator[None]:
    from botocore.exceptions import ClientError

    client = _client()
    bucket, key = lock_key(url)
    deadline = time.monotonic() + wait_seconds
    holder = "holder unknown"
    while True:
        body = json.dumps(holder_info(lease_seconds)).encode()
        try:
            etag = client.put_object(Bucket=bucket, Key=key, Body=body, IfNoneMatch="*")["ETag"]
            break
        except ClientError as exc:
            if _code(exc) not in _LOST:
                raise
        holder = _remove_if_expired(client, bucket, key)
        if holder is None:
            continue  # an expired lease was removed: try to create ours at once
        if time.monotonic() >= deadline:
            raise WarehouseBusy(lock_busy_message(url, holder, wait_seconds))
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        with contextlib.suppress(ClientError):
            client.delete_object(Bucket=bucket, Key=key, IfMatch=etag)


def _remove_if_expired(client, bucket: str, key: str) -> str | None:
    """None when the lease was gone or expired (and is now removed), else who holds it."""
    from botocore.exceptions import ClientError

    try:
        found = client.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if _code(exc) in {"NoSuchKey", "404"}:
            return None
        raise
    try:
        info = json.loads(found["Body"].read())
        expires = datetime.fromisoformat(info["expires_at"])
        who = f"pid {info['pid']} on {info['host']} since {info['since']}"
    except (ValueError, KeyError):
        return "holder unknown (unreadable lease)"
    if expires > datetime.now(UTC):
        return who
    try:
        client.delete_object(Bucket=bucket, Key=key, IfMatch=found["ETag"])
    except ClientError as exc:
        if _code(exc) in _LOST:
            return who  # someone else replaced it first
        if _code(exc) not in {"NoSuchKey", "404"}:  # gone already: free
            raise
    return None


def _code(exc) -> str:
    error = exc.response.get("Error", {})
    return str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
