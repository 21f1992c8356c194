from __future__ import annotations

from uuid import UUID

from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import customer_to_change, save_change
from isp_customers.use_cases.ports import UnitOfWork


async def delete_customer(uow: UnitOfWork, customer_id: UUID) -> None:
    """A soft delete: the row stays (codes are never reused), every read answers 404, and the
    event tells the other services to drop their live records of the customer."""
    customer = await customer_to_change(uow, customer_id)
    await save_change(uow, customer.delete(utc_now()))
