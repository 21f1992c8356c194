from __future__ import annotations

from uuid import UUID

from isp_common.errors import NotFound

from isp_tickets.domain.read_models import TicketDetails
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import ensure_visible, view_of


async def get_ticket(
    uow: UnitOfWork, ticket_id: UUID, *, only_customer_id: UUID | None = None
) -> TicketDetails:
    view = await view_of(uow, ticket_id, utc_now())
    ensure_visible(view.ticket.customer_id, only_customer_id)
    return TicketDetails(view, await uow.tickets.activities(ticket_id))


async def get_ticket_by_number(
    uow: UnitOfWork, ticket_number: str, *, only_customer_id: UUID | None = None
) -> TicketDetails:
    view = await uow.tickets.view_by_number(ticket_number, utc_now())
    if view is None:
        raise NotFound("ticket")
    ensure_visible(view.ticket.customer_id, only_customer_id)
    return TicketDetails(view, await uow.tickets.activities(view.ticket.id))
