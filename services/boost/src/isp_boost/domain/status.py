"""The statuses of a boost request (docs/boost.md: pending → approved | rejected; approved →
activated → expired, or ended early)."""

from __future__ import annotations

from enum import StrEnum


class BoostStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVATED = "activated"
    EXPIRED = "expired"  # ran its full duration
    ENDED = "ended"  # ended early: deactivated by staff, or the customer went away

    @property
    def is_final(self) -> bool:
        return self in (BoostStatus.REJECTED, BoostStatus.EXPIRED, BoostStatus.ENDED)


class EndReason(StrEnum):
    """Why an activated boost stopped; carried by `boost.boost.ended` and kept in history."""

    EXPIRED = "expired"
    DEACTIVATED = "deactivated"
    CUSTOMER_TERMINATED = "customer_terminated"
    CUSTOMER_DELETED = "customer_deleted"
