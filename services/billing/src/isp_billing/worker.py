"""The background half of the service: the outbox relay, the `billing.replicas` consumer and the
daily run (each tenant's billing run and overdue check at its configured local hour)."""

from __future__ import annotations

from isp_common.jobs import PeriodicJob
from isp_common.logging import get_logger
from isp_common.messaging.worker import Worker

from isp_billing.adapters.settings_repository import tenants_due_for_daily_run
from isp_billing.bootstrap import Runtime
from isp_billing.consumers.replicas import replicas_consumer
from isp_billing.use_cases.daily_run import daily_run

log = get_logger(__name__)


def daily_run_job(runtime: Runtime) -> PeriodicJob:
    async def run_due_tenants() -> None:
        # One tenant per transaction: a failing tenant does not hold the others back.
        for due in await tenants_due_for_daily_run(runtime.db):
            try:
                await runtime.run(due.tenant_id, daily_run, due.local_day)
            except Exception as exc:
                log.exception("daily run failed", tenant_id=str(due.tenant_id), error=str(exc))

    return PeriodicJob("daily-billing-run", runtime.daily_check_seconds, run_due_tenants)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[replicas_consumer(runtime)],
        jobs=[daily_run_job(runtime)],
    )
