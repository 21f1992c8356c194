from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_boost.adapters.unit_of_work import BoostUnitOfWork
from isp_boost.bootstrap import Runtime
from isp_boost.consumers.handlers import HANDLERS


def replicas_consumer(runtime: Runtime) -> Consumer[BoostUnitOfWork]:
    """The `boost.replicas` queue: customers (plan id, status) and plans (speeds)."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("boost", "replicas"),
        handlers=HANDLERS,
        uow_factory=runtime.unit_of_work,
    )
