"""The background half of the service: the outbox relay, the `boost.replicas` consumer and the
expiry job."""

from __future__ import annotations

from isp_common.jobs import PeriodicJob
from isp_common.messaging.worker import Worker

from isp_boost.bootstrap import Runtime
from isp_boost.consumers.replicas import replicas_consumer
from isp_boost.jobs import expiry_job


def build_worker(runtime: Runtime) -> Worker:
    jobs: list[PeriodicJob] = [expiry_job(runtime)]
    return Worker(runtime.settings, runtime.db, consumers=[replicas_consumer(runtime)], jobs=jobs)
