"""Request bodies. Field names are the seed's in snake_case; unknown fields are refused."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field

from isp_common.web import RequestModel

from isp_tickets.api.text import LongText, Person, Reason, Title
from isp_tickets.domain.sla import MAX_HOURS, SlaPolicy
from isp_tickets.domain.status import Category, Priority
from isp_tickets.use_cases.create_ticket import NewTicket


class TicketCreate(RequestModel):
    title: Title
    description: LongText
    category: Category
    priority: Priority = Priority.MEDIUM
    customer_id: UUID | None = Field(
        default=None, description="Who the ticket is about; a subscriber's token sets its own"
    )
    assigned_to: Person | None = None

    def to_command(self, *, only_customer_id: UUID | None) -> NewTicket:
        return NewTicket(
            title=self.title,
            description=self.description,
            category=self.category,
            priority=self.priority,
            customer_id=self.customer_id,
            assigned_to=self.assigned_to,
            only_customer_id=only_customer_id,
        )


class TicketPatch(RequestModel):
    """The fields to change; absent or null ones stay as they are."""

    title: Title | None = None
    description: LongText | None = None
    category: Category | None = None
    priority: Priority | None = Field(
        default=None, description="A new priority moves sla_due_at (counted from created_at)"
    )

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self if value is not None}


class AssignRequest(RequestModel):
    assigned_to: Person


class ResolveRequest(RequestModel):
    resolution_notes: LongText


class ReopenRequest(RequestModel):
    reason: Reason | None = None


class CommentRequest(RequestModel):
    body: LongText


Hours = Field(ge=1, le=MAX_HOURS, description="Hours from opening until the ticket is due")


class SlaPolicyBody(RequestModel):
    low_hours: int = Hours
    medium_hours: int = Hours
    high_hours: int = Hours
    urgent_hours: int = Hours

    def to_policy(self) -> SlaPolicy:
        return SlaPolicy(**self.model_dump())
