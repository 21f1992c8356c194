"""The events a boost request raises (`boost.boost.<verb>`)."""

from __future__ import annotations

from enum import StrEnum

EVENT_PREFIX = "boost.boost."


class BoostEvent(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVATED = "activated"
    ENDED = "ended"

    @property
    def event_type(self) -> str:
        return EVENT_PREFIX + self.value
