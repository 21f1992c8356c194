"""The background half of the service: the outbox relay, the two consumers (replicas, traffic)
and the periodic jobs of monitoring (partitions ahead, retention)."""

from __future__ import annotations

from isp_common.jobs import PeriodicJob
from isp_common.messaging.worker import Worker

from isp_network.bootstrap import Runtime
from isp_network.consumers.queues import replicas_consumer, traffic_consumer
from isp_network.use_cases.clock import utc_now
from isp_network.use_cases.retention import apply_retention, make_partitions_ahead


def monitoring_jobs(runtime: Runtime) -> list[PeriodicJob]:
    settings = runtime.settings

    async def partitions_ahead() -> None:
        await make_partitions_ahead(
            runtime.partitions, utc_now(), settings.network_partitions_ahead_days
        )

    async def retention() -> None:
        await apply_retention(runtime.partitions, utc_now(), settings.monitoring_retention)

    return [
        PeriodicJob("sample-partitions", settings.network_partition_job_seconds, partitions_ahead),
        PeriodicJob("sample-retention", settings.network_retention_job_seconds, retention),
    ]


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[replicas_consumer(runtime), traffic_consumer(runtime)],
        jobs=monitoring_jobs(runtime),
    )
