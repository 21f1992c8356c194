from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.customer_changes import details_of
from isp_customers.use_cases.ports import UnitOfWork


async def get_customer(uow: UnitOfWork, customer_id: UUID) -> CustomerDetails:
    return await details_of(uow, customer_id)


async def get_customer_by_code(uow: UnitOfWork, customer_code: str) -> CustomerDetails:
    details = await uow.customers.details_by_code(customer_code)
    if details is None:
        raise NotFound("customer")
    return details
