from __future__ import annotations

from isp_common.pagination import Page, PageRequest

from isp_tickets.domain.read_models import TicketFilter, TicketView
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork


async def list_tickets(
    uow: UnitOfWork, where: TicketFilter, request: PageRequest
) -> Page[TicketView]:
    return await uow.tickets.page(where, request, utc_now())
