"""One run at a time per warehouse, across machines: a Prefect global concurrency limit.

The store's `fcntl` lock serialises publishes into one machine's disk and holds without
Prefect. It cannot serialise workers on several machines, nor writers of an object-store
warehouse, which has no lock at all. For those a run takes one slot of a global concurrency
limit named after its warehouse (`landscape-warehouse-<hash of the root>`, limit 1) on the
Prefect server every worker talks to. Held from reading the latest snapshot to committing the
new one, it also makes the second of two concurrent runs start from the first one's result:
the second waits, then usually reports "unchanged".

How Prefect 3.9 behaves, and what this module does about it (checked on a real server):

- A limit that does not exist is skipped with only a warning unless `strict=True`: nothing
  would be locked. So the limit is created on first use (1 slot) and acquired strictly.
- A holder that dies: on a server started with `prefect server start` its lease expires
  after `LEASE_SECONDS` and the server's repossessor frees the slot. On the ephemeral API
  (no `PREFECT_API_URL`: each process starts its own temporary server on the shared sqlite
  database) there is no repossessor and the slot would stay taken forever. So there the
  global limit is not used, and the warehouse's run lock (`ops.runlock`: a file lock, or a
  conditional write on S3), which every run takes in every setup, serialises runs.
- A run that cannot get the slot within `LANDSCAPE_WAREHOUSE_WAIT_SECONDS` (default one
  hour) fails with `WarehouseBusy` and publishes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ai_landscape import settings
from ai_landscape.ops.deadline import lease_seconds
from ai_landscape.ops.runlock import WarehouseBusy, run_lock
from ai_landscape.publish.warehouse import normalize_root
from ai_landscape.settings import WAIT_ENV

__all__ = ["WarehouseBusy", "limit_name", "warehouse_slot"]

LIMIT_PREFIX = "landscape-warehouse-"
LEASE_SECONDS = 300.0

log = logging.getLogger(__name__)


def canonical_root(warehouse: str | os.PathLike) -> str:
    """One spelling per warehouse, so that every run of it computes the same limit name."""
    root = normalize_root(warehouse)
    return root if isinstance(root, str) else str(root.expanduser().resolve())


def limit_name(warehouse: str | os.PathLike) -> str:
    digest = hashlib.sha256(canonical_root(warehouse).encode()).hexdigest()[:12]
    return f"{LIMIT_PREFIX}{digest}"


def uses_server() -> bool:
    """True when runs talk to a Prefect server (`PREFECT_API_URL`), not the ephemeral API."""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def wait_seconds() -> float:
    return settings.current().warehouse_wait_seconds


def busy_message(warehouse: str | os.PathLike, name: str, waited: float) -> str:
    return (
        f"warehouse {canonical_root(warehouse)} is busy: another run holds the Prefect "
        f"concurrency limit {name!r} and did not release it within {waited:.0f} s; nothing "
        f"was published. Retry later, or wait longer by raising {WAIT_ENV}."
    )


def ensure_limit(name: str) -> None:
    """Create the limit with one slot unless it exists (another run may create it first)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=1)
                )
                log.info("created global concurrency limit %s (1 slot)", name)
            except ObjectAlreadyExists:
                pass


@contextmanager
def warehouse_slot(
    warehouse: str | os.PathLike,
    timeout_seconds: float | None = None,
    lease: float | None = None,
) -> Iterator[str | None]:
    """Hold the warehouse for the duration of the block: the Prefect slot when there is a
    server, and in every setup the warehouse's run lock (`ops.runlock`). Yields the limit's
    name (None on the ephemeral API). `lease`: how long an S3 run lock outlives a holder that
    died (default: the run deadline plus a margin)."""
    wait = wait_seconds() if timeout_seconds is None else timeout_seconds
    lease = lease_seconds() if lease is None else lease
    with prefect_slot(warehouse, wait) as name, run_lock(warehouse, wait, lease):
        yield name


@contextmanager
def prefect_slot(warehouse: str | os.PathLike, wait: float) -> Iterator[str | None]:
    """The global concurrency limit's slot; nothing on the ephemeral API."""
    if not uses_server():
        log.info("no Prefect server: the warehouse's run lock alone serialises runs")
        yield None
        return

    from prefect.concurrency.asyncio import AcquireConcurrencySlotTimeoutError
    from prefect.concurrency.sync import concurrency

    name = limit_name(warehouse)
    ensure_limit(name)
    started = time.monotonic()
    entered = False
    try:
        with concurrency(
            name,
            occupy=1,
            timeout_seconds=wait,
            strict=True,
            lease_duration=LEASE_SECONDS,
            holder=_holder(),
        ):
            entered = True
            waited = time.monotonic() - started
            if waited >= 1:
                log.info("waited %.0f s for %s", waited, name)
            yield name
    except AcquireConcurrencySlotTimeoutError:
        if entered:
            raise
        raise WarehouseBusy(busy_message(warehouse, name, wait)) from None


def _holder():
    """The flow run holding the slot, so `prefect gcl inspect` can say who has it."""
    from prefect.client.schemas.objects import ConcurrencyLeaseHolder
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return None
    return ConcurrencyLeaseHolder(type="flow_run", id=context.flow_run.id)
