"""The background half of the service: the outbox relay, the `billing.replicas` consumer and the
daily run (each tenant's billing run and overdue check at its configured local hour)."""

from __future__ import annotations

from uuid import UUID

from isp_common.jobs import PeriodicJob, for_each_tenant
from isp_common.messaging.worker import Worker

from isp_billing.adapters.settings_repository import tenants_due_for_daily_run
from isp_billing.bootstrap import Runtime
from isp_billing.consumers.replicas import replicas_consumer
from isp_billing.use_cases.daily_run import daily_run

DAILY_RUN_JOB = "daily-billing-run"


def daily_run_job(runtime: Runtime) -> PeriodicJob:
    async def run_due_tenants() -> None:
        # One tenant per transaction; for_each_tenant keeps a failing one from holding the
        # others back.
        local_day = {
            due.tenant_id: due.local_day for due in await tenants_due_for_daily_run(runtime.db)
        }

        async def run_tenant(tenant_id: UUID) -> None:
            await runtime.run(tenant_id, daily_run, local_day[tenant_id])

        await for_each_tenant(DAILY_RUN_JOB, local_day, run_tenant)

    return PeriodicJob(DAILY_RUN_JOB, runtime.daily_check_seconds, run_due_tenants)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[replicas_consumer(runtime)],
        jobs=[daily_run_job(runtime)],
    )
