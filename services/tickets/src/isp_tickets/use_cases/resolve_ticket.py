from __future__ import annotations

from uuid import UUID

from isp_tickets.domain.read_models import TicketView
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import save_change, ticket_to_change, view_of


async def resolve_ticket(
    uow: UnitOfWork, ticket_id: UUID, resolution_notes: str, *, by: str
) -> TicketView:
    """in_progress → resolved; sets resolved_at and the resolution notes."""
    ticket = await ticket_to_change(uow, ticket_id)
    now = utc_now()
    await save_change(uow, ticket.resolve(resolution_notes, by=by, now=now))
    return await view_of(uow, ticket_id, now)
