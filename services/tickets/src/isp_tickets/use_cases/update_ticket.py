from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from isp_tickets.domain.read_models import TicketView
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import save_change, ticket_to_change, view_of


async def update_ticket(
    uow: UnitOfWork, ticket_id: UUID, changes: Mapping[str, Any], *, by: str
) -> TicketView:
    """A PATCH of title, description, category or priority. Sending what is already there
    changes nothing: no version, no activity, no event."""
    ticket = await ticket_to_change(uow, ticket_id)
    now = utc_now()
    change = ticket.update(changes, await uow.sla_policies.get(), by=by, now=now)
    if change is not None:
        await save_change(uow, change)
    return await view_of(uow, ticket_id, now)
