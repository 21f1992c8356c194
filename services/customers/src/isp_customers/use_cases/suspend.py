from __future__ import annotations

from uuid import UUID

from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.clock import utc_now
from isp_customers.use_cases.customer_changes import customer_to_change, details_of, save_change
from isp_customers.use_cases.ports import UnitOfWork


async def suspend_customer(uow: UnitOfWork, customer_id: UUID, reason: str) -> CustomerDetails:
    customer = await customer_to_change(uow, customer_id)
    await save_change(uow, customer.suspend(reason, utc_now()))
    return await details_of(uow, customer_id)
