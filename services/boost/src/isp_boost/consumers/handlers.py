"""One handler per event type of the `boost.replicas` queue. Each decodes its contract and calls
one use case inside the consumer's unit of work (which also holds the inbox row)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from isp_common.contracts import decode
from isp_common.contracts.billing import ServicePlanSnapshot
from isp_common.contracts.customers import CustomerPlanChanged, CustomerSnapshot
from isp_common.db import UnitOfWork
from isp_common.messaging.envelope import Event

from isp_boost.adapters.unit_of_work import BoostUnitOfWork
from isp_boost.use_cases.apply_replicas import apply_customer_snapshot, apply_plan_snapshot

Handler = Callable[[Event, UnitOfWork], Awaitable[None]]
CUSTOMER_VERBS = (
    "created",
    "updated",
    "activated",
    "suspended",
    "restored",
    "terminated",
    "deleted",
)


def _boost(uow: UnitOfWork) -> BoostUnitOfWork:
    if not isinstance(uow, BoostUnitOfWork):
        raise TypeError("the boost consumer needs a BoostUnitOfWork")
    return uow


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(_boost(uow), decode(event, CustomerSnapshot))


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    await apply_customer_snapshot(_boost(uow), decode(event, CustomerPlanChanged))


async def on_plan(event: Event, uow: UnitOfWork) -> None:
    await apply_plan_snapshot(_boost(uow), decode(event, ServicePlanSnapshot))


HANDLERS: dict[str, Handler] = {
    **{f"customers.customer.{verb}": on_customer for verb in CUSTOMER_VERBS},
    "customers.customer.plan_changed": on_plan_changed,
    "billing.plan.created": on_plan,
    "billing.plan.updated": on_plan,
    "billing.plan.deleted": on_plan,
}
