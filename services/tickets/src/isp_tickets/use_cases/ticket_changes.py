"""Loading a ticket to change it, and writing a change: the row, its one activity, its event."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from isp_common.auth import ensure_customer_visible
from isp_common.errors import NotFound

from isp_tickets.domain.read_models import TicketView
from isp_tickets.domain.ticket import Ticket, TicketChange
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.snapshots import ticket_snapshot


def ensure_visible(ticket_customer_id: UUID | None, only_customer_id: UUID | None) -> None:
    """A subscriber's token sees only its own customer's tickets: others do not exist."""
    ensure_customer_visible(only_customer_id, ticket_customer_id, "ticket")


async def ticket_to_change(
    uow: UnitOfWork, ticket_id: UUID, *, only_customer_id: UUID | None = None
) -> Ticket:
    """The ticket, locked until commit so that concurrent changes queue up behind each other."""
    ticket = await uow.tickets.get(ticket_id, for_update=True)
    if ticket is None:
        raise NotFound("ticket")
    ensure_visible(ticket.customer_id, only_customer_id)
    return ticket


async def view_of(uow: UnitOfWork, ticket_id: UUID, now: datetime) -> TicketView:
    view = await uow.tickets.view(ticket_id, now)
    if view is None:
        raise NotFound("ticket")
    return view


async def save_change(uow: UnitOfWork, change: TicketChange, *, new: bool = False) -> None:
    ticket = change.ticket
    if new:
        await uow.tickets.add(ticket)
    else:
        await uow.tickets.save(ticket)
    await uow.tickets.add_activity(change.activity)
    uow.raise_event(change.event.event_type, ticket.id, ticket.version, ticket_snapshot(ticket))
