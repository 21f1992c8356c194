"""The ticket's statuses, categories and priorities (the seed's values)."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Category(StrEnum):
    TECHNICAL = "technical"
    BILLING = "billing"
    COMPLAINT = "complaint"
    REQUEST = "request"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class ActivityType(StrEnum):
    """The seed's activity types, plus `updated` for a PATCH."""

    CREATED = "created"
    UPDATED = "updated"
    ASSIGNED = "assigned"
    STATUS_CHANGED = "status_changed"
    COMMENTED = "commented"
    RESOLVED = "resolved"
