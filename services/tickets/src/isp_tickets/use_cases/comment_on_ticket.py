from __future__ import annotations

from uuid import UUID

from isp_tickets.domain.ticket import Activity
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import save_change, ticket_to_change


async def comment_on_ticket(
    uow: UnitOfWork, ticket_id: UUID, body: str, *, by: str, only_customer_id: UUID | None = None
) -> Activity:
    """A comment is an activity of its own; the ticket moves one version up (its event says
    so). A subscriber comments only on its own tickets."""
    ticket = await ticket_to_change(uow, ticket_id, only_customer_id=only_customer_id)
    change = ticket.comment(body, by=by, now=utc_now())
    await save_change(uow, change)
    return change.activity
