"""The background half of the service: the outbox relay and the `customers.replicas` consumer."""

from __future__ import annotations

from isp_common.messaging.worker import Worker

from isp_customers.bootstrap import Runtime
from isp_customers.consumers.replicas import replicas_consumer


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime.settings, runtime.db, consumers=[replicas_consumer(runtime)], jobs=[])
