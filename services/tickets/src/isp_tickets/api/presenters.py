"""Tickets, activities and the SLA policy as the API shows them."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_tickets.domain.read_models import TicketDetails, TicketView
from isp_tickets.domain.sla import SlaPolicy
from isp_tickets.domain.status import ActivityType, Category, Priority, TicketStatus
from isp_tickets.domain.ticket import Activity


class ActivityOut(BaseModel):
    id: UUID
    ticket_id: UUID
    activity_type: ActivityType
    description: str
    performed_by: str
    from_status: TicketStatus | None
    to_status: TicketStatus | None
    created_at: datetime


class TicketOut(BaseModel):
    id: UUID
    ticket_number: str
    customer_id: UUID | None
    customer_code: str | None
    customer_name: str | None
    title: str
    description: str
    category: Category
    priority: Priority
    status: TicketStatus
    assigned_to: str | None
    sla_due_at: datetime
    sla_breached: bool
    resolved_at: datetime | None
    resolution_notes: str | None
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class TicketDetailOut(TicketOut):
    activities: list[ActivityOut]


class SlaPolicyOut(BaseModel):
    low_hours: int
    medium_hours: int
    high_hours: int
    urgent_hours: int


def _fields(view: TicketView) -> dict[str, object]:
    return {
        **vars(view.ticket),
        "customer_code": view.customer_code,
        "customer_name": view.customer_name,
        "sla_breached": view.sla_breached,
    }


def present(view: TicketView) -> TicketOut:
    return TicketOut.model_validate(_fields(view))


def present_details(details: TicketDetails) -> TicketDetailOut:
    activities = [present_activity(a) for a in details.activities]
    return TicketDetailOut.model_validate({**_fields(details.view), "activities": activities})


def present_activity(activity: Activity) -> ActivityOut:
    return ActivityOut.model_validate(vars(activity))


def present_sla(policy: SlaPolicy) -> SlaPolicyOut:
    return SlaPolicyOut.model_validate(asdict(policy))
