"""The events a ticket change raises (`tickets.ticket.<verb>`)."""

from __future__ import annotations

from enum import StrEnum

EVENT_PREFIX = "tickets.ticket."


class TicketEvent(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    ASSIGNED = "assigned"
    STARTED = "started"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    COMMENTED = "commented"

    @property
    def event_type(self) -> str:
        return EVENT_PREFIX + self.value
