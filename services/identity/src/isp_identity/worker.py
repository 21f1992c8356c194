"""The background half of the service: the outbox relay, the `identity.customers` consumer
(portal accounts follow customers) and the signing-key rotation job."""

from __future__ import annotations

from isp_common.messaging.worker import Worker

from isp_identity.bootstrap import Runtime
from isp_identity.consumers.customers import customers_consumer


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime.settings,
        runtime.db,
        consumers=[customers_consumer(runtime)],
        jobs=[],  # the signing-key rotation job joins here
    )
