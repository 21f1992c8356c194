"""The background half of the service: the outbox relay, the `boost.replicas` consumer and the
expiry job, which ends every boost whose `activated_at + duration_hours` has come.

The job runs on every worker replica every EXPIRY_INTERVAL_SECONDS; isp_common.jobs lets one
replica at a time do it (a Postgres advisory lock). A boost therefore ends on the router at most
about one interval after its time; its `ended_at` is still its exact expiry time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from isp_common.jobs import PeriodicJob, for_each_tenant
from isp_common.logging import get_logger
from isp_common.messaging.worker import Worker

from isp_boost.adapters.expiry_scan import tenants_with_due_boosts
from isp_boost.bootstrap import Runtime
from isp_boost.consumers.replicas import replicas_consumer
from isp_boost.use_cases.clock import utc_now
from isp_boost.use_cases.expire_due import BATCH, expire_due_boosts

EXPIRY_JOB = "expire-boosts"
EXPIRY_INTERVAL_SECONDS = 30.0
log = get_logger(__name__)


async def expire_due(runtime: Runtime, now: datetime | None = None) -> int:
    """One round: every tenant with due boosts, one transaction per tenant and batch; a tenant
    that fails is left for the next round, the others still end theirs. Returns how many boosts
    ended."""
    at = now or utc_now()

    async def expire_tenant(tenant_id: UUID) -> int:
        count = 0
        while True:
            batch = await runtime.run(tenant_id, expire_due_boosts, at)
            count += len(batch)
            if len(batch) < BATCH:
                return count

    done = await for_each_tenant(
        EXPIRY_JOB, await tenants_with_due_boosts(runtime.db, at), expire_tenant
    )
    ended = sum(done.results.values())
    if ended:
        log.info("boosts expired", count=ended)
    return ended


def expiry_job(
    runtime: Runtime,
    interval_seconds: float = EXPIRY_INTERVAL_SECONDS,
    clock: Callable[[], datetime] = utc_now,
) -> PeriodicJob:
    async def run() -> None:
        await expire_due(runtime, clock())

    return PeriodicJob(EXPIRY_JOB, interval_seconds, run)


def build_worker(runtime: Runtime) -> Worker:
    jobs: list[PeriodicJob] = [expiry_job(runtime)]
    return Worker(runtime.settings, runtime.db, consumers=[replicas_consumer(runtime)], jobs=jobs)
