"""One handler per event type of the `boost.replicas` queue. Each decodes its contract and calls
one use case inside the consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from isp_common.contracts import decode
from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.messaging import consumer
from isp_common.messaging.envelope import Event

from isp_boost.use_cases.apply_replicas import apply_customer_snapshot, apply_plan_snapshot
from isp_boost.use_cases.ports import UnitOfWork

Handler = consumer.Handler[UnitOfWork]


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(uow, decode(event, CustomerSnapshot))


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(uow, decode(event, CustomerPlanChanged))


async def on_plan(event: Event, uow: UnitOfWork) -> None:
    await apply_plan_snapshot(uow, decode(event, ServicePlanSnapshot))


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(CUSTOMER_SNAPSHOT_TYPES, on_customer),
    CUSTOMER_PLAN_CHANGED: on_plan_changed,
    "billing.plan.created": on_plan,
    "billing.plan.updated": on_plan,
    "billing.plan.deleted": on_plan,
}
