"""The background half of the service: the outbox relay and the `tickets.customers` consumer."""

from __future__ import annotations

from isp_common.messaging.worker import Worker

from isp_tickets.bootstrap import Runtime
from isp_tickets.consumers.customers import customers_consumer


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime.settings, runtime.db, consumers=[customers_consumer(runtime)], jobs=[])
