"""Operator views of the routers and their operation log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from isp_common.errors import NotFound
from isp_common.pagination import Page, PageRequest

from isp_mikrotik_agent.domain.stored_state import RouterRecord
from isp_mikrotik_agent.use_cases.ports import UnitOfWork


async def list_routers(uow: UnitOfWork, request: PageRequest) -> Page[RouterRecord]:
    items, total = await uow.routers.page(request)
    return Page(items, total, request)


async def get_router(uow: UnitOfWork, router_id: UUID) -> RouterRecord:
    router = await uow.routers.get(router_id)
    if router is None:
        raise NotFound("router")
    return router


async def list_operations(
    uow: UnitOfWork, router_id: UUID, customer_id: UUID | None, request: PageRequest
) -> Page[dict[str, Any]]:
    await get_router(uow, router_id)
    items, total = await uow.operations.page(router_id, customer_id, request)
    return Page(items, total, request)


async def request_sync(uow: UnitOfWork, router_id: UUID) -> RouterRecord:
    """The router's lane (on whichever replica holds it) runs a full reconcile soon."""
    router = await get_router(uow, router_id)
    await uow.routers.request_sync(router_id, datetime.now(UTC))
    await uow.desired.notify()
    return router
