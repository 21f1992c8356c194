"""The events a customer change raises (`customers.customer.<verb>`)."""

from __future__ import annotations

from enum import StrEnum

EVENT_PREFIX = "customers.customer."


class CustomerEvent(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    ACTIVATED = "activated"
    SUSPENDED = "suspended"
    RESTORED = "restored"
    TERMINATED = "terminated"
    PLAN_CHANGED = "plan_changed"
    DELETED = "deleted"

    @property
    def event_type(self) -> str:
        return EVENT_PREFIX + self.value
