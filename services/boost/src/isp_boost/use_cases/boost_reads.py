"""Reads: a request, a page of requests, the active boost, the tenant's pricing."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_boost.domain.boost import BoostRequest
from isp_boost.domain.history import BoostHistory
from isp_boost.domain.listing import BoostFilter
from isp_boost.domain.pricing import BoostPricing
from isp_boost.use_cases.boost_changes import REQUEST
from isp_boost.use_cases.ports import UnitOfWork


@dataclass(frozen=True)
class ActiveBoost:
    history: BoostHistory
    request: BoostRequest


async def get_request(uow: UnitOfWork, request_id: UUID) -> BoostRequest:
    request = await uow.requests.get(request_id)
    if request is None:
        raise NotFound(REQUEST)
    return request


async def list_requests(
    uow: UnitOfWork, where: BoostFilter, page: PageRequest
) -> Page[BoostRequest]:
    return await uow.requests.page(where, page)


async def get_active_boost(uow: UnitOfWork, customer_id: UUID) -> ActiveBoost:
    history = await uow.history.active_for(customer_id)
    request = await uow.requests.get(history.request_id) if history else None
    if history is None or request is None:
        raise NotFound("active speed boost")
    return ActiveBoost(history, request)


async def get_pricing(uow: UnitOfWork) -> BoostPricing:
    return await uow.pricing.get()
