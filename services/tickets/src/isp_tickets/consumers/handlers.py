"""The handlers of the `tickets.customers` queue. Each decodes its contract and calls one use case
inside the consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from isp_common import context
from isp_common.contracts import decode
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.messaging import consumer
from isp_common.messaging.envelope import Event

from isp_tickets.use_cases.apply_customer_snapshot import apply_customer_snapshot
from isp_tickets.use_cases.ports import UnitOfWork

Handler = consumer.Handler[UnitOfWork]


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    # Whoever deleted the customer (the event's actor) is who closed their tickets.
    await apply_customer_snapshot(uow, decode(event, CustomerSnapshot), by=context.get().actor.sub)


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(
        uow, decode(event, CustomerPlanChanged), by=context.get().actor.sub
    )


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(CUSTOMER_SNAPSHOT_TYPES, on_customer),
    CUSTOMER_PLAN_CHANGED: on_plan_changed,
}
