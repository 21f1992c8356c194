from __future__ import annotations

from isp_common.pagination import Page, PageRequest

from isp_customers.domain.listing import CustomerFilter, SortOrder
from isp_customers.domain.read_models import CustomerDetails
from isp_customers.use_cases.ports import UnitOfWork


async def list_customers(
    uow: UnitOfWork, where: CustomerFilter, sort: SortOrder, request: PageRequest
) -> Page[CustomerDetails]:
    return await uow.customers.page(where, sort, request)
