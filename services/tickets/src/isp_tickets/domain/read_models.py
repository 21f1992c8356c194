"""What a read shows of a ticket: the ticket, its customer as the replica knows them, whether its
SLA is breached, and (in detail) its activities oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from isp_tickets.domain.status import Category, Priority, TicketStatus
from isp_tickets.domain.ticket import Activity, Ticket


@dataclass(frozen=True)
class TicketView:
    ticket: Ticket
    sla_breached: bool
    customer_code: str | None = None
    customer_name: str | None = None


@dataclass(frozen=True)
class TicketDetails:
    view: TicketView
    activities: list[Activity] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class TicketFilter:
    status: TicketStatus | None = None
    priority: Priority | None = None
    category: Category | None = None
    assigned_to: str | None = None
    customer_id: UUID | None = None
    search: str | None = None
    sla_breached: bool | None = None
    # A customer's token: only that customer's tickets, whatever the other filters say.
    only_customer_id: UUID | None = None
