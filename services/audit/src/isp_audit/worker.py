"""The background half of the service: the `audit.trail` consumer.

The relay runs too, as in every service, though the audit service raises no events of its own
(an event about an audit row would come back to the trail, which takes every event)."""

from __future__ import annotations

from isp_common.messaging.worker import Worker

from isp_audit.bootstrap import Runtime
from isp_audit.consumers.trail import trail_consumer


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime.settings, runtime.db, consumers=[trail_consumer(runtime)], jobs=[])
