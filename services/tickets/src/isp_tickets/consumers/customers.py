from __future__ import annotations

from isp_common.messaging.consumer import Consumer
from isp_common.messaging.topology import queue_spec

from isp_tickets.adapters.unit_of_work import TicketsUnitOfWork
from isp_tickets.bootstrap import Runtime
from isp_tickets.consumers.handlers import HANDLERS


def customers_consumer(runtime: Runtime) -> Consumer[TicketsUnitOfWork]:
    """The `tickets.customers` queue: the customer replica, and closing a deleted one's tickets."""
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("tickets", "customers"),
        handlers=HANDLERS,
        uow_factory=runtime.unit_of_work,
    )
