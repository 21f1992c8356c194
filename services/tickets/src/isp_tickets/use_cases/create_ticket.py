from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from isp_common.auth import ensure_customer_visible
from isp_common.errors import Forbidden, ValidationFailed

from isp_tickets.domain.read_models import TicketView
from isp_tickets.domain.status import Category, Priority
from isp_tickets.domain.ticket import Ticket, ticket_number
from isp_tickets.use_cases.clock import utc_now
from isp_tickets.use_cases.ports import UnitOfWork
from isp_tickets.use_cases.ticket_changes import save_change, view_of

NUMBER_COUNTER = "ticket_number"


@dataclass(frozen=True, kw_only=True)
class NewTicket:
    title: str
    description: str
    category: Category
    priority: Priority = Priority.MEDIUM
    customer_id: UUID | None = None
    assigned_to: str | None = None
    # Set when a subscriber opens it: the one customer their token is limited to.
    only_customer_id: UUID | None = None

    def about_customer(self) -> UUID | None:
        """Who the ticket is about. A subscriber opens tickets about itself only (naming
        another customer is NOT_FOUND), and cannot assign them (FORBIDDEN)."""
        if self.only_customer_id is not None and self.assigned_to is not None:
            raise Forbidden("a customer cannot assign a ticket")
        if self.customer_id is not None:
            ensure_customer_visible(self.only_customer_id, self.customer_id)
        return self.only_customer_id or self.customer_id


async def create_ticket(uow: UnitOfWork, command: NewTicket, *, by: str) -> TicketView:
    """Opens a ticket numbered from the tenant's counter, due by the tenant's SLA for its
    priority. A customer the replica knows as deleted gets no new ticket; one it does not know
    yet (its event may still be on the way) does."""
    customer_id = command.about_customer()
    if customer_id is not None:
        await uow.customers.hold_for_new_ticket(customer_id)
        known = await uow.customers.get(customer_id)
        if known is not None and known.is_deleted:
            message = "this customer was deleted"
            raise ValidationFailed(
                message, {"fields": [{"field": "customer_id", "message": message}]}
            )
    sla = await uow.sla_policies.get()
    number = ticket_number(await uow.next_number(NUMBER_COUNTER))
    now = utc_now()
    change = Ticket.open(
        number=number,
        customer_id=customer_id,
        title=command.title,
        description=command.description,
        category=command.category,
        priority=command.priority,
        assigned_to=command.assigned_to,
        sla=sla,
        by=by,
        now=now,
    )
    await save_change(uow, change, new=True)
    return await view_of(uow, change.ticket.id, now)
