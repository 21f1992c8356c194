"""tickets.ticket.*: support tickets through their workflow."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from isp_common.contracts import register


class TicketSnapshot(BaseModel):
    id: UUID
    ticket_number: str
    customer_id: UUID | None = None
    title: str
    category: str
    priority: str
    status: str  # open | in_progress | resolved | closed
    assigned_to: str | None = None
    sla_due_at: datetime | None = None
    resolved_at: datetime | None = None
    version: int


for verb in (
    "created",
    "updated",
    "assigned",
    "started",
    "resolved",
    "closed",
    "reopened",
    "commented",
):
    register(f"tickets.ticket.{verb}", TicketSnapshot, f"A ticket was {verb}.")
