from __future__ import annotations

from isp_common.pagination import Page, PageRequest

from isp_billing.domain.listing import PlanFilter
from isp_billing.domain.plans import ServicePlan
from isp_billing.use_cases.ports import UnitOfWork


async def list_plans(uow: UnitOfWork, where: PlanFilter, request: PageRequest) -> Page[ServicePlan]:
    return await uow.plans.page(where, request)
