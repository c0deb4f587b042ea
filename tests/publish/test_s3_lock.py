"""The run lock of an s3:// warehouse: a conditional write on moto's S3 server (#14.2)."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta

import boto3

from ai_landscape.ops.concurrency import warehouse_slot
from ai_landscape.ops.objectlock import lock_key, object_run_lock
from tests.publish.test_s3 import root, s3_endpoint  # noqa: F401  (fixtures)

LEASE = 3600.0


def test_a_second_run_waits_until_the_first_lets_go(root):  # noqa: F811
    held = threading.Event()
    release = threading.Event()
    entered: list[float] = []

    def first() -> None:
        with object_run_lock(root, wait_seconds=3600, lease_seconds=LEASE):
            held.set()
            release.wait(60)
            entered.append(-time.time())  # when the first let go (negative: marks who)

    def second() -> None:
        with warehouse_slot(root):  # the flow's entry: no Prefect server, so the lock alone
            entered.append(time.time())

    one = threading.Thread(target=first)
    one.start()
    assert held.wait(30)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(3)
    assert entered == []  # the second is still waiting
    release.set()
    one.join(30)
    two.join(60)
    let_go, got = entered
    assert got >= -let_go
    bucket, key = lock_key(root)
    listed = boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=key)
    assert listed.get("KeyCount", 0) == 0  # released: the lock object is gone


def test_a_dead_holders_expired_lease_is_taken_over(root):  # noqa: F811
    bucket, key = lock_key(root)
    s3 = boto3.client("s3")
    expired = datetime.now(UTC) - timedelta(minutes=1)
    lease = {"pid": 1, "host": "gone", "since": "2026-01-01T00:00:00+00:00"}
    s3.put_object(
        Bucket=bucket, Key=key, Body=json.dumps({**lease, "expires_at": expired.isoformat()})
    )
    started = time.monotonic()
    with object_run_lock(root, wait_seconds=3600, lease_seconds=LEASE):
        body = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert time.monotonic() - started < 5
    assert body["host"] != "gone"


def test_of_two_racing_runs_exactly_one_holds_at_a_time(root):  # noqa: F811
    inside = []
    overlaps = []
    lock = threading.Lock()

    def run() -> None:
        with object_run_lock(root, wait_seconds=3600, lease_seconds=LEASE):
            with lock:
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(len(inside))
            time.sleep(0.5)
            with lock:
                inside.pop()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)
    assert overlaps == []
