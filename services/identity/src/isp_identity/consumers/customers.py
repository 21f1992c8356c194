"""The `identity.customers` queue: a portal account per customer, following customers' events."""

from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_identity.adapters.unit_of_work import IdentityUnitOfWork
from isp_identity.bootstrap import Runtime


def customers_consumer(runtime: Runtime) -> Consumer[IdentityUnitOfWork]:
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("identity", "customers"),
        handlers={},
        uow_factory=runtime.unit_of_work,
    )
