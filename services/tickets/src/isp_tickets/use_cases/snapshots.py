"""The ticket as the published language carries it."""

from __future__ import annotations

from isp_common.contracts.tickets import TicketSnapshot

from isp_tickets.domain.ticket import Ticket


def ticket_snapshot(ticket: Ticket) -> TicketSnapshot:
    return TicketSnapshot(
        id=ticket.id,
        ticket_number=ticket.ticket_number,
        customer_id=ticket.customer_id,
        title=ticket.title,
        category=ticket.category.value,
        priority=ticket.priority.value,
        status=ticket.status.value,
        assigned_to=ticket.assigned_to,
        sla_due_at=ticket.sla_due_at,
        resolved_at=ticket.resolved_at,
        version=ticket.version,
    )
