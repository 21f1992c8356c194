"""The `identity.customers` queue: a portal account per customer, following customers' events.
Each handler decodes the contract and calls one use case inside the consumer's unit of work
(which also holds the inbox row)."""

from __future__ import annotations

from isp_common.contracts import decode
from isp_common.contracts.customers import (
    CUSTOMER_PLAN_CHANGED,
    CUSTOMER_SNAPSHOT_TYPES,
    CustomerPlanChanged,
    CustomerSnapshot,
)
from isp_common.messaging import consumer
from isp_common.messaging.consumer import Consumer
from isp_common.messaging.envelope import Event
from isp_common.messaging.topology import queue_spec

from isp_identity.adapters.unit_of_work import IdentityUnitOfWork
from isp_identity.bootstrap import Runtime
from isp_identity.domain.portal import CustomerFacts
from isp_identity.use_cases.apply_customer_snapshot import apply_customer_snapshot
from isp_identity.use_cases.ports import UnitOfWork

Handler = consumer.Handler[UnitOfWork]


async def on_customer(event: Event, uow: UnitOfWork) -> None:
    await _apply(uow, decode(event, CustomerSnapshot))


async def on_plan_changed(event: Event, uow: UnitOfWork) -> None:
    # It carries the whole snapshot too, at a version of the same sequence.
    await _apply(uow, decode(event, CustomerPlanChanged))


async def _apply(uow: UnitOfWork, snapshot: CustomerSnapshot) -> None:
    await apply_customer_snapshot(
        uow,
        CustomerFacts(
            customer_id=snapshot.id,
            customer_code=snapshot.customer_code,
            pppoe_username=snapshot.pppoe_username,
            phone=snapshot.phone,
            status=snapshot.status,
            deleted=snapshot.is_deleted,
            version=snapshot.version,
        ),
    )


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(CUSTOMER_SNAPSHOT_TYPES, on_customer),
    CUSTOMER_PLAN_CHANGED: on_plan_changed,
}


def customers_consumer(runtime: Runtime) -> Consumer[IdentityUnitOfWork]:
    return Consumer(
        runtime.settings,
        runtime.db,
        spec=queue_spec("identity", "customers"),
        handlers=HANDLERS,
        uow_factory=runtime.unit_of_work,
    )
