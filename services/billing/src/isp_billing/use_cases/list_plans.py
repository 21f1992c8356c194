from __future__ import annotations

from isp_common.pagination import Page, PageRequest

from isp_billing.adapters.plan_repository import PlanFilter
from isp_billing.adapters.unit_of_work import BillingUnitOfWork
from isp_billing.domain.plans import ServicePlan


async def list_plans(
    uow: BillingUnitOfWork, where: PlanFilter, request: PageRequest
) -> Page[ServicePlan]:
    return await uow.plans.page(where, request)
