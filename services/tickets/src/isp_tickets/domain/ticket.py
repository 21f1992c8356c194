"""The ticket entity. Every change returns the ticket one version up, the event to raise and the
one activity row that records it; a refused change raises before anything is built."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from isp_tickets.domain.events import TicketEvent
from isp_tickets.domain.sla import SlaPolicy
from isp_tickets.domain.status import ActivityType, Category, Priority, TicketStatus
from isp_tickets.domain.workflow import Action, ensure_not_closed, transition

EDITABLE_FIELDS = ("title", "description", "category", "priority")
NUMBER_PREFIX = "TKT-"
_TICK = timedelta(microseconds=1)


def ticket_number(sequence: int) -> str:
    return f"{NUMBER_PREFIX}{sequence:06d}"


def next_timestamp(previous: datetime, now: datetime) -> datetime:
    """`updated_at` never moves backwards, even when the clocks of two replicas disagree."""
    return max(now, previous + _TICK)


@dataclass(frozen=True, kw_only=True)
class Activity:
    id: UUID
    ticket_id: UUID
    activity_type: ActivityType
    description: str
    performed_by: str
    created_at: datetime
    from_status: TicketStatus | None = None
    to_status: TicketStatus | None = None


@dataclass(frozen=True, kw_only=True)
class Ticket:
    id: UUID
    ticket_number: str
    customer_id: UUID | None
    title: str
    description: str
    category: Category
    priority: Priority
    status: TicketStatus
    assigned_to: str | None
    sla_due_at: datetime
    resolved_at: datetime | None
    resolution_notes: str | None
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def open(
        cls,
        *,
        number: str,
        customer_id: UUID | None,
        title: str,
        description: str,
        category: Category,
        priority: Priority,
        assigned_to: str | None,
        sla: SlaPolicy,
        by: str,
        now: datetime,
    ) -> TicketChange:
        ticket = cls(
            id=uuid.uuid4(),
            ticket_number=number,
            customer_id=customer_id,
            title=title,
            description=description,
            category=category,
            priority=priority,
            status=TicketStatus.OPEN,
            assigned_to=assigned_to,
            sla_due_at=sla.due_at(now, priority),
            resolved_at=None,
            resolution_notes=None,
            closed_at=None,
            version=1,
            created_at=now,
            updated_at=now,
        )
        text = f"Ticket {number} opened: {title}"
        if assigned_to:
            text += f" (assigned to {assigned_to})"
        activity = ticket._activity(ActivityType.CREATED, text, by, now, to_status=ticket.status)
        return TicketChange(ticket, TicketEvent.CREATED, activity)

    def update(
        self, changes: Mapping[str, Any], sla: SlaPolicy, *, by: str, now: datetime
    ) -> TicketChange | None:
        """Title, description, category, priority; a new priority moves the SLA due time (from
        when the ticket was opened). None when nothing actually changes."""
        ensure_not_closed(self.status, "updated")
        changed = {
            name: value
            for name, value in changes.items()
            if name in EDITABLE_FIELDS and getattr(self, name) != value
        }
        if not changed:
            return None
        values = dict(changed)
        if "priority" in changed:
            values["sla_due_at"] = sla.due_at(self.created_at, changed["priority"])
        ticket = self._next(now, **values)
        text = "Changed " + ", ".join(
            _describe_change(name, getattr(self, name), value) for name, value in changed.items()
        )
        activity = ticket._activity(ActivityType.UPDATED, text, by, ticket.updated_at)
        return TicketChange(ticket, TicketEvent.UPDATED, activity)

    def assign(self, assigned_to: str, *, by: str, now: datetime) -> TicketChange:
        transition(self.status, Action.ASSIGN)
        text = f"Assigned to {assigned_to}"
        if self.assigned_to and self.assigned_to != assigned_to:
            text = f"Reassigned from {self.assigned_to} to {assigned_to}"
        ticket = self._next(now, assigned_to=assigned_to)
        activity = ticket._activity(ActivityType.ASSIGNED, text, by, ticket.updated_at)
        return TicketChange(ticket, TicketEvent.ASSIGNED, activity)

    def start(self, *, by: str, now: datetime) -> TicketChange:
        return self._move(Action.START, TicketEvent.STARTED, "Work started", by=by, now=now)

    def resolve(self, resolution_notes: str, *, by: str, now: datetime) -> TicketChange:
        status = transition(self.status, Action.RESOLVE)
        stamp = next_timestamp(self.updated_at, now)
        ticket = self._next(
            now, status=status, resolved_at=stamp, resolution_notes=resolution_notes
        )
        activity = ticket._activity(
            ActivityType.RESOLVED,
            f"Resolved: {resolution_notes}",
            by,
            ticket.updated_at,
            from_status=self.status,
            to_status=status,
        )
        return TicketChange(ticket, TicketEvent.RESOLVED, activity)

    def close(self, *, by: str, now: datetime) -> TicketChange:
        return self._move(Action.CLOSE, TicketEvent.CLOSED, "Closed", by=by, now=now)

    def close_for_deleted_customer(self, *, by: str, now: datetime) -> TicketChange:
        text = "Closed: the customer was deleted"
        return self._move(
            Action.CLOSE_FOR_DELETED_CUSTOMER, TicketEvent.CLOSED, text, by=by, now=now
        )

    def reopen(self, reason: str | None, *, by: str, now: datetime) -> TicketChange:
        """Back to open: the resolution no longer holds, so its time and notes are cleared (the
        `resolved` activity keeps them)."""
        text = f"Reopened: {reason}" if reason else "Reopened"
        return self._move(
            Action.REOPEN,
            TicketEvent.REOPENED,
            text,
            by=by,
            now=now,
            resolved_at=None,
            resolution_notes=None,
        )

    def comment(self, body: str, *, by: str, now: datetime) -> TicketChange:
        ensure_not_closed(self.status, "commented")
        ticket = self._next(now)
        activity = ticket._activity(ActivityType.COMMENTED, body, by, ticket.updated_at)
        return TicketChange(ticket, TicketEvent.COMMENTED, activity)

    def _move(
        self,
        action: Action,
        event: TicketEvent,
        text: str,
        *,
        by: str,
        now: datetime,
        **values: Any,
    ) -> TicketChange:
        status = transition(self.status, action)
        ticket = self._next(now, status=status, **values)
        if status is TicketStatus.CLOSED:
            ticket = replace(ticket, closed_at=ticket.updated_at)
        activity = ticket._activity(
            ActivityType.STATUS_CHANGED,
            text,
            by,
            ticket.updated_at,
            from_status=self.status,
            to_status=status,
        )
        return TicketChange(ticket, event, activity)

    def _next(self, now: datetime, **values: Any) -> Ticket:
        return replace(
            self,
            **values,
            version=self.version + 1,
            updated_at=next_timestamp(self.updated_at, now),
        )

    def _activity(
        self,
        activity_type: ActivityType,
        description: str,
        by: str,
        at: datetime,
        *,
        from_status: TicketStatus | None = None,
        to_status: TicketStatus | None = None,
    ) -> Activity:
        return Activity(
            id=uuid.uuid4(),
            ticket_id=self.id,
            activity_type=activity_type,
            description=description,
            performed_by=by,
            created_at=at,
            from_status=from_status,
            to_status=to_status,
        )


@dataclass(frozen=True)
class TicketChange:
    ticket: Ticket
    event: TicketEvent
    activity: Activity


def _describe_change(name: str, old: Any, new: Any) -> str:
    if name in ("category", "priority"):
        return f"{name} from {old} to {new}"
    return name
