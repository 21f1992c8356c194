"""Periodic jobs that run on one replica at a time.

Every replica runs a `JobRunner` with the same jobs. Before a run it takes a Postgres session
advisory lock named after the schema and the job, on a connection it keeps for the whole run; a
replica that cannot take the lock skips that round. If the replica dies mid-run its connection
goes and the lock with it, so no job stays locked by a dead process.

A job that works tenant by tenant goes through `for_each_tenant`: one tenant's failure is logged
and counted, and the round goes on with the others, so one broken tenant never holds every other
tenant's billing run or boost expiry back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from isp_common import metrics
from isp_common.db import Database
from isp_common.logging import get_logger

log = get_logger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[None]]


class JobRunner:
    def __init__(self, db: Database, jobs: Sequence[PeriodicJob]) -> None:
        self.db = db
        self.jobs = list(jobs)

    def lock_key(self, job: PeriodicJob) -> str:
        return f"{self.db.schema}.{job.name}"

    async def run_once(self, job: PeriodicJob) -> bool:
        """One round of `job`: False if another replica holds it (this round is skipped).
        A failing job is logged and counted, not raised: the next round tries again."""
        key = self.lock_key(job)
        async with self.db.engine.connect() as conn:
            if not await _try_lock(conn, key):
                metrics.JOB_RUNS.labels(job.name, "skipped").inc()
                return False
            try:
                started = time.monotonic()
                await job.run()
            except Exception as exc:
                metrics.JOB_RUNS.labels(job.name, "failed").inc()
                log.exception("periodic job failed", job=job.name, error=str(exc))
            else:
                metrics.JOB_RUNS.labels(job.name, "ok").inc()
                log.debug("periodic job ran", job=job.name, seconds=time.monotonic() - started)
            finally:
                await _unlock(conn, key)
            return True

    async def run(self) -> None:
        """Every job on its own schedule, until cancelled (a runner with none just waits, so a
        worker treats it like any other part that is still running)."""
        if not self.jobs:
            await asyncio.Event().wait()
        async with asyncio.TaskGroup() as group:
            for job in self.jobs:
                group.create_task(self._schedule(job), name=f"job {job.name}")

    async def _schedule(self, job: PeriodicJob) -> None:
        while True:
            started = time.monotonic()
            try:
                await self.run_once(job)
            except Exception as exc:  # the database, not the job: try again next round
                metrics.JOB_RUNS.labels(job.name, "failed").inc()
                log.warning("periodic job could not run", job=job.name, error=str(exc))
            elapsed = time.monotonic() - started
            await asyncio.sleep(max(job.interval_seconds - elapsed, 0.0))


@dataclass
class TenantRound(Generic[T]):
    """What one round of a per-tenant job did: each tenant's result, and who failed."""

    results: dict[UUID, T] = field(default_factory=dict)
    failed: list[UUID] = field(default_factory=list)


async def for_each_tenant(
    job_name: str, tenant_ids: Iterable[UUID], run: Callable[[UUID], Awaitable[T]]
) -> TenantRound[T]:
    """`run(tenant_id)` for every tenant in turn. A tenant that fails is logged and counted
    (`isp_job_tenant_failures_total{job_name}`) and the round goes on: its work is retried by
    the next round, while the tenants after it are not kept waiting for it to be fixed."""
    done: TenantRound[T] = TenantRound()
    for tenant_id in tenant_ids:
        try:
            done.results[tenant_id] = await run(tenant_id)
        except Exception as exc:  # cancellation (BaseException) still stops the round
            done.failed.append(tenant_id)
            metrics.JOB_TENANT_FAILURES.labels(job_name).inc()
            log.exception(
                "periodic job failed for a tenant",
                job=job_name,
                tenant_id=str(tenant_id),
                error=str(exc),
            )
    return done


async def _try_lock(conn: AsyncConnection, key: str) -> bool:
    locked = await conn.scalar(text("select pg_try_advisory_lock(hashtext(:key))"), {"key": key})
    # A session lock outlives the transaction; ending it keeps the connection from sitting
    # idle in a transaction for the length of the job.
    await conn.commit()
    return bool(locked)


async def _unlock(conn: AsyncConnection, key: str) -> None:
    try:
        await conn.scalar(text("select pg_advisory_unlock(hashtext(:key))"), {"key": key})
        await conn.commit()
    except BaseException:
        # Returned to the pool still holding the lock, the connection would block the job on
        # every replica; dropping it releases the lock on the server.
        with contextlib.suppress(Exception):
            await conn.invalidate()
        raise
