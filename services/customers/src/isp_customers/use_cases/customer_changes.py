"""Loading a customer to change it, and writing a change with its event."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel

from isp_common.errors import NotFound

from isp_customers.domain.customer import Customer, CustomerChange
from isp_customers.domain.errors import identifiers_taken
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.ports import UnitOfWork
from isp_customers.use_cases.snapshots import customer_snapshot


async def customer_to_change(uow: UnitOfWork, customer_id: UUID) -> Customer:
    """The customer, locked until commit so that concurrent changes queue up behind each other."""
    customer = await uow.customers.get(customer_id, for_update=True)
    if customer is None:
        raise NotFound("customer")
    return customer


async def details_of(uow: UnitOfWork, customer_id: UUID) -> CustomerDetails:
    details = await uow.customers.details(customer_id)
    if details is None:
        raise NotFound("customer")
    return details


async def ensure_identifiers_free(uow: UnitOfWork, customer: Customer) -> None:
    taken = await uow.customers.taken_identifiers(customer)
    if taken:
        raise identifiers_taken(taken)


async def save_change(
    uow: UnitOfWork, change: CustomerChange, data: BaseModel | None = None
) -> None:
    await uow.customers.save(change.customer)
    raise_change_event(uow, change, data)


def raise_change_event(
    uow: UnitOfWork, change: CustomerChange, data: BaseModel | None = None
) -> None:
    customer = change.customer
    uow.raise_event(
        change.event.event_type,
        customer.id,
        customer.version,
        data if data is not None else customer_snapshot(customer),
    )
