"""The background half of the service: the outbox relay and the `customers.replicas` consumer."""

from __future__ import annotations

from isp_common.jobs import PeriodicJob
from isp_common.messaging.worker import Worker

from isp_customers.bootstrap import Runtime
from isp_customers.consumers.replicas import replicas_consumer


async def _idle() -> None:
    return None


# Workaround: isp_common's JobRunner.run returns at once when it has no job, and Worker.run
# takes any finished part for a crash and stops. Customers has no periodic job of its own yet;
# drop this once the runner waits when idle.
_KEEP_JOB_RUNNER_ALIVE = PeriodicJob("idle", interval_seconds=3600.0, run=_idle)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[replicas_consumer(runtime)],
        jobs=[_KEEP_JOB_RUNNER_ALIVE],
    )
